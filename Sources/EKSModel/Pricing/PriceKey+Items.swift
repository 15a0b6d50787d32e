import Foundation

/// The operating system a node runs, as the EC2 price list tells prices apart.
public enum OperatingSystem: String, Sendable, Hashable, CaseIterable {
    /// Amazon Linux 2 and 2023, Bottlerocket, Ubuntu: all billed at the Linux rate.
    case linux
    /// Windows Server, License Included (the instance price includes the licence).
    case windows
}

/// Kinds of Elastic Load Balancing load balancer, as AWSELB prices them.
public enum LoadBalancerKind: String, Sendable, Hashable, CaseIterable {
    /// Application Load Balancer: hours and LCU-hours.
    case application = "alb"
    /// Network Load Balancer: hours and NLCU-hours.
    case network = "nlb"
    /// Classic Load Balancer: hours and GB processed.
    case classic = "clb"

    /// How a report names it.
    public var title: String {
        switch self {
        case .application: "Application Load Balancer"
        case .network: "Network Load Balancer"
        case .classic: "Classic Load Balancer"
        }
    }
}

/// Every key a snapshot prices, one constructor per thing, so that the importer writes and the
/// estimator looks up the same names. `Pricing/README.md` ("Keys") documents them.
extension PriceKey {
    /// `ec2 m5.large` (Linux) or `ec2-windows m5.large` (Windows, License Included): Shared
    /// tenancy, no pre-installed software. Windows rates are kept apart from Linux ones so that a
    /// missing Windows price can never fall back to a Linux one.
    public static func instance(_ type: String, os: OperatingSystem = .linux, term: String = onDemand, region: String)
        -> PriceKey
    {
        PriceKey(region: region, service: os == .linux ? "ec2" : "ec2-windows", item: type, term: term)
    }

    /// The EKS fee per cluster-hour (standard support).
    public static func eksCluster(region: String) -> PriceKey {
        PriceKey(region: region, service: "eks", item: "cluster")
    }

    /// The extended-support surcharge per cluster-hour, added to the cluster fee.
    public static func eksExtendedSupport(region: String) -> PriceKey {
        PriceKey(region: region, service: "eks", item: "extended-support")
    }

    /// A provisioned control plane tier per cluster-hour (`tier-xl`, `tier-2xl`, `tier-4xl`, `tier-8xl`,
    /// the names of EKS's ControlPlaneScalingConfig).
    public static func eksProvisionedControlPlane(tier: String, region: String) -> PriceKey {
        PriceKey(region: region, service: "eks", item: "control-plane-\(tier)")
    }

    /// EKS Auto Mode's management fee per instance-hour, on top of the instance's EC2 price.
    public static func eksAutoMode(_ type: String, region: String) -> PriceKey {
        PriceKey(region: region, service: "eks-auto-mode", item: type)
    }

    /// An EBS volume type's storage per GB-month (`gp3`, `gp2`, `io1`, `io2`, `st1`, `sc1`, `standard`).
    public static func ebsVolume(_ type: String, region: String) -> PriceKey {
        PriceKey(region: region, service: "ebs", item: type)
    }

    /// Provisioned IOPS per IOPS-month: `gp3-iops` (above the 3000 included), `io1-iops`, and for
    /// io2 its three tiers `io2-iops`, `io2-iops-tier2`, `io2-iops-tier3`.
    public static func ebsIOPS(_ type: String, tier: Int = 1, region: String) -> PriceKey {
        PriceKey(region: region, service: "ebs", item: "\(type)-iops" + (tier > 1 ? "-tier\(tier)" : ""))
    }

    /// Provisioned throughput per GiBps-month (`gp3-throughput`, above the 125 MiB/s included).
    public static func ebsThroughput(_ type: String, region: String) -> PriceKey {
        PriceKey(region: region, service: "ebs", item: "\(type)-throughput")
    }

    /// A NAT gateway per hour.
    public static func natGateway(region: String) -> PriceKey {
        PriceKey(region: region, service: "natgw", item: "gateway")
    }

    /// Data processed by a NAT gateway, per GB.
    public static func natGatewayData(region: String) -> PriceKey {
        PriceKey(region: region, service: "natgw", item: "data-processed")
    }

    /// A public IPv4 address in use, per hour.
    public static func publicIPv4(region: String) -> PriceKey {
        PriceKey(region: region, service: "vpc", item: "public-ipv4")
    }

    /// An ENI per hour (no charge today; the 2019 notes priced it).
    public static func eni(region: String) -> PriceKey { PriceKey(region: region, service: "vpc", item: "eni") }

    public static func fargateVCPU(region: String) -> PriceKey {
        PriceKey(region: region, service: "fargate", item: "vcpu")
    }
    public static func fargateMemory(region: String) -> PriceKey {
        PriceKey(region: region, service: "fargate", item: "memory")
    }
    /// Ephemeral storage above the 20 GB included, per GB-hour.
    public static func fargateEphemeralStorage(region: String) -> PriceKey {
        PriceKey(region: region, service: "fargate", item: "ephemeral-storage")
    }

    /// A load balancer per hour: `elb alb`, `elb nlb`, `elb clb`.
    public static func loadBalancer(_ kind: LoadBalancerKind, region: String) -> PriceKey {
        PriceKey(region: region, service: "elb", item: kind.rawValue)
    }

    /// Its usage charge: `elb alb-lcu` and `elb nlb-lcu` per LCU-hour (NLCU for the NLB),
    /// `elb clb-data-processed` per GB.
    public static func loadBalancerUsage(_ kind: LoadBalancerKind, region: String) -> PriceKey {
        PriceKey(region: region, service: "elb", item: kind == .classic ? "clb-data-processed" : "\(kind.rawValue)-lcu")
    }
}
