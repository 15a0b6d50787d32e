import Foundation

@testable import EKSModel

/// Instance facts as `aws ec2 describe-instance-types` gives them (checked against moto's copy).
enum Types {
    static let m5large = InstanceType(
        name: "m5.large", vcpu: 2, memoryMiB: 8192, architecture: "x86_64",
        hypervisor: "nitro", enis: 3, ipv4PerENI: 10)
    static let m5xlarge = InstanceType(
        name: "m5.xlarge", vcpu: 4, memoryMiB: 16384, architecture: "x86_64",
        hypervisor: "nitro", enis: 4, ipv4PerENI: 15)
    static let m52xlarge = InstanceType(
        name: "m5.2xlarge", vcpu: 8, memoryMiB: 32768, architecture: "x86_64",
        hypervisor: "nitro", enis: 4, ipv4PerENI: 15)
    static let m524xlarge = InstanceType(
        name: "m5.24xlarge", vcpu: 96, memoryMiB: 393216, architecture: "x86_64",
        hypervisor: "nitro", enis: 15, ipv4PerENI: 50)
    static let t3medium = InstanceType(
        name: "t3.medium", vcpu: 2, memoryMiB: 4096, architecture: "x86_64",
        hypervisor: "nitro", enis: 3, ipv4PerENI: 6, burstable: true)
    static let a1medium = InstanceType(
        name: "a1.medium", vcpu: 1, memoryMiB: 2048, architecture: "arm64",
        hypervisor: "nitro", enis: 2, ipv4PerENI: 4)
    static let m4large = InstanceType(
        name: "m4.large", vcpu: 2, memoryMiB: 8192, architecture: "x86_64",
        hypervisor: "xen", enis: 2, ipv4PerENI: 10)

    /// GPU and Neuron types, as `Pricing/instance-types.csv` has them (GpuInfo counts; no Neuron count).
    static let g4dnxlarge = InstanceType(
        name: "g4dn.xlarge", vcpu: 4, memoryMiB: 16384, architecture: "x86_64",
        hypervisor: "nitro", enis: 3, ipv4PerENI: 10, gpus: 1)
    static let g4dn2xlarge = InstanceType(
        name: "g4dn.2xlarge", vcpu: 8, memoryMiB: 32768, architecture: "x86_64",
        hypervisor: "nitro", enis: 3, ipv4PerENI: 10, gpus: 1)
    static let g4dn12xlarge = InstanceType(
        name: "g4dn.12xlarge", vcpu: 48, memoryMiB: 196608, architecture: "x86_64",
        hypervisor: "nitro", enis: 8, ipv4PerENI: 30, gpus: 4)
    static let inf2xlarge = InstanceType(
        name: "inf2.xlarge", vcpu: 4, memoryMiB: 16384, architecture: "x86_64",
        hypervisor: "nitro", enis: 4, ipv4PerENI: 15)

    static let catalog = InstanceCatalog(
        [
            m5large, m5xlarge, m52xlarge, m524xlarge, t3medium, a1medium, m4large,
            g4dnxlarge, g4dn2xlarge, g4dn12xlarge, inf2xlarge,
        ],
        source: "test literals")
}

enum Snapshots {
    static func price(
        _ region: String, _ service: String, _ item: String, _ usd: Decimal,
        _ unit: PriceUnit = .hour, term: String = PriceKey.onDemand
    ) -> Price {
        Price(
            key: PriceKey(region: region, service: service, item: item, term: term), unit: unit, usd: usd,
            source: "test", sourceDate: "2026-09")
    }

    /// The seed notes' prices (2019-12, us-east-1).
    static let seed = PriceSnapshot(
        id: "aws-2019-12", date: CalendarDate("2019-12-15")!,
        prices: [
            price("us-east-1", "eks", "cluster", Decimal(string: "0.20")!),
            price("us-east-1", "ec2", "m5.large", Decimal(string: "0.096")!),
            price("us-east-1", "vpc", "eni", Decimal(string: "0.015")!),
        ])

    /// PRICING-FACTS.md's us-east-1 list prices.
    static let current = PriceSnapshot(
        id: "aws-2026-11", date: CalendarDate("2026-11-23")!,
        prices: [
            price("us-east-1", "eks", "cluster", Decimal(string: "0.10")!),
            price("us-east-1", "eks", "extended-support", Decimal(string: "0.50")!),
            price("us-east-1", "ec2", "m5.large", Decimal(string: "0.096")!),
            price("us-east-1", "ec2", "t3.medium", Decimal(string: "0.0416")!),
            price("us-east-1", "ebs", "gp3", Decimal(string: "0.08")!, .gbMonth),
            price("us-east-1", "vpc", "eni", 0),
            price("us-east-1", "vpc", "public-ipv4", Decimal(string: "0.005")!),
        ])
}

extension Decimal {
    init(_ text: StaticString) { self = Decimal(string: "\(text)")! }
}
