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
        case .operatingSystem: "operating system is neither Linux nor Windows on demand (RHEL, SUSE, Ubuntu Pro, Reserved Windows…)"
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
        case .ec2Instance, .ec2WindowsInstance, .ebsVolume, .ebsIOPS, .ebsThroughput, .eksAutoMode, .eksControlPlaneTier: true
        default: false
        }
    }

    /// The item, for things that are not named by the row.
    var fixedItem: String? { Self.fixedItems[Int(rawValue)] }

    var unit: PriceUnit {
        switch self {
        case .ec2Instance, .ec2WindowsInstance, .natgwGateway, .eksCluster, .eksExtendedSupport, .vpcPublicIPv4,
             .eksAutoMode, .eksControlPlaneTier, .elbApplication, .elbNetwork, .elbClassic: .hour
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
        for (prefix, thing) in [("EBS:VolumeP-IOPS.", PricedThing.ebsIOPS), ("EBS:VolumeP-Throughput.", .ebsThroughput)]
        where usage.hasPrefix(prefix) {
            let parts = usage.dropFirst(prefix.count).split(separator: ".")
            guard let first = parts.first, parts.count <= 2 else { return nil }
            let volume = first == "piops" ? "io1" : String(first)
            var tier = 1
            if parts.count == 2 {
                guard parts[1].hasPrefix("tier"), let number = Int(parts[1].dropFirst(4)), number > 1 else { return nil }
                tier = number
            }
            let key = thing == .ebsIOPS ? PriceKey.ebsIOPS(volume, tier: tier, region: "") : .ebsThroughput(volume, region: "")
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
        let isPrefix = !prefix.isEmpty && prefix.count <= 6
            && prefix.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
        return isPrefix ? usageType[usageType.index(after: dash)...] : Substring(usageType)
    }
}

/// A price as the offer file writes it, kept exactly: `mantissa × 10^exponent`, with no
/// trailing zeros in the mantissa (`0.0960000000` is 96 × 10⁻³).
struct PriceValue: Sendable, Hashable {
    var mantissa: UInt64
    var exponent: Int16

    /// Parses a plain non-negative decimal (`0.0960000000`, `2750`, `.5`); nil for anything
    /// else (signs, exponents, thousands separators, more than 19 significant digits).
    static func parse(_ bytes: Span<UInt8>) -> PriceValue? {
        var digits = 0
        var point: Int?
        var lastNonZero = -1   // index among digits of the last non-zero digit
        var firstNonZero = -1
        for at in bytes.indices {
            let byte = bytes[at]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if byte != UInt8(ascii: "0") {
                    if firstNonZero < 0 { firstNonZero = digits }
                    lastNonZero = digits
                }
                digits += 1
            case UInt8(ascii: "."):
                if point != nil { return nil }
                point = digits
            default:
                return nil
            }
        }
        guard digits > 0 else { return nil }
        let fractionDigits = digits - (point ?? digits)
        guard firstNonZero >= 0 else { return PriceValue(mantissa: 0, exponent: 0) }
        guard lastNonZero - firstNonZero < 19 else { return nil }
        var mantissa: UInt64 = 0
        var index = 0
        for at in bytes.indices where bytes[at] != UInt8(ascii: ".") {
            let byte = bytes[at]
            if index >= firstNonZero && index <= lastNonZero {
                mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
            }
            index += 1
        }
        // Digits after `lastNonZero` are zeros dropped from the mantissa. As for every decimal
        // read (DecimalText.parseExactly): at most 20 decimals and 24 digits before the point,
        // so a field of thousands of zeros neither traps here nor in a product later.
        let exponent = (digits - 1 - lastNonZero) - fractionDigits
        guard exponent >= -InputLimits.fractionDigits, digits - fractionDigits - firstNonZero <= InputLimits.integerDigits else { return nil }
        return PriceValue(mantissa: mantissa, exponent: Int16(exponent))
    }

    var decimal: Decimal {
        Decimal(sign: .plus, exponent: Int(exponent), significand: Decimal(mantissa))
    }

    /// Appends `text`'s bytes without making a string (a snapshot writes one per price).
    func appendText(to bytes: inout [UInt8]) {
        if mantissa == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for the 20 digits of a UInt64
        let count = withUnsafeMutableBytes(of: &digits) { buffer -> Int in
            var value = mantissa
            var at = buffer.count
            while value > 0 {
                at -= 1
                buffer[at] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            return buffer.count - at
        }
        withUnsafeBytes(of: &digits) { buffer in
            let digits = buffer[(buffer.count - count)...]
            let e = Int(exponent)
            if e >= 0 {
                bytes += digits
                bytes += repeatElement(UInt8(ascii: "0"), count: e)
            } else if count > -e {
                bytes += digits.prefix(count + e)
                bytes.append(UInt8(ascii: "."))
                bytes += digits.suffix(-e)
            } else {
                bytes += [UInt8(ascii: "0"), UInt8(ascii: ".")]
                bytes += repeatElement(UInt8(ascii: "0"), count: -e - count)
                bytes += digits
            }
        }
    }

    /// The same text `DecimalText.format` gives for the value: `0.096`, `2750`, `0`.
    var text: String {
        var bytes: [UInt8] = []
        appendText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A sum of prices, exact and cheap: mantissas are added as integers, one sum per exponent,
/// and made a `Decimal` once at the end (a Decimal addition per row would cost more than the
/// rest of the row's checks).
struct PriceSum: Sendable {
    private var parts: [PriceValue] = []
    /// What overflowed a part's 64 bits so far.
    private var carried = Decimal(0)

    mutating func add(_ value: PriceValue) {
        for index in parts.indices where parts[index].exponent == value.exponent {
            let (sum, overflow) = parts[index].mantissa.addingReportingOverflow(value.mantissa)
            if overflow {
                carried += parts[index].decimal
                parts[index].mantissa = value.mantissa
            } else {
                parts[index].mantissa = sum
            }
            return
        }
        parts.append(value)
    }

    static func + (left: PriceSum, right: PriceSum) -> PriceSum {
        var sum = left
        sum.carried += right.carried
        for part in right.parts { sum.add(part) }
        return sum
    }

    var decimal: Decimal { parts.reduce(carried) { $0 + $1.decimal } }
}

/// Field access shared by raw records (before parsing) and parsed ones, so one set of rules
/// decides both what the fast path skips and what the parsed path keeps.
protocol OfferFields {
    func field(_ index: Int, equals literal: StaticString) -> Bool
    func field(_ index: Int, equalsBytes bytes: [UInt8]) -> Bool
}

extension RawRecord: OfferFields {
    @inline(__always)
    func field(_ index: Int, equalsBytes bytes: [UInt8]) -> Bool { field(index, equals: bytes) }
}

extension CSVRecordView: OfferFields {
    func field(_ index: Int, equalsBytes bytes: [UInt8]) -> Bool { field(index, equals: bytes) }
}

/// What the checks of one offer need: the offer, its columns and the regions asked for.
struct OfferRules: Sendable {
    let offer: OfferCode
    let columns: OfferColumns
    /// `--region` values as bytes; empty for every region.
    let regions: [[UInt8]]

    /// How an AmazonEC2 row is read.
    enum EC2Row {
        case skip(SkipReason)
        /// On-Demand, Linux, Shared tenancy, an instance product in an AWS Region: counted for the
        /// check figures, then priced if software, licence and capacity status say list price.
        case onDemandInstance
        /// On-Demand, Windows (License Included is checked with the rest of the list-price
        /// filter), Shared tenancy, an instance product in an AWS Region.
        case onDemandWindowsInstance
        /// A Reserved rate or upfront fee of an instance's list-price product.
        case reservedInstance
        case storage
        /// Provisioned IOPS (`System Operation`) and throughput (`Provisioned Throughput`) of EBS volumes.
        case storagePerformance
        /// NAT gateways and public IPv4 addresses: priced by usage type.
        case usagePriced
    }

    /// The checks of PRICING-FACTS §1 in a fixed order (ascending columns of the 2025 layout,
    /// which keeps raw lookups cheap). Exact on a raw record (the scanner only hands out
    /// well-formed ones, compared with quote-free literals) and on a parsed one.
    @inline(__always)
    func classifyEC2<F: OfferFields>(_ f: F) -> EC2Row {
        let c = columns
        let onDemand: Bool
        if f.field(c.termType, equals: "OnDemand") {
            onDemand = true
        } else if f.field(c.termType, equals: "Reserved") {
            onDemand = false
        } else {
            return .skip(.termType)
        }
        let instance = f.field(c.productFamily, equals: "Compute Instance") || f.field(c.productFamily, equals: "Compute Instance (bare metal)")
        var other: EC2Row = .skip(.productFamily)
        if !instance {
            if f.field(c.productFamily, equals: "Storage") {
                other = .storage
            } else if f.field(c.productFamily, equals: "System Operation") || f.field(c.productFamily, equals: "Provisioned Throughput") {
                other = .storagePerformance
            } else if f.field(c.productFamily, equals: "NAT Gateway") || f.field(c.productFamily, equals: "IP Address") {
                other = .usagePriced
            } else {
                return .skip(.productFamily)
            }
            if !onDemand { return .skip(.termType) }
        }
        guard f.field(c.locationType, equals: "AWS Region") else { return .skip(.notInRegion) }
        var windows = false
        if instance {
            guard f.field(c.tenancy, equals: "Shared") else { return .skip(.tenancy) }
            if !f.field(c.operatingSystem, equals: "Linux") {
                // Windows rows are kept on demand only: Reserved Windows terms are not read.
                guard onDemand, f.field(c.operatingSystem, equals: "Windows") else { return .skip(.operatingSystem) }
                windows = true
            }
            if !onDemand, let reason = listPriceProduct(f) { return .skip(reason) }
        }
        if !regions.isEmpty && !regions.contains(where: { f.field(c.regionCode, equalsBytes: $0) }) {
            return .skip(.regionNotSelected)
        }
        if instance { return windows ? .onDemandWindowsInstance : onDemand ? .onDemandInstance : .reservedInstance }
        return other
    }

    /// The rest of the list-price filter: no pre-installed software, no licence to bring,
    /// a running instance rather than a capacity reservation.
    @inline(__always)
    func listPriceProduct<F: OfferFields>(_ f: F) -> SkipReason? {
        let c = columns
        guard f.field(c.licenseModel, equals: "No License required") else { return .license }
        guard f.field(c.capacityStatus, equals: "Used") else { return .capacity }
        guard f.field(c.preInstalledSoftware, equals: "NA") else { return .software }
        return nil
    }
}

/// One price found, in 32 bytes: names are numbers in the scan's `NameTable`; record and line
/// count from the start of the segment that found it.
struct FoundPrice: Sendable {
    var price: PriceValue
    var region: UInt32
    var item: UInt32
    var record: UInt32
    var line: UInt32
    var thing: PricedThing
    /// 0 for on-demand, else 1 + the index in `ReservedTerm.all`.
    var term: UInt8
    var upfront: Bool

    static let termNames = ["on-demand"] + ReservedTerm.all.map(\.priceTerm)
}

/// Region and item names seen in a scan, numbered.
struct NameTable: Sendable {
    private(set) var names: [String] = [""]
    private var ids: [String: UInt32] = ["": 0]

    mutating func id(_ name: String) -> UInt32 {
        if let id = ids[name] { return id }
        let id = UInt32(names.count)
        names.append(name)
        ids[name] = id
        return id
    }
}

/// A row the filter refuses: a price that is not a number, a fee with no term.
struct OfferRowError: Error, CustomStringConvertible {
    let description: String
}

/// The filter and collector of one segment of one offer file.
struct OfferRowFilter: CSVRecordFilter {
    let rules: OfferRules
    var skipped = [Int](repeating: 0, count: SkipReason.allCases.count)
    /// On-Demand Linux rows on shared tenancy, whatever their software, licence and capacity
    /// status, and the sum of their prices: the figures a plain query of the file gives.
    var checkRows = 0
    var checkSum = PriceSum()
    var names = NameTable()
    var found: [FoundPrice] = []

    init(rules: OfferRules) { self.rules = rules }

    /// Decides from the raw bytes, as `visit` would from the parsed record, every row that
    /// gives no price; libcsv parses the rest. An On-Demand Linux row that is not a list price
    /// still counts for the check figures: its price is read raw when it needs no unescaping
    /// and is a plain number (else libcsv parses the row and `visit` says what is wrong).
    mutating func wants(_ record: RawRecord) -> Bool {
        guard rules.offer == .ec2 else { return true }  // the other offers are small: parse everything
        switch rules.classifyEC2(record) {
        case .skip(let reason):
            skipped[reason.rawValue] += 1
            return false
        case .onDemandInstance:
            guard let reason = rules.listPriceProduct(record) else { return true }
            guard let value = record.withPlainField(rules.columns.pricePerUnit, PriceValue.parse) ?? nil else { return true }
            checkRows += 1
            checkSum.add(value)
            skipped[reason.rawValue] += 1
            return false
        case .onDemandWindowsInstance:
            guard let reason = rules.listPriceProduct(record) else { return true }
            skipped[reason.rawValue] += 1
            return false
        default:
            return true
        }
    }

    mutating func visit(_ record: CSVRecordView) throws {
        let c = rules.columns
        if rules.offer != .ec2 {
            guard record.field(c.termType, equals: "OnDemand") else { return skip(.termType) }
            guard record.field(c.locationType, equals: "AWS Region") else { return skip(.notInRegion) }
            guard rules.regions.isEmpty || rules.regions.contains(where: { record.field(c.regionCode, equalsBytes: $0) }) else {
                return skip(.regionNotSelected)
            }
            let usage = PricedThing.usageName(record.string(at: c.usageType))
            switch rules.offer {
            case .elb:
                guard let thing = PricedThing.loadBalancer(family: record.string(at: c.productFamily), usage: usage) else {
                    return skip(.usageType)
                }
                return try add(record, thing, item: nil, term: 0, upfront: false, price: try price(record))
            case .eks:
                // Auto Mode's management fee: one product per instance type, `eksproducttype`
                // AutoMode (vantage-sh/ec2instances.info scraper/aws/ec2/eks_auto_mode.go).
                if c.eksProductType >= 0, record.field(c.eksProductType, equals: "AutoMode") {
                    guard c.instanceType >= 0 else { return skip(.missingName) }
                    return try add(record, .eksAutoMode, item: record.string(at: c.instanceType), term: 0, upfront: false, price: try price(record))
                }
                if PricedThing.byUsageType[String(usage)] == nil, let tier = PricedThing.controlPlaneTier(usage: usage) {
                    let item = PriceKey.eksProvisionedControlPlane(tier: tier, region: "").item
                    return try add(record, .eksControlPlaneTier, item: item, term: 0, upfront: false, price: try price(record))
                }
            default:
                break
            }
            return try addUsagePriced(record)
        }
        switch rules.classifyEC2(record) {
        case .skip(let reason):
            skip(reason)
        case .onDemandInstance:
            let value = try price(record)
            checkRows += 1
            checkSum.add(value)
            if let reason = rules.listPriceProduct(record) { return skip(reason) }
            guard record.field(c.unit, equals: "Hrs") else { return skip(.unit) }
            try add(record, .ec2Instance, item: record.string(at: c.instanceType), term: 0, upfront: false, price: value)
        case .onDemandWindowsInstance:
            if let reason = rules.listPriceProduct(record) { return skip(reason) }
            guard record.field(c.unit, equals: "Hrs") else { return skip(.unit) }
            try add(record, .ec2WindowsInstance, item: record.string(at: c.instanceType), term: 0, upfront: false, price: try price(record))
        case .reservedInstance:
            guard let term = reservedTerm(record) else { return skip(.reservedTerm) }
            let upfront: Bool
            if record.field(c.unit, equals: "Hrs") {
                upfront = false
            } else if record.field(c.unit, equals: "Quantity") {
                upfront = true
            } else {
                return skip(.unit)
            }
            try add(record, .ec2Instance, item: record.string(at: c.instanceType), term: term, upfront: upfront, price: try price(record))
        case .storage:
            guard record.field(c.unit, equals: "GB-Mo") else { return skip(.unit) }
            guard PricedThing.usageName(record.string(at: c.usageType)).hasPrefix("EBS:VolumeUsage") else { return skip(.usageType) }
            try add(record, .ebsVolume, item: record.string(at: c.volumeAPIName), term: 0, upfront: false, price: try price(record))
        case .storagePerformance:
            guard let (thing, item) = PricedThing.ebsPerformanceItem(usage: PricedThing.usageName(record.string(at: c.usageType))) else {
                return skip(.usageType)
            }
            guard record.field(c.unit, equals: thing == .ebsIOPS ? "IOPS-Mo" : "GiBps-mo") else { return skip(.unit) }
            try add(record, thing, item: item, term: 0, upfront: false, price: try price(record))
        case .usagePriced:
            try addUsagePriced(record)
        }
    }

    mutating func skip(_ reason: SkipReason) { skipped[reason.rawValue] += 1 }

    /// A row priced by its usage type (EKS, Fargate, public IPv4, NAT gateway).
    mutating func addUsagePriced(_ record: CSVRecordView) throws {
        guard let thing = PricedThing.byUsageType[String(PricedThing.usageName(record.string(at: rules.columns.usageType)))] else {
            return skip(.usageType)
        }
        try add(record, thing, item: nil, term: 0, upfront: false, price: try price(record))
    }

    /// `item`: the name the row gives (instance type, volume type, tier), nil for things with a fixed item.
    mutating func add(_ record: CSVRecordView, _ thing: PricedThing, item name: String?, term: UInt8, upfront: Bool,
                      price: PriceValue) throws {
        let c = rules.columns
        guard record.field(c.currency, equals: "USD") else { return skip(.currency) }
        let region = record.string(at: c.regionCode)
        var item: UInt32 = 0
        if let name {
            guard !name.isEmpty else { return skip(.missingName) }
            item = names.id(name)
        }
        guard !region.isEmpty else { return skip(.missingName) }
        found.append(FoundPrice(price: price, region: names.id(region), item: item,
                                record: UInt32(truncatingIfNeeded: record.number), line: UInt32(truncatingIfNeeded: record.line),
                                thing: thing, term: term, upfront: upfront))
    }

    func price(_ record: CSVRecordView) throws -> PriceValue {
        guard let value = record.withBytes(at: rules.columns.pricePerUnit, PriceValue.parse) else {
            throw OfferRowError(description: "PricePerUnit '\(record.string(at: rules.columns.pricePerUnit))' is not a plain decimal number of at most 19 significant digits and 20 decimals, such as 0.0960000000")
        }
        return value
    }

    /// 1 + the index of the row's term in `ReservedTerm.all`, from LeaseContractLength,
    /// OfferingClass and PurchaseOption.
    func reservedTerm(_ record: CSVRecordView) -> UInt8? {
        let c = rules.columns
        let length = record.string(at: c.leaseContractLength)
        let offeringClass = record.string(at: c.offeringClass)
        let option = record.string(at: c.purchaseOption)
        guard let index = ReservedTerm.all.firstIndex(where: {
            $0.length.rawValue == length && $0.offeringClass.rawValue == offeringClass && $0.payment.priceListName == option
        }) else { return nil }
        return UInt8(index + 1)
    }
}
