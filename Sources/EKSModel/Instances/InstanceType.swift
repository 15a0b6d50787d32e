/// The facts of one EC2 instance type that capacity and network rules need, as
/// `aws ec2 describe-instance-types` gives them.
public struct InstanceType: Sendable, Hashable {
    public var name: String
    public var vcpu: Int
    public var memoryMiB: Int
    /// `x86_64` or `arm64` (the first supported architecture AWS lists, `i386` skipped).
    public var architecture: String
    /// `nitro`, `xen`, or empty for bare metal.
    public var hypervisor: String
    /// Network interfaces of the default network card: the only card the VPC CNI uses for pods.
    public var enis: Int
    public var ipv4PerENI: Int
    /// GPUs per instance.
    public var gpus: Int
    /// GPU memory of the whole instance (all its GPUs), MiB; 0 without GPUs.
    public var gpuMemoryMiB = 0
    public var bareMetal: Bool
    public var burstable: Bool
    public var currentGeneration: Bool

    public init(
        name: String, vcpu: Int, memoryMiB: Int, architecture: String, hypervisor: String,
        enis: Int, ipv4PerENI: Int, gpus: Int = 0, bareMetal: Bool = false,
        burstable: Bool = false, currentGeneration: Bool = true
    ) {
        self.name = name
        self.vcpu = vcpu
        self.memoryMiB = memoryMiB
        self.architecture = architecture
        self.hypervisor = hypervisor
        self.enis = enis
        self.ipv4PerENI = ipv4PerENI
        self.gpus = gpus
        self.bareMetal = bareMetal
        self.burstable = burstable
        self.currentGeneration = currentGeneration
    }

    public var isNitro: Bool { hypervisor == "nitro" }

    /// `m5` of `m5.large`.
    public var family: String { String(name.prefix { $0 != "." }) }
}

extension InstanceType {
    /// What the catalog's vcpu, memory_mib, enis, ipv4_per_eni, gpus and gpu_memory_mib may be.
    public static let catalogRanges: [ClosedRange<Int>] = [
        0...100_000, 0...(1 << 30), 0...1_000, 0...1_000, 0...1_000, 0...(1 << 30),
    ]
}

/// Every instance type ekscost knows, by name.
public struct InstanceCatalog: Sendable {
    public let types: [String: InstanceType]
    /// Where the facts come from, for reports.
    public let source: String

    public init(_ types: [InstanceType], source: String) {
        var byName: [String: InstanceType] = [:]
        for type in types { byName[type.name] = type }
        self.types = byName
        self.source = source
    }

    public subscript(name: String) -> InstanceType? { types[name] }

    public var names: [String] { types.keys.sorted() }

    /// Up to three known names closest to `name`, for "did you mean" hints.
    public func suggestions(for name: String) -> [String] {
        let family = name.prefix { $0 != "." }
        let sameFamily = names.filter { $0.hasPrefix(family + ".") }
        let pool = sameFamily.isEmpty ? names : sameFamily
        return pool.map { ($0, EditDistance.between($0, name)) }
            .filter { $0.1 <= max(2, name.count / 3) || !sameFamily.isEmpty }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
            .prefix(3).map(\.0)
    }
}
