public import Foundation

/// A Fargate profile: pods matching any selector run on Fargate.
public struct FargateProfile: Sendable, Hashable {
    public var name: String
    public var selectors: [FargateSelector]

    public init(name: String, selectors: [FargateSelector]) {
        self.name = name
        self.selectors = selectors
    }

    public func matches(_ workload: Workload) -> Bool { selectors.contains { $0.matches(workload) } }
}

/// A namespace and optional labels, with `*` and `?` wildcards.
///
/// Source: EKS User Guide, "Define which Pods use AWS Fargate when launched" (a pod matches a
/// selector when its namespace matches and it carries every label of the selector; up to five
/// selectors per profile; wildcards `*` and `?` in namespace and label values).
public struct FargateSelector: Sendable, Hashable {
    public var namespace: String
    public var labels: [String: String]

    public init(namespace: String, labels: [String: String] = [:]) {
        self.namespace = namespace
        self.labels = labels
    }

    public func matches(_ workload: Workload) -> Bool {
        guard Wildcard.matches(workload.namespace, pattern: namespace) else { return false }
        return labels.allSatisfy { key, value in
            workload.labels[key].map { Wildcard.matches($0, pattern: value) } ?? false
        }
    }
}

/// `*` (any run of characters) and `?` (one character) matching.
enum Wildcard {
    static func matches(_ text: String, pattern: String) -> Bool {
        let t = Array(text)
        let p = Array(pattern)
        var ti = 0
        var pi = 0
        var star = -1
        var mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                ti += 1
                pi += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

/// The vCPU and memory Fargate provisions for a pod.
public struct FargateSize: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// vCPU: 0.25, 0.5, 1, 2, 4, 8 or 16.
    public var vcpu: Decimal
    /// GB (of 1024 MiB).
    public var memoryGB: Decimal

    public init(vcpu: Decimal, memoryGB: Decimal) {
        self.vcpu = vcpu
        self.memoryGB = memoryGB
    }

    public static func < (lhs: FargateSize, rhs: FargateSize) -> Bool {
        (lhs.vcpu, lhs.memoryGB) < (rhs.vcpu, rhs.memoryGB)
    }

    public var description: String { "\(DecimalText.format(vcpu)) vCPU / \(DecimalText.format(memoryGB)) GB" }
}

/// Why a pod cannot run on Fargate.
public enum FargateLimitation: Sendable, Hashable, CustomStringConvertible {
    case daemonSet
    case privileged
    case hostNetwork
    case hostPort
    case gpu
    /// Another extended resource (a device plugin's, hugepages): Fargate runs no device plugins.
    case extendedResource(String)
    /// Its node selector or affinity asks for something Fargate nodes are not (Arm, Windows,
    /// other labels).
    case nodeSelection(String)
    /// Larger than 16 vCPU / 120 GB after the 256 MB Fargate adds.
    case tooLarge(ResourceRequests)
    /// More than 175 GB of ephemeral storage.
    case storageTooLarge
    /// A StatefulSet's claim templates give its pods EBS volumes, which Fargate cannot mount.
    case ebsVolumes

    public var description: String {
        switch self {
        case .daemonSet: "DaemonSets do not run on Fargate"
        case .privileged: "privileged containers are not supported on Fargate"
        case .hostNetwork: "hostNetwork is not supported on Fargate"
        case .hostPort: "hostPort is not supported on Fargate"
        case .gpu: "GPUs are not available on Fargate"
        case .extendedResource(let name):
            "it requests \(name), which Fargate does not offer (no device plugins run there)"
        case .nodeSelection(let what):
            "its node selector or affinity asks for \(what), which Fargate nodes (Linux, x86_64) are not"
        case .tooLarge(let requests):
            "it requests \(requests), more than Fargate's largest size (16 vCPU / 120 GB, with 256 MB added)"
        case .storageTooLarge: "it requests more than the 175 GB of ephemeral storage a Fargate pod can have"
        case .ebsVolumes: "its volumeClaimTemplates give it EBS volumes, which Fargate pods cannot mount"
        }
    }
}

/// Fargate's sizing rule and limits.
///
/// Source: EKS User Guide, "Fargate Pod configuration" (vCPU and memory: the larger of the
/// largest init container and the sum of the long-running containers, plus 256 MB for the
/// kubelet, kube-proxy and containerd, rounded up to the smallest valid combination; a pod
/// without requests gets 0.25 vCPU / 0.5 GB; 20 GB ephemeral storage included, up to 175 GB)
/// and "AWS Fargate considerations" (no DaemonSets, privileged containers, hostNetwork /
/// hostPort, GPUs, Arm or Windows; Amazon EBS volumes cannot be mounted to Fargate Pods).
public enum FargateSizing {
    /// Memory Fargate adds for the kubelet, kube-proxy and containerd.
    public static let overheadMiB: Int64 = 256
    public static let includedEphemeralStorageGB = 20
    public static let maxEphemeralStorageGB = 175

    /// Valid combinations, smallest first: (vCPU, memory options in GB).
    public static let combinations: [(vcpu: Decimal, memoryGB: [Decimal])] = [
        (Decimal(string: "0.25")!, [Decimal(string: "0.5")!, 1, 2]),
        (Decimal(string: "0.5")!, [1, 2, 3, 4]),
        (1, (2...8).map { Decimal($0) }),
        (2, (4...16).map { Decimal($0) }),
        (4, (8...30).map { Decimal($0) }),
        (8, stride(from: 16, through: 60, by: 4).map { Decimal($0) }),
        (16, stride(from: 32, through: 120, by: 8).map { Decimal($0) }),
    ]

    /// The smallest valid size holding `requests` plus 256 MB, or nil when none does.
    public static func size(for requests: ResourceRequests) -> FargateSize? {
        let memoryMiB = Decimal((requests.memoryBytes + 1_048_575) / 1_048_576) + Decimal(overheadMiB)
        let cpu = Decimal(requests.cpuMillicores) / 1000
        for (vcpu, memories) in combinations where vcpu >= cpu {
            if let memory = memories.first(where: { $0 * 1024 >= memoryMiB }) {
                return FargateSize(vcpu: vcpu, memoryGB: memory)
            }
        }
        return nil
    }

    /// Labels Fargate nodes carry, for checking node selectors and affinity.
    public static let nodeLabels = [
        "kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux", "eks.amazonaws.com/compute-type": "fargate",
    ]

    /// Why the workload's pods cannot run on Fargate, if they cannot.
    public static func limitation(for workload: Workload) -> FargateLimitation? {
        if workload.kind == .daemonSet { return .daemonSet }
        let containers = workload.containers + workload.initContainers
        if containers.contains(where: \.privileged) { return .privileged }
        if workload.hostNetwork { return .hostNetwork }
        if containers.contains(where: \.usesHostPort) { return .hostPort }
        if containers.contains(where: { $0.accelerators > 0 }) { return .gpu }
        if let resource = containers.flatMap(\.requests.extended.modelled.names).first {
            return .extendedResource(resource)
        }
        if !workload.acceptsNode(labeled: nodeLabels) { return .nodeSelection(describeSelection(workload)) }
        if size(for: workload.podRequests) == nil { return .tooLarge(workload.podRequests) }
        if extraEphemeralStorageGB(workload) + includedEphemeralStorageGB > maxEphemeralStorageGB {
            return .storageTooLarge
        }
        if !workload.volumeClaimTemplates.isEmpty { return .ebsVolumes }
        return nil
    }

    static func describeSelection(_ workload: Workload) -> String {
        if let arch = workload.nodeSelector["kubernetes.io/arch"], arch != "amd64" { return "\(arch) nodes" }
        if let os = workload.nodeSelector["kubernetes.io/os"], os != "linux" { return "\(os) nodes" }
        let selector = workload.nodeSelector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return selector.isEmpty ? "nodes its required affinity describes" : selector.joined(separator: ", ")
    }

    /// The pod's ephemeral-storage request in whole GB above the 20 GB included (rounded up).
    public static func extraEphemeralStorageGB(_ workload: Workload) -> Int {
        let running = workload.containers.reduce(Int64(0)) { $0.saturatingAdding($1.ephemeralStorageBytes) }
        let initPeak = workload.initContainers.map(\.ephemeralStorageBytes).max() ?? 0
        let bytes = max(running, initPeak)
        let gb = Int(bytes / (1 << 30) + (bytes % (1 << 30) > 0 ? 1 : 0))
        return max(0, gb - includedEphemeralStorageGB)
    }
}
