import Foundation

/// A node group and instance type.
public struct NodeKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var group: String
    public var type: String

    public static func < (lhs: NodeKey, rhs: NodeKey) -> Bool { (lhs.group, lhs.type) < (rhs.group, rhs.type) }
    public var description: String { "\(group)/\(type)" }
}

/// One row of the per-step report: usage integrated over the step, state at its end. Arrays
/// are aligned with the timeline's `nodeKeys` and `workloadNames`.
public struct TimelineStep: Sendable {
    public var start: Int
    public var seconds: Int
    /// Billed node-seconds in the step per node type (with the one-minute minimum of
    /// short-lived nodes added where they end).
    public var nodeSeconds: [Int64]
    /// Billed Fargate pod-seconds per Fargate workload (aligned with the timeline's
    /// `fargateWorkloadNames`; most workloads run on nodes, so not one per workload).
    public var fargatePodSeconds: [Int64]
    public var eniSeconds: Int64
    /// At the end of the step: replicas per workload, nodes per node type (32-bit: a year of
    /// hourly steps for thousands of workloads is held in memory).
    public var replicas: [Int32]
    public var nodes: [Int32]
    public var pendingPods: Int
}

/// What a simulated month ran.
public struct ClusterTimeline: Sendable {
    public var steps: [TimelineStep]
    public var periodSeconds: Int
    /// The node types that ran at some point, in node group order, and the pod workloads.
    public var nodeKeys: [NodeKey]
    public var workloadNames: [String]
    public var fargateWorkloadNames: [String]
    public var trajectories: [String: ReplicaTrajectory]
    /// Node facts per group and type that ran at some point.
    public var templates: [NodeKey: NodeTypePlan]
    public var peakNodes: Int
    public var peakNodesAt: Int
    /// Most subnet addresses held at once, per subnet scope.
    public var peakSubnetUse: [SubnetUse]
    /// Pod-seconds of each workload (`namespace/name`) on each node type that ran, to share the
    /// nodes' cost by what ran on them.
    public var podSeconds: [NodeKey: [String: Int64]] = [:]
    /// Pods that had to wait for a node that never came, at their worst.
    public var pending: [UnschedulablePods]
    public var fargateSizes: [String: FargateSize]
    /// The settings the period was simulated with (reports state them).
    public var settings: SimulationSettings = SimulationSettings()

    public func nodeSeconds(_ key: NodeKey) -> Int64 {
        guard let index = nodeKeys.firstIndex(of: key) else { return 0 }
        return steps.reduce(0) { $0 + $1.nodeSeconds[index] }
    }

    public func fargatePodSeconds(_ workload: String) -> Int64 {
        guard let index = fargateWorkloadNames.firstIndex(of: workload) else { return 0 }
        return steps.reduce(0) { $0 + $1.fargatePodSeconds[index] }
    }

    public var eniSeconds: Int64 { steps.reduce(0) { $0 + $1.eniSeconds } }

    /// Node-seconds per step of one node type (zero for a type that never ran).
    public func nodeSecondsPerStep(_ key: NodeKey) -> [Int64] {
        guard let index = nodeKeys.firstIndex(of: key) else { return steps.map { _ in 0 } }
        return steps.map { $0.nodeSeconds[index] }
    }

    /// Nodes of one type at the end of each step.
    public func nodesPerStep(_ key: NodeKey) -> [Int] {
        guard let index = nodeKeys.firstIndex(of: key) else { return steps.map { _ in 0 } }
        return steps.map { Int($0.nodes[index]) }
    }

    public func peakNodes(_ key: NodeKey) -> Int { nodesPerStep(key).max() ?? 0 }

    /// Fargate pod-seconds per step of one workload.
    public func fargatePodSecondsPerStep(_ workload: String) -> [Int64] {
        guard let index = fargateWorkloadNames.firstIndex(of: workload) else { return steps.map { _ in 0 } }
        return steps.map { $0.fargatePodSeconds[index] }
    }
}

/// Simulates a cluster through the period: replicas follow each HPA (phase 1); pods are
/// scheduled on the least allocated node that fits (kube-scheduler's default scoring); pods
/// with no room scale node groups up as in capacity planning; nodes are removed as the Cluster
/// Autoscaler does (requests under 50 % of allocatable, pods able to move, for 10 minutes;
/// cluster-autoscaler FAQ "How does scale-down work?") or, in groups offering several types,
/// consolidated as Karpenter does (deleted when their pods fit elsewhere, or replaced by a
/// strictly cheaper type). Nodes and Fargate pods are billed per second with a one-minute
/// minimum.
public enum ClusterSimulator {
    public static func simulate(_ cluster: Cluster, curves: [String: LoadCurve], catalog: InstanceCatalog,
                                price: CapacityPlanner.PriceLookup, period: BillingPeriod,
                                settings: SimulationSettings) -> Result<ClusterTimeline, ReplicaSimulation.Failure> {
        let settings = settings.forCluster(cluster)
        let workloads = cluster.podWorkloads
        let requests = workloads.map(\.podRequests)
        var trajectories: [ReplicaTrajectory] = []
        for result in ReplicaSimulation.trajectories(workloads, requests: requests, curves: curves, period: period, settings: settings) {
            switch result {
            case .success(let trajectory): trajectories.append(trajectory)
            case .failure(let failure): return .failure(failure)
            }
        }
        var simulation = NodeSimulation(cluster: cluster, catalog: catalog, price: price, period: period,
                                        settings: settings, trajectories: trajectories)
        return .success(simulation.run())
    }
}

struct NodeSimulation {
    var planner: Planner
    let cluster: Cluster
    let workloads: [Workload]
    let trajectories: [ReplicaTrajectory]
    let settings: SimulationSettings
    let periodSeconds: Int
    /// Workload index → index in the planner's workloads, for those on nodes.
    let plannerIndex: [Int?]
    let onFargate: [Bool]
    /// Workload index → its column in the steps' Fargate pod-seconds (-1 on nodes).
    let fargateColumn: [Int]
    let fargateWorkloads: [Int]
    let fargateSizes: [FargateSize?]
    /// Per planner workload: requests and hostNetwork.
    let nodeRequests: [ResourceRequests]
    let nodeHostNetwork: [Bool]
    /// Per node group: Karpenter-style, autoscaled, minimum size.
    let karpenterGroups: [Bool]
    let autoscaledGroups: [Bool]
    let minimumSizes: [Int]

    var replicas: [Int]
    /// Per planner workload: the indices of the nodes running its pods, so removing pods does
    /// not look at every node.
    var hostsOf: [[Int]]
    var pending: [Int]
    var worstPending: [Int]
    var fargateStarts: [[Int]]

    // Integration over the period.
    var steps: [TimelineStep] = []
    var clock = 0
    var nodeKeyOf: [NodeKey] = []
    var templateSeen: [Bool] = []
    /// Whether pods were removed, nodes changed, or an unneeded node got pods since the last
    /// scale-down / consolidation pass (otherwise nothing can have become removable).
    var needsScaleDownReview = true
    var peakNodes = 0
    var peakNodesAt = 0
    var peakAddresses: [Int] = []
    var scopes: [(groups: [String], spec: SubnetSpec, fargate: Bool)] = []
    /// Pods per (template, planner workload) at `template × workloads + workload`, integrated into
    /// pod-seconds whenever the count changes.
    var podCounts: [Int] = []
    var podSecondsAccumulated: [Int64] = []
    var podCountSince: [Int] = []

    init(cluster: Cluster, catalog: InstanceCatalog, price: CapacityPlanner.PriceLookup, period: BillingPeriod,
         settings: SimulationSettings, trajectories: [ReplicaTrajectory]) {
        self.cluster = cluster
        self.workloads = cluster.podWorkloads
        self.trajectories = trajectories
        self.settings = settings
        self.periodSeconds = period.seconds
        planner = Planner(cluster: cluster, catalog: catalog, price: price, period: period)
        let nodeNames = planner.workloads.map(\.qualifiedName)
        plannerIndex = workloads.map { nodeNames.firstIndex(of: $0.qualifiedName) }
        let fargate = workloads.map { cluster.fargateProfile(for: $0) != nil && FargateSizing.limitation(for: $0) == nil }
        onFargate = fargate
        fargateSizes = workloads.map { FargateSizing.size(for: $0.podRequests) }
        fargateWorkloads = fargate.indices.filter { fargate[$0] }
        var columns = Array(repeating: -1, count: fargate.count)
        for (column, index) in fargateWorkloads.enumerated() { columns[index] = column }
        fargateColumn = columns
        nodeRequests = planner.requests
        nodeHostNetwork = planner.workloads.map(\.hostNetwork)
        karpenterGroups = cluster.nodeGroups.map { $0.typeRule == .cheapestThatFits }
        autoscaledGroups = cluster.nodeGroups.map(\.isAutoscaled)
        minimumSizes = cluster.nodeGroups.map { $0.minSize ?? 0 }
        replicas = Array(repeating: 0, count: workloads.count)
        hostsOf = Array(repeating: [], count: planner.workloads.count)
        pending = replicas
        worstPending = replicas
        fargateStarts = Array(repeating: [], count: workloads.count)
        nodeKeyOf = planner.templates.map { NodeKey(group: $0.groupName, type: $0.type.name) }
        templateSeen = Array(repeating: false, count: planner.templates.count)
        // Subnet scopes: the cluster's (shared, with Fargate) and the groups' own.
        var shared: [String] = ["Fargate"]
        for group in cluster.nodeGroups {
            if let own = group.subnets { scopes.append(([group.name], own, false)) } else { shared.append(group.name) }
        }
        if let subnets = cluster.networking.subnets { scopes.insert((shared, subnets, true), at: 0) }
        peakAddresses = Array(repeating: 0, count: scopes.count)
        let pairs = planner.templates.count * planner.workloads.count
        podCounts = Array(repeating: 0, count: pairs)
        podSecondsAccumulated = Array(repeating: 0, count: pairs)
        podCountSince = Array(repeating: 0, count: pairs)
    }

    /// `delta` pods of planner workload `workload` start (or stop) running on a node of `template` now.
    mutating func countPods(_ delta: Int, of workload: Int, on template: Int) {
        let index = template * planner.workloads.count + workload
        podSecondsAccumulated[index] += Int64(podCounts[index]) * Int64(clock - podCountSince[index])
        podCountSince[index] = clock
        podCounts[index] += delta
    }

    mutating func countPods(on node: PlannedNode, sign: Int) {
        for (workload, count) in node.podsByWorkload { countPods(sign * count, of: workload, on: node.template) }
    }

    mutating func run() -> ClusterTimeline {
        // Nodes that run from the start: fixed groups and minimum sizes.
        for group in planner.groupTemplates.indices {
            guard let first = planner.initialTemplate(group) else { continue }
            let count = Planner.initialSize(cluster.nodeGroups[group], hasPods: true)
            for _ in 0..<count { planner.nodes.append(PlannedNode(template: first, launchedAt: 0)) }
            planner.nodesPerGroup[group] = count
        }
        startStep(at: 0)
        // Replica changes of every workload, in time order.
        var events: [(time: Int, workload: Int, replicas: Int)] = []
        for (index, trajectory) in trajectories.enumerated() {
            for change in trajectory.changes { events.append((change.time, index, change.replicas)) }
        }
        events.sort { ($0.time, $0.workload) < ($1.time, $1.workload) }
        var next = 0
        while true {
            let eventTime = next < events.count ? events[next].time : Int.max
            let timerTime = nextTimer()
            let now = min(eventTime, timerTime, periodSeconds)
            advance(to: now)
            if now >= periodSeconds { break }
            // Fewer replicas first, so new pods can use the room.
            var changes: [(workload: Int, replicas: Int)] = []
            while next < events.count && events[next].time == now {
                changes.append((events[next].workload, events[next].replicas))
                next += 1
            }
            for change in changes.sorted(by: { ($0.replicas - replicas[$0.workload]) < ($1.replicas - replicas[$1.workload]) }) {
                setReplicas(change.workload, to: change.replicas)
            }
            schedulePending()
            if needsScaleDownReview || timerTime <= now {
                consolidateKarpenterGroups()
                scaleDown()
                needsScaleDownReview = false
            }
            recordPeaks()
        }
        finish()
        // Keep the node types that ran, in template (node group) order.
        let used = planner.templates.indices.filter { templateSeen[$0] }
        let usedKeys = used.map { nodeKeyOf[$0] }
        for index in steps.indices {
            steps[index].nodeSeconds = used.map { steps[index].nodeSeconds[$0] }
            steps[index].nodes = used.map { steps[index].nodes[$0] }
        }
        var templates: [NodeKey: NodeTypePlan] = [:]
        for index in used {
            let template = planner.templates[index]
            templates[nodeKeyOf[index]] = NodeTypePlan(groupName: template.groupName, type: template.type, nodes: 0, pods: 0, requested: .zero,
                                          daemonSetPodsPerNode: template.daemonSets.count,
                                          daemonSetRequestsPerNode: template.daemonSetRequests,
                                          maxPodsPerNode: template.maxPods, allocatablePerNode: template.allocatable,
                                          enis: 0, subnetIPs: 0)
        }
        var podSeconds: [NodeKey: [String: Int64]] = [:]
        for template in used {
            for (workload, name) in planner.workloads.map(\.qualifiedName).enumerated() {
                let seconds = podSecondsAccumulated[template * planner.workloads.count + workload]
                if seconds > 0 { podSeconds[nodeKeyOf[template], default: [:]][name] = seconds }
            }
        }
        var unplaced: [UnschedulablePods] = []
        for (index, count) in worstPending.enumerated() where count > 0 {
            let explanation = planner.explain(PodRun(workload: -1, count: count), workload: workloads[index])
            unplaced.append(explanation)
        }
        var sizes: [String: FargateSize] = [:]
        for (index, workload) in workloads.enumerated() where onFargate[index] { sizes[workload.qualifiedName] = fargateSizes[index] }
        let peakUse = scopes.enumerated().map { SubnetUse(groups: $1.groups, spec: $1.spec, addressesUsed: peakAddresses[$0]) }
        return ClusterTimeline(steps: steps, periodSeconds: periodSeconds, nodeKeys: usedKeys,
                               workloadNames: workloads.map(\.qualifiedName),
                               fargateWorkloadNames: fargateWorkloads.map { workloads[$0].qualifiedName },
                               trajectories: Dictionary(uniqueKeysWithValues: workloads.indices.map { (workloads[$0].qualifiedName, trajectories[$0]) }),
                               templates: templates, peakNodes: peakNodes, peakNodesAt: peakNodesAt,
                               peakSubnetUse: peakUse, podSeconds: podSeconds, pending: unplaced, fargateSizes: sizes,
                               settings: settings)
    }

    // MARK: - Replicas

    mutating func setReplicas(_ index: Int, to target: Int) {
        let current = replicas[index]
        if target > current {
            addPods(index, target - current)
        } else if target < current {
            removePods(index, current - target)
        }
        replicas[index] = target
    }

    mutating func addPods(_ index: Int, _ count: Int) {
        if onFargate[index] {
            fargateStarts[index] += Array(repeating: clock, count: count)
            return
        }
        guard let workload = plannerIndex[index] else {
            pending[index] += count  // matches a Fargate profile Fargate cannot run: stays pending
            worstPending[index] = max(worstPending[index], pending[index])
            return
        }
        pending[index] += count - placeOnExistingNodes(workload, count)
    }

    /// kube-scheduler's default NodeResourcesFit scoring (LeastAllocated): each pod goes to the
    /// node where it leaves the most room, as the mean of CPU and memory shares of allocatable;
    /// ties go to the earlier node. Returns how many pods found a node.
    mutating func placeOnExistingNodes(_ workload: Int, _ count: Int) -> Int {
        let request = planner.requests[workload]
        if count == 1 {
            // The common case, one more pod: one pass, no candidate list.
            var best = -1, bestScore = Double.infinity
            for index in planner.nodes.indices {
                let template = planner.nodes[index].template
                guard planner.admits(template, workload),
                      planner.room(for: workload, template: template, used: planner.nodes[index].used, pods: planner.nodes[index].pods,
                                   ports: planner.nodes[index].hostPorts) > 0
                else { continue }
                let nodeScore = score(planner.nodes[index].used, template: template, adding: request)
                if nodeScore < bestScore {
                    best = index
                    bestScore = nodeScore
                }
            }
            guard best >= 0 else { return 0 }
            addPodsToNode(1, of: workload, node: best)
            return 1
        }
        // Candidates: nodes that admit the workload and have room, with their score for one more pod.
        var candidates: [(node: Int, room: Int, score: Double)] = []
        for index in planner.nodes.indices {
            let template = planner.nodes[index].template
            guard planner.admits(template, workload) else { continue }
            let used = planner.nodes[index].used
            let room = planner.room(for: workload, template: template, used: used, pods: planner.nodes[index].pods,
                                    ports: planner.nodes[index].hostPorts)
            guard room > 0 else { continue }
            candidates.append((index, room, score(used, template: template, adding: request)))
        }
        var placed = 0
        while placed < count, !candidates.isEmpty {
            var best = 0
            for position in candidates.indices where candidates[position].score < candidates[best].score { best = position }
            let node = candidates[best].node
            addPodsToNode(1, of: workload, node: node)
            placed += 1
            candidates[best].room -= 1
            if candidates[best].room == 0 {
                candidates.remove(at: best)
            } else {
                candidates[best].score = score(planner.nodes[node].used, template: planner.nodes[node].template, adding: request)
            }
        }
        return placed
    }

    /// Adds (or with a negative count removes) pods on a node. Reads nothing else of the planner,
    /// so the node array is changed in place rather than copied.
    mutating func addPodsToNode(_ count: Int, of workload: Int, node: Int) {
        // A node counted as unneeded that gets pods must be looked at again (its timer may reset).
        if count > 0 && planner.nodes[node].unneededSince != nil { needsScaleDownReview = true }
        let request = nodeRequests[workload]
        countPods(count, of: workload, on: planner.nodes[node].template)
        planner.nodes[node].used.cpuMillicores += request.cpuMillicores * Int64(count)
        planner.nodes[node].used.memoryBytes += request.memoryBytes * Int64(count)
        if !request.extended.isEmpty {
            planner.nodes[node].used.extended = planner.nodes[node].used.extended + request.extended.scaled(by: count)
        }
        let ports = planner.workloadHostPorts[workload]
        if !ports.isEmpty {
            // At most one such pod per node: its ports come and go with it.
            if count > 0 {
                planner.nodes[node].hostPorts += ports
            } else {
                for port in ports {
                    if let position = planner.nodes[node].hostPorts.firstIndex(of: port) { planner.nodes[node].hostPorts.remove(at: position) }
                }
            }
        }
        planner.nodes[node].pods += count
        if !nodeHostNetwork[workload] { planner.nodes[node].ipPods += count }
        let before = planner.nodes[node].podsByWorkload[workload] ?? 0
        if before + count > 0 {
            planner.nodes[node].podsByWorkload[workload] = before + count
            if before == 0 { hostsOf[workload].append(node) }
        } else {
            planner.nodes[node].podsByWorkload[workload] = nil
            if let position = hostsOf[workload].firstIndex(of: node) { hostsOf[workload].remove(at: position) }
        }
    }

    /// Keeps `hostsOf` right when a node leaves the array or joins it at `index`.
    mutating func nodeLeft(_ index: Int) {
        for workload in planner.nodes[index].podsByWorkload.keys {
            if let position = hostsOf[workload].firstIndex(of: index) { hostsOf[workload].remove(at: position) }
        }
        shiftHosts(from: index + 1, by: -1)
    }

    mutating func nodeJoined(_ index: Int) {
        countPods(on: planner.nodes[index], sign: 1)
        shiftHosts(from: index, by: 1)
        for workload in planner.nodes[index].podsByWorkload.keys { hostsOf[workload].append(index) }
    }

    mutating func shiftHosts(from first: Int, by offset: Int) {
        for workload in hostsOf.indices {
            for position in hostsOf[workload].indices where hostsOf[workload][position] >= first { hostsOf[workload][position] += offset }
        }
    }

    func score(_ used: ResourceRequests, template: Int, adding request: ResourceRequests) -> Double {
        let allocatable = planner.templateAllocatable[template]
        let daemonSets = planner.templateDaemonSets[template]
        let cpu = Double(used.cpuMillicores + request.cpuMillicores + daemonSets.cpuMillicores) / Double(max(1, allocatable.cpuMillicores))
        let memory = Double(used.memoryBytes + request.memoryBytes + daemonSets.memoryBytes) / Double(max(1, allocatable.memoryBytes))
        return (cpu + memory) / 2
    }

    /// The ReplicaSet controller deletes unscheduled pods first, then pods on the nodes running
    /// the most of its pods, newest first (controller_utils.go ActivePodsWithRanks).
    mutating func removePods(_ index: Int, _ count: Int) {
        needsScaleDownReview = true
        var left = count
        let fromPending = min(left, pending[index])
        pending[index] -= fromPending
        left -= fromPending
        guard left > 0 else { return }
        if onFargate[index] {
            let column = fargateColumn[index]
            for _ in 0..<min(left, fargateStarts[index].count) {
                let start = fargateStarts[index].removeLast()
                chargeMinimum(lived: clock - start) { step, seconds in step.fargatePodSeconds[column] += seconds }
            }
            return
        }
        guard let workload = plannerIndex[index] else { return }
        // The nodes running this workload's pods, in node order; then take from the one with
        // most, the newest on ties.
        var hosts = hostsOf[workload].sorted().map { (node: $0, pods: planner.nodes[$0].podsByWorkload[workload] ?? 0) }
        while left > 0, !hosts.isEmpty {
            var best = 0
            for position in hosts.indices where hosts[position].pods >= hosts[best].pods { best = position }
            addPodsToNode(-1, of: workload, node: hosts[best].node)
            hosts[best].pods -= 1
            if hosts[best].pods == 0 { hosts.remove(at: best) }
            left -= 1
        }
    }

    /// Pending pods first try the existing nodes again, then scale groups up.
    mutating func schedulePending() {
        var runs: [PodRun] = []
        for index in workloads.indices where pending[index] > 0 {
            guard let workload = plannerIndex[index] else { continue }
            let left = pending[index] - placeOnExistingNodes(workload, pending[index])
            pending[index] = left
            if left > 0 { runs.append(PodRun(workload: workload, count: left)) }
        }
        guard !runs.isEmpty else { return }
        let before = planner.nodes.count
        let unplaced = planner.scaleUp(runs)
        for index in before..<planner.nodes.count {
            planner.nodes[index].launchedAt = clock
            countPods(on: planner.nodes[index], sign: 1)
            for workload in planner.nodes[index].podsByWorkload.keys { hostsOf[workload].append(index) }
        }
        for index in workloads.indices { if plannerIndex[index] != nil { pending[index] = 0 } }
        for run in unplaced {
            if let index = plannerIndex.firstIndex(of: run.workload) { pending[index] = run.count }
        }
        for index in workloads.indices { worstPending[index] = max(worstPending[index], pending[index]) }
    }

    // MARK: - Scale-down

    /// Whether `node`'s workload pods could all run on the other nodes, and where: first fit,
    /// as the Cluster Autoscaler's simulation checks.
    func relocation(of node: Int) -> [(node: Int, workload: Int, count: Int)]? {
        // What the moves so far add to their targets: few entries, so a list, not a copy of
        // every node.
        var added: [(node: Int, used: ResourceRequests, pods: Int, ports: [HostPort])] = []
        var moves: [(node: Int, workload: Int, count: Int)] = []
        for (workload, count) in planner.nodes[node].podsByWorkload.sorted(by: { $0.key < $1.key }) {
            var left = count
            let request = planner.requests[workload]
            for target in planner.nodes.indices where left > 0 && target != node {
                let template = planner.nodes[target].template
                guard planner.admits(template, workload) else { continue }
                var used = planner.nodes[target].used, pods = planner.nodes[target].pods, ports = planner.nodes[target].hostPorts
                let entry = added.firstIndex { $0.node == target }
                if let entry {
                    used = used + added[entry].used
                    pods += added[entry].pods
                    ports += added[entry].ports
                }
                let take = min(left, planner.room(for: workload, template: template, used: used, pods: pods, ports: ports))
                guard take > 0 else { continue }
                let extra = request.scaled(by: take)
                let extraPorts = planner.workloadHostPorts[workload]
                if let entry {
                    added[entry].used = added[entry].used + extra
                    added[entry].pods += take
                    added[entry].ports += extraPorts
                } else {
                    added.append((target, extra, take, extraPorts))
                }
                moves.append((target, workload, take))
                left -= take
            }
            if left > 0 { return nil }
        }
        return moves
    }

    /// Requests over allocatable, the larger of CPU and memory, DaemonSets included
    /// (cluster-autoscaler utilization.Calculate).
    func utilization(_ node: PlannedNode) -> Double {
        let allocatable = planner.templateAllocatable[node.template]
        let daemonSets = planner.templateDaemonSets[node.template]
        let cpu = Double(node.used.cpuMillicores + daemonSets.cpuMillicores) / Double(max(1, allocatable.cpuMillicores))
        let memory = Double(node.used.memoryBytes + daemonSets.memoryBytes) / Double(max(1, allocatable.memoryBytes))
        return max(cpu, memory)
    }

    func groupCanShrink(_ group: Int) -> Bool {
        autoscaledGroups[group] && planner.nodesPerGroup[group] > minimumSizes[group]
    }

    func isKarpenterGroup(_ group: Int) -> Bool { karpenterGroups[group] }

    /// Marks unneeded nodes and removes those unneeded for the whole unneeded time.
    mutating func scaleDown() {
        var changed = true
        while changed {
            changed = false
            for index in planner.nodes.indices {
                let group = planner.templateGroup[planner.nodes[index].template]
                guard !isKarpenterGroup(group) else { continue }
                let unneeded = groupCanShrink(group) && utilization(planner.nodes[index]) < settings.scaleDownUtilizationThreshold
                    && relocation(of: index) != nil
                if !unneeded {
                    planner.nodes[index].unneededSince = nil
                } else if planner.nodes[index].unneededSince == nil {
                    planner.nodes[index].unneededSince = clock
                }
            }
            if let expired = planner.nodes.indices.first(where: { index in
                planner.nodes[index].unneededSince.map { clock - $0 >= settings.scaleDownUnneededSeconds } ?? false
            }), let moves = relocation(of: expired) {
                remove(expired, moving: moves)
                changed = true
            }
        }
    }

    /// The soonest time a node's unneeded time runs out.
    func nextTimer() -> Int {
        planner.nodes.compactMap { $0.unneededSince.map { $0 + settings.scaleDownUnneededSeconds } }.min() ?? Int.max
    }

    /// Karpenter (consolidateAfter 0s, WhenEmptyOrUnderutilized): delete a node whose pods fit
    /// on the others, or replace it by a strictly cheaper type that holds them.
    mutating func consolidateKarpenterGroups() {
        var changed = true
        while changed {
            changed = false
            let candidates = planner.nodes.indices.filter { index in
                let group = planner.templateGroup[planner.nodes[index].template]
                return isKarpenterGroup(group) && groupCanShrink(group)
            }.sorted { utilization(planner.nodes[$0]) < utilization(planner.nodes[$1]) }
            for index in candidates {
                if let moves = relocation(of: index) {
                    remove(index, moving: moves)
                    changed = true
                    break
                }
                if replaceWithCheaper(index) {
                    changed = true
                    break
                }
            }
        }
    }

    mutating func replaceWithCheaper(_ index: Int) -> Bool {
        let node = planner.nodes[index]
        let current = planner.templates[node.template]
        guard let currentPrice = current.hourlyPrice else { return false }
        let group = current.groupIndex
        let fitting = planner.groupTemplates[group].filter { candidate in
            let template = planner.templates[candidate]
            guard let price = template.hourlyPrice, price < currentPrice else { return false }
            return node.pods <= template.podSlots && node.used.fits(in: template.room)
                && node.podsByWorkload.keys.allSatisfy { planner.admits(candidate, $0) }
        }
        guard let cheaper = planner.cheapestTemplate(fitting) else { return false }
        var replacement = node
        replacement.template = cheaper
        replacement.launchedAt = clock
        replacement.unneededSince = nil
        retire(index)
        planner.nodes.insert(replacement, at: index)
        nodeJoined(index)
        planner.nodesPerGroup[group] += 1
        return true
    }

    mutating func remove(_ index: Int, moving moves: [(node: Int, workload: Int, count: Int)]) {
        for move in moves { addPodsToNode(move.count, of: move.workload, node: move.node) }
        retire(index)
    }

    /// Takes a node out, billing its one-minute minimum if it lived less.
    mutating func retire(_ index: Int) {
        countPods(on: planner.nodes[index], sign: -1)
        nodeLeft(index)
        let node = planner.nodes.remove(at: index)
        let group = planner.templates[node.template].groupIndex
        planner.nodesPerGroup[group] -= 1
        let template = node.template
        needsScaleDownReview = true
        chargeMinimum(lived: clock - node.launchedAt) { step, seconds in step.nodeSeconds[template] += seconds }
    }

    /// Adds what a resource billed with a one-minute minimum owes beyond the time it ran.
    mutating func chargeMinimum(lived: Int, _ add: (inout TimelineStep, Int64) -> Void) {
        let shortfall = ShortLivedBilling.minimumSeconds - lived
        guard shortfall > 0, !steps.isEmpty else { return }
        add(&steps[steps.count - 1], Int64(shortfall))
    }

    // MARK: - Integration

    mutating func startStep(at start: Int) {
        steps.append(TimelineStep(start: start, seconds: 0, nodeSeconds: Array(repeating: 0, count: planner.templates.count),
                                  fargatePodSeconds: Array(repeating: 0, count: fargateWorkloads.count), eniSeconds: 0,
                                  replicas: [], nodes: [], pendingPods: 0))
    }

    /// Integrates the current state from `clock` to `time`, closing report steps on the way.
    mutating func advance(to time: Int) {
        let end = min(time, periodSeconds)
        guard clock < end else {
            clock = max(clock, end)
            return
        }
        var nodesByTemplate = Array(repeating: Int64(0), count: planner.templates.count)
        var enis: Int64 = 0
        for index in planner.nodes.indices {
            let template = planner.nodes[index].template
            nodesByTemplate[template] += 1
            templateSeen[template] = true
            enis += Int64(nodeENIs(index))
        }
        let fargatePods = fargateWorkloads.map { Int64(fargateStarts[$0].count) }
        enis += fargatePods.reduce(0, +)
        while clock < end {
            let stepEnd = min(end, steps[steps.count - 1].start + settings.reportStepSeconds)
            let span = Int64(stepEnd - clock)
            let last = steps.count - 1
            for template in nodesByTemplate.indices where nodesByTemplate[template] > 0 {
                steps[last].nodeSeconds[template] += nodesByTemplate[template] * span
            }
            for column in fargatePods.indices where fargatePods[column] > 0 {
                steps[last].fargatePodSeconds[column] += fargatePods[column] * span
            }
            steps[last].eniSeconds += enis * span
            steps[last].seconds += Int(span)
            clock = stepEnd
            if clock == steps[last].start + settings.reportStepSeconds {
                closeStep()
                if clock < periodSeconds { startStep(at: clock) }
            }
        }
    }

    /// ENIs a node holds for its pods and warm pool.
    func nodeENIs(_ index: Int) -> Int {
        let node = planner.nodes[index]
        let template = planner.templates[node.template]
        return SubnetAddresses.use(pods: node.ipPods + template.daemonSetIPPods, on: template.type,
                                   mode: cluster.networking.addressMode, warmPool: cluster.networking.warmPool).enis
    }

    mutating func closeStep() {
        let last = steps.count - 1
        steps[last].replicas = replicas.map { Int32(clamping: $0) }
        var nodes = Array(repeating: Int32(0), count: planner.templates.count)
        for index in planner.nodes.indices { nodes[planner.nodes[index].template] += 1 }
        steps[last].nodes = nodes
        steps[last].pendingPods = pending.reduce(0, +)
    }

    /// Bills what still runs at the end of the period.
    mutating func finish() {
        for index in podCounts.indices where podCounts[index] > 0 {
            podSecondsAccumulated[index] += Int64(podCounts[index]) * Int64(periodSeconds - podCountSince[index])
        }
        if steps.last!.seconds > 0 || steps.count == 1 { closeStep() }
        if steps.last!.seconds == 0 && steps.count > 1 { steps.removeLast() }
        for node in planner.nodes {
            let template = node.template
            templateSeen[template] = true
            chargeMinimum(lived: periodSeconds - node.launchedAt) { step, seconds in step.nodeSeconds[template] += seconds }
        }
        for (column, index) in fargateWorkloads.enumerated() {
            for start in fargateStarts[index] {
                chargeMinimum(lived: periodSeconds - start) { step, seconds in step.fargatePodSeconds[column] += seconds }
            }
        }
    }

    mutating func recordPeaks() {
        if planner.nodes.count > peakNodes {
            peakNodes = planner.nodes.count
            peakNodesAt = clock
        }
        guard !scopes.isEmpty else { return }
        var byGroup: [String: Int] = [:]
        for node in planner.nodes {
            let template = planner.templates[node.template]
            byGroup[template.groupName, default: 0] += SubnetAddresses.use(pods: node.ipPods + template.daemonSetIPPods, on: template.type,
                                                                          mode: cluster.networking.addressMode,
                                                                          warmPool: cluster.networking.warmPool).subnetIPs
        }
        let fargate = fargateStarts.reduce(0) { $0 + $1.count }
        for (index, scope) in scopes.enumerated() {
            let used = scope.groups.reduce(0) { $0 + (byGroup[$1] ?? 0) } + (scope.fargate ? fargate : 0)
            peakAddresses[index] = max(peakAddresses[index], used)
        }
    }
}
