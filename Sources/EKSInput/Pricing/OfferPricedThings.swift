import CSVStream
import EKSModel
import Foundation

/// Why a row of an offer file gives no price, in the order the checks run.
public enum SkipReason: Int, Sendable, CaseIterable {
    case termType, productFamily, notInRegion, tenancy, operatingSystem, license, capacity, software, regionNotSelected
    case reservedTerm, unit, currency, usageType, missingName, duplicate

    /// Why, for the import summary.
    public var explanation: String {
        switch self {
        case .termType: "term is neither OnDemand nor Reserved (or Reserved where only OnDemand is read)"
        case .notInRegion: "not in an AWS Region (Outposts, Local Zones, Wavelength Zones)"
        case .regionNotSelected: "region not selected with --region"
        case .productFamily: "product family not priced (data transfer, IP addresses, CPU credits, hosts…)"
        case .tenancy: "tenancy is not Shared (Dedicated instances, Dedicated Hosts)"
        case .operatingSystem:
            "operating system is neither Linux nor Windows on demand (RHEL, SUSE, Ubuntu Pro, Reserved Windows…)"
        case .software: "pre-installed software (SQL Server) is not NA"
        case .license: "license model is not 'No License required'"
        case .capacity: "capacity reservation row (CapacityStatus is not Used)"
        case .reservedTerm: "reserved term is not a 1yr/3yr standard/convertible one"
        case .unit: "unit does not fit the product (not Hrs, Quantity or GB-Mo)"
        case .currency: "price not in USD"
        case .usageType: "usage type not priced (Spot, ARM or Windows Fargate, idle addresses, Gateway Load Balancers…)"
        case .missingName: "no region code, instance type or volume type"
        case .duplicate: "same price as an earlier row for the same item"
        }
    }
}

/// What a row prices: a service and an item, and the unit of its rate. Keys are the ones
/// `PriceKey+Items.swift` builds (documented in Pricing/README.md).
enum PricedThing: UInt8, Sendable, CaseIterable {
    case ec2Instance, ebsVolume, natgwGateway, natgwData, eksCluster, eksExtendedSupport
    case fargateVCPU, fargateMemory, fargateEphemeralStorage, vpcPublicIPv4
    case ec2WindowsInstance, ebsIOPS, ebsThroughput, eksAutoMode, eksControlPlaneTier
    case elbApplication, elbApplicationLCU, elbNetwork, elbNetworkLCU, elbClassic, elbClassicData

    /// The key this thing is priced under, for an item named by the row (instance type, volume…).
    func key(item: String, region: String = "") -> PriceKey {
        switch self {
        case .ec2Instance: .instance(item, region: region)
        case .ec2WindowsInstance: .instance(item, os: .windows, region: region)
        case .ebsVolume, .ebsIOPS, .ebsThroughput: PriceKey(region: region, service: "ebs", item: item)
        case .natgwGateway: .natGateway(region: region)
        case .natgwData: .natGatewayData(region: region)
        case .eksCluster: .eksCluster(region: region)
        case .eksExtendedSupport: .eksExtendedSupport(region: region)
        case .eksAutoMode: .eksAutoMode(item, region: region)
        case .eksControlPlaneTier: PriceKey(region: region, service: "eks", item: item)  // item: control-plane-<tier>
        case .fargateVCPU: .fargateVCPU(region: region)
        case .fargateMemory: .fargateMemory(region: region)
        case .fargateEphemeralStorage: .fargateEphemeralStorage(region: region)
        case .vpcPublicIPv4: .publicIPv4(region: region)
        case .elbApplication: .loadBalancer(.application, region: region)
        case .elbApplicationLCU: .loadBalancerUsage(.application, region: region)
        case .elbNetwork: .loadBalancer(.network, region: region)
        case .elbNetworkLCU: .loadBalancerUsage(.network, region: region)
        case .elbClassic: .loadBalancer(.classic, region: region)
        case .elbClassicData: .loadBalancerUsage(.classic, region: region)
        }
    }

    /// Service and fixed item per thing, worked out once (they are read for every price).
    private static let services = allCases.map { $0.key(item: "").service }
    private static let fixedItems = allCases.map { $0.namesItem ? nil : $0.key(item: "").item }

    var service: String { Self.services[Int(rawValue)] }

    /// Whether the row names the item (instance type, volume type, tier); else the item is fixed.
    var namesItem: Bool {
        switch self {
        case .ec2Instance, .ec2WindowsInstance, .ebsVolume, .ebsIOPS, .ebsThroughput, .eksAutoMode,
            .eksControlPlaneTier:
            true
        default: false
        }
    }

    /// The item, for things that are not named by the row.
    var fixedItem: String? { Self.fixedItems[Int(rawValue)] }

    var unit: PriceUnit {
        switch self {
        case .ec2Instance, .ec2WindowsInstance, .natgwGateway, .eksCluster, .eksExtendedSupport, .vpcPublicIPv4,
            .eksAutoMode, .eksControlPlaneTier, .elbApplication, .elbNetwork, .elbClassic:
            .hour
        case .ebsVolume: .gbMonth
        case .ebsIOPS: .iopsMonth
        case .ebsThroughput: .gibpsMonth
        case .natgwData, .elbClassicData: .gb
        case .fargateVCPU: .vcpuHour
        case .fargateMemory, .fargateEphemeralStorage: .gbHour
        case .elbApplicationLCU, .elbNetworkLCU: .lcuHour
        }
    }

    /// Rows priced by their usage type, by the usage type without its region prefix
    /// (`USE1-Fargate-GB-Hours` → `Fargate-GB-Hours`). Usage types as AWS's pricing pages and
    /// public price-list readers name them (infracost internal/resources/aws/eks_cluster.go,
    /// nat_gateway.go; PRICING-FACTS §1).
    static let byUsageType: [String: PricedThing] = [
        "AmazonEKS-Hours:perCluster": .eksCluster,
        "AmazonEKS-Hours:extendedSupport": .eksExtendedSupport,
        "Fargate-vCPU-Hours:perCPU": .fargateVCPU,
        "Fargate-GB-Hours": .fargateMemory,
        "Fargate-EphemeralStorage-GB-Hours": .fargateEphemeralStorage,
        "PublicIPv4:InUseAddress": .vpcPublicIPv4,
        "NatGateway-Hours": .natgwGateway,
        "NatGateway-Bytes": .natgwData,
    ]

    /// AWSELB rows by product family and usage type (infracost internal/resources/aws/lb.go and
    /// elb.go: `Load Balancer-Application` / `-Network` / `Load Balancer` with `LoadBalancerUsage`
    /// and `LCUUsage`; the classic balancer's `DataProcessing-Bytes`).
    static func loadBalancer(family: String, usage: Substring) -> PricedThing? {
        switch (family, usage) {
        case ("Load Balancer-Application", "LoadBalancerUsage"): .elbApplication
        case ("Load Balancer-Application", "LCUUsage"): .elbApplicationLCU
        case ("Load Balancer-Network", "LoadBalancerUsage"): .elbNetwork
        case ("Load Balancer-Network", "LCUUsage"): .elbNetworkLCU
        case ("Load Balancer", "LoadBalancerUsage"): .elbClassic
        case ("Load Balancer", "DataProcessing-Bytes"): .elbClassicData
        default: nil
        }
    }

    /// `EBS:VolumeP-IOPS.gp3` → `gp3-iops`, `EBS:VolumeP-IOPS.piops` → `io1-iops` (io1's usage
    /// type), `EBS:VolumeP-IOPS.io2.tier2` → `io2-iops-tier2`; `EBS:VolumeP-Throughput.gp3` →
    /// `gp3-throughput` (infracost internal/resources/aws/ebs_volume.go).
    static func ebsPerformanceItem(usage: Substring) -> (PricedThing, String)? {
        for (prefix, thing) in [
            ("EBS:VolumeP-IOPS.", PricedThing.ebsIOPS), ("EBS:VolumeP-Throughput.", .ebsThroughput),
        ]
        where usage.hasPrefix(prefix) {
            let parts = usage.dropFirst(prefix.count).split(separator: ".")
            guard let first = parts.first, parts.count <= 2 else { return nil }
            let volume = first == "piops" ? "io1" : String(first)
            var tier = 1
            if parts.count == 2 {
                guard parts[1].hasPrefix("tier"), let number = Int(parts[1].dropFirst(4)), number > 1 else {
                    return nil
                }
                tier = number
            }
            let key =
                thing == .ebsIOPS
                ? PriceKey.ebsIOPS(volume, tier: tier, region: "") : .ebsThroughput(volume, region: "")
            return thing == .ebsThroughput && tier > 1 ? nil : (thing, key.item)
        }
        return nil
    }

    /// The provisioned control plane tier a usage type names (`tier-xl`, `tier-2xl`…), matched
    /// loosely because no published AmazonEKS file was at hand to confirm its usage type: any
    /// usage type with `tier-<n>xl` or `tier<n>xl` in it, written as EKS's API names the tier.
    static func controlPlaneTier(usage: Substring) -> String? {
        let lower = usage.lowercased()
        guard let range = lower.range(of: "tier") else { return nil }
        var rest = lower[range.upperBound...]
        if rest.hasPrefix("-") { rest = rest.dropFirst() }
        let digits = rest.prefix { $0.isNumber }
        guard rest.dropFirst(digits.count).hasPrefix("xl") else { return nil }
        return "tier-\(digits)xl"
    }

    /// `APN2-BoxUsage:m5.large` → `BoxUsage:m5.large`; `BoxUsage:m5.large` (EC2 in us-east-1)
    /// and `SpotUsage-Fargate-…` are left alone: a region prefix is upper-case letters and digits.
    static func usageName(_ usageType: String) -> Substring {
        guard let dash = usageType.firstIndex(of: "-") else { return Substring(usageType) }
        let prefix = usageType[..<dash]
        let isPrefix =
            !prefix.isEmpty && prefix.count <= 6
            && prefix.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
        return isPrefix ? usageType[usageType.index(after: dash)...] : Substring(usageType)
    }
}
