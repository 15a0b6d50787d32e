/// Every resource a pod asks for besides CPU, memory and ephemeral storage: extended resources
/// (`nvidia.com/gpu`, `aws.amazon.com/neuron`, `vpc.amazonaws.com/pod-eni`, any `domain/name`) as
/// counts, hugepages (`hugepages-2Mi`) in bytes.
///
/// The scheduler treats each of them as a capacity: kube-scheduler's NodeResourcesFit filter
/// (pkg/scheduler/framework/plugins/noderesources/fit.go `fitsRequest`) refuses a node whose
/// allocatable amount of a requested scalar resource, less what its pods already request, is below
/// the pod's request; a node that does not advertise the resource has 0. Kept sorted by name, with
/// no zero entries, so equal amounts compare equal; most pods ask for none, and then it is empty.
public struct ExtendedResources: Sendable, Hashable, CustomStringConvertible {
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var amount: Int64
    }

    public private(set) var entries: [Entry]

    public static let none = ExtendedResources(entries: [])

    init(entries: [Entry]) { self.entries = entries }

    public init(_ amounts: [String: Int64]) {
        entries = amounts.filter { $0.value != 0 }.map { Entry(name: $0.key, amount: $0.value) }.sorted {
            $0.name < $1.name
        }
    }

    public var isEmpty: Bool { entries.isEmpty }

    public subscript(name: String) -> Int64 { entries.first { $0.name == name }?.amount ?? 0 }

    public var names: [String] { entries.map(\.name) }

    /// Per resource, `self` and `other` combined by `combine` (a missing entry is 0).
    func merged(with other: ExtendedResources, _ combine: (Int64, Int64) -> Int64) -> ExtendedResources {
        var result: [Entry] = []
        var a = 0
        var b = 0
        while a < entries.count || b < other.entries.count {
            let name: String
            let value: Int64
            if b == other.entries.count || (a < entries.count && entries[a].name < other.entries[b].name) {
                name = entries[a].name
                value = combine(entries[a].amount, 0)
                a += 1
            } else if a == entries.count || other.entries[b].name < entries[a].name {
                name = other.entries[b].name
                value = combine(0, other.entries[b].amount)
                b += 1
            } else {
                name = entries[a].name
                value = combine(entries[a].amount, other.entries[b].amount)
                a += 1
                b += 1
            }
            if value != 0 { result.append(Entry(name: name, amount: value)) }
        }
        return ExtendedResources(entries: result)
    }

    public static func + (lhs: ExtendedResources, rhs: ExtendedResources) -> ExtendedResources {
        if rhs.isEmpty { return lhs }
        if lhs.isEmpty { return rhs }
        return lhs.merged(with: rhs) { $0.saturatingAdding($1) }
    }

    public static func - (lhs: ExtendedResources, rhs: ExtendedResources) -> ExtendedResources {
        if rhs.isEmpty { return lhs }
        return lhs.merged(with: rhs) { $0.saturatingSubtracting($1) }
    }

    /// Per resource, the larger of the two (init containers against running ones).
    public func max(_ other: ExtendedResources) -> ExtendedResources {
        if other.isEmpty && entries.allSatisfy({ $0.amount >= 0 }) { return self }
        return merged(with: other) { Swift.max($0, $1) }
    }

    /// Every amount times `factor` (the requests of `factor` identical pods).
    public func scaled(by factor: Int) -> ExtendedResources {
        if isEmpty || factor == 1 { return self }
        return ExtendedResources(
            entries: factor == 0
                ? [] : entries.map { Entry(name: $0.name, amount: $0.amount.saturatingMultiplied(by: Int64(factor))) })
    }

    /// How many more of `request` fit into `self` (a node's room) beside `used`, or nil when the
    /// request asks for none of these resources.
    public func count(of request: ExtendedResources, besides used: ExtendedResources) -> Int? {
        var count: Int?
        for entry in request.entries where entry.amount > 0 {
            let free = self[entry.name] - used[entry.name]
            let fits = free < 0 ? 0 : Int(free / entry.amount)
            count = Swift.min(count ?? fits, fits)
        }
        return count
    }

    /// Whether every amount is at most the one `room` has.
    public func fits(in room: ExtendedResources) -> Bool {
        entries.allSatisfy { $0.amount <= room[$0.name] }
    }

    /// Without the resources ekscost does not place by (see `notModelled`).
    public var modelled: ExtendedResources {
        entries.contains { Self.notModelled.contains($0.name) }
            ? ExtendedResources(entries: entries.filter { !Self.notModelled.contains($0.name) }) : self
    }

    /// `vpc.amazonaws.com/pod-eni`, the branch ENIs of security groups for pods, is advertised by the
    /// VPC resource controller on trunk-capable types in numbers only its generated table has
    /// (aws/amazon-vpc-resource-controller-k8s pkg/aws/vpc/limits.go, `BranchInterface`); the instance
    /// catalog does not carry them, so pods asking for it are placed as if every node had enough, and
    /// the report says so.
    public static let notModelled: Set<String> = ["vpc.amazonaws.com/pod-eni"]

    /// GPUs and other accelerators by the resource names their device plugins advertise.
    public static func isAccelerator(_ name: String) -> Bool {
        name.hasSuffix("/gpu") || name.hasPrefix("nvidia.com/mig-") || name.hasPrefix("aws.amazon.com/neuron")
            || name == "habana.ai/gaudi"
    }

    /// `1 nvidia.com/gpu, 2Mi hugepages-2Mi`.
    public var description: String {
        entries.map { $0.name.hasPrefix("hugepages-") ? "\($0.amount) bytes of \($0.name)" : "\($0.amount) \($0.name)" }
            .joined(separator: ", ")
    }
}
