/// What a pod of a placed workload takes on its node.
struct PodFacts: Sendable {
    /// Requests the scheduler places by (CPU, memory, extended resources).
    var request: ResourceRequests
    /// Ports each pod binds on its node.
    var hostPorts: [HostPort]
    /// Whether the pod uses the node's network (and so takes no pod IP).
    var hostNetwork: Bool
}

/// Pod counts per workload, by workload index: a short sorted list, as a node runs the pods of a
/// few workloads.
struct PodCounts: Sendable {
    private(set) var workloads: [Int32] = []
    private(set) var counts: [Int32] = []

    var isEmpty: Bool { workloads.isEmpty }
    var count: Int { workloads.count }

    /// Position of `workload`, or where it would go.
    private func position(of workload: Int) -> (index: Int, found: Bool) {
        var low = 0
        var high = workloads.count
        while low < high {
            let mid = (low + high) / 2
            if Int(workloads[mid]) < workload { low = mid + 1 } else { high = mid }
        }
        return (low, low < workloads.count && Int(workloads[low]) == workload)
    }

    subscript(workload: Int) -> Int {
        let (index, found) = position(of: workload)
        return found ? Int(counts[index]) : 0
    }

    /// Changes the count of `workload` by `delta`; returns the new count (an entry at 0 goes).
    @discardableResult
    mutating func change(_ workload: Int, by delta: Int) -> Int {
        let (index, found) = position(of: workload)
        guard found else {
            if delta != 0 {
                workloads.insert(Int32(workload), at: index)
                counts.insert(Int32(delta), at: index)
            }
            return delta
        }
        let value = Int(counts[index]) + delta
        if value == 0 {
            workloads.remove(at: index)
            counts.remove(at: index)
        } else {
            counts[index] = Int32(value)
        }
        return value
    }

    /// Calls `body` with each (workload, count) pair in workload order.
    @inline(__always)
    func forEach(_ body: (Int, Int) -> Void) {
        for index in workloads.indices { body(Int(workloads[index]), Int(counts[index])) }
    }

    /// (workload, count) pairs in workload order.
    var entries: [(workload: Int, count: Int)] { workloads.indices.map { (Int(workloads[$0]), Int(counts[$0])) } }

    /// The workload indices, in order.
    var workloadIndices: [Int] { workloads.map(Int.init) }
}

/// What runs on one node, or on one node being planned: the requests of its workload pods
/// (extended resources included), its pods, those taking a pod IP, the host ports they bind and
/// the pods of each workload. DaemonSet pods are the template's, not counted here.
struct NodeBin: Sendable {
    var template: Int
    var used: ResourceRequests = .zero
    var pods = 0
    var ipPods = 0
    /// Ports its workload pods bind (the DaemonSets' are the template's).
    var hostPorts: [HostPort] = []
    var podsByWorkload = PodCounts()

    init(template: Int) { self.template = template }

    /// Puts `count` pods of `workload` on the node. A workload with host ports runs at most one
    /// pod per node (NodePorts), so its ports are bound once.
    mutating func add(_ count: Int, of workload: Int, _ pod: borrowing PodFacts) {
        guard count > 0 else { return }
        used.cpuMillicores += pod.request.cpuMillicores * Int64(count)
        used.memoryBytes += pod.request.memoryBytes * Int64(count)
        if !pod.request.extended.isEmpty { used.extended = used.extended + pod.request.extended.scaled(by: count) }
        if !pod.hostPorts.isEmpty { hostPorts += pod.hostPorts }
        pods += count
        if !pod.hostNetwork { ipPods += count }
        podsByWorkload.change(workload, by: count)
    }

    /// Takes `count` pods of `workload` off the node, and the ports they bound.
    mutating func remove(_ count: Int, of workload: Int, _ pod: borrowing PodFacts) {
        guard count > 0 else { return }
        used.cpuMillicores -= pod.request.cpuMillicores * Int64(count)
        used.memoryBytes -= pod.request.memoryBytes * Int64(count)
        if !pod.request.extended.isEmpty { used.extended = used.extended - pod.request.extended.scaled(by: count) }
        for port in pod.hostPorts {
            if let position = hostPorts.firstIndex(of: port) { hostPorts.remove(at: position) }
        }
        pods -= count
        if !pod.hostNetwork { ipPods -= count }
        podsByWorkload.change(workload, by: -count)
    }
}

/// A Karpenter node claim: pods so far, and the templates that can still hold them all.
struct NodeClaim: Sendable {
    var bin = NodeBin(template: -1)
    var candidates: [Int]
}

/// A run of identical pending pods: `count` pods of workload `workload`.
struct PodRun {
    var workload: Int
    var count: Int
}
