import Foundation

/// A node group and instance type.
public struct NodeKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var group: String
    public var type: String

    public static func < (lhs: NodeKey, rhs: NodeKey) -> Bool { (lhs.group, lhs.type) < (rhs.group, rhs.type) }
    public var description: String { "\(group)/\(type)" }
}

/// One row of the per-step report: usage integrated over the step, state at its end.
public struct TimelineStep: Sendable {
    public var start: Int
    public var seconds: Int
    /// Billed node-seconds in the step, per node group and type (with the one-minute minimum of
    /// short-lived nodes added where they end).
    public var nodeSeconds: [NodeKey: Int64]
    /// Billed Fargate pod-seconds per workload.
    public var fargatePodSeconds: [String: Int64]
    public var eniSeconds: Int64
    /// At the end of the step.
    public var replicas: [String: Int]
    public var nodes: [NodeKey: Int]
    public var pendingPods: Int
}

/// What a simulated month ran.
public struct ClusterTimeline: Sendable {
    public var steps: [TimelineStep]
    public var periodSeconds: Int
    public var trajectories: [String: ReplicaTrajectory]
    /// Node facts per group and type that ran at some point.
    public var templates: [NodeKey: NodeTypePlan]
    public var peakNodes: Int
    public var peakNodesAt: Int
    /// Most subnet addresses held at once, per subnet scope.
    public var peakSubnetUse: [SubnetUse]
    /// Pods that had to wait for a node that never came, at their worst.
    public var pending: [UnschedulablePods]
    public var fargateSizes: [String: FargateSize]

    public func nodeSeconds(_ key: NodeKey) -> Int64 { steps.reduce(0) { $0 + ($1.nodeSeconds[key] ?? 0) } }
    public func fargatePodSeconds(_ workload: String) -> Int64 { steps.reduce(0) { $0 + ($1.fargatePodSeconds[workload] ?? 0) } }
    public var eniSeconds: Int64 { steps.reduce(0) { $0 + $1.eniSeconds } }
    public var nodeKeys: [NodeKey] { templates.keys.sorted() }
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
    let fargateSizes: [FargateSize?]

    var replicas: [Int]
    var pending: [Int]
    var worstPending: [Int]
    var fargateStarts: [[Int]]

    // Integration over the period.
    var steps: [TimelineStep] = []
    var clock = 0
    var nodeKeyOf: [NodeKey] = []
    var seenTemplates: [NodeKey: Int] = [:]
    var peakNodes = 0
    var peakNodesAt = 0
    var peakAddresses: [Int] = []
    var scopes: [(groups: [String], spec: SubnetSpec, fargate: Bool)] = []

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
        onFargate = workloads.map { cluster.fargateProfile(for: $0) != nil && FargateSizing.limitation(for: $0) == nil }
        fargateSizes = workloads.map { FargateSizing.size(for: $0.podRequests) }
        replicas = Array(repeating: 0, count: workloads.count)
        pending = replicas
        worstPending = replicas
        fargateStarts = Array(repeating: [], count: workloads.count)
        nodeKeyOf = planner.templates.map { NodeKey(group: $0.groupName, type: $0.type.name) }
        // Subnet scopes: the cluster's (shared, with Fargate) and the groups' own.
        var shared: [String] = ["Fargate"]
        for group in cluster.nodeGroups {
            if let own = group.subnets { scopes.append(([group.name], own, false)) } else { shared.append(group.name) }
        }
        if let subnets = cluster.networking.subnets { scopes.insert((shared, subnets, true), at: 0) }
        peakAddresses = Array(repeating: 0, count: scopes.count)
    }

    mutating func run() -> ClusterTimeline {
        // Nodes that run from the start: fixed groups and minimum sizes.
        for (group, indices) in planner.groupTemplates.enumerated() {
            guard let first = planner.cheapestTemplate(indices) else { continue }
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
            consolidateKarpenterGroups()
            scaleDown()
            recordPeaks()
        }
        finish()
        var templates: [NodeKey: NodeTypePlan] = [:]
        for (key, index) in seenTemplates {
            let template = planner.templates[index]
            templates[key] = NodeTypePlan(groupName: template.groupName, type: template.type, nodes: 0, pods: 0, requested: .zero,
                                          daemonSetPodsPerNode: template.daemonSets.count,
                                          daemonSetRequestsPerNode: template.daemonSetRequests,
                                          maxPodsPerNode: template.maxPods, allocatablePerNode: template.allocatable,
                                          enis: 0, subnetIPs: 0)
        }
        var unplaced: [UnschedulablePods] = []
        for (index, count) in worstPending.enumerated() where count > 0 {
            let explanation = planner.explain(PodRun(workload: -1, count: count), workload: workloads[index])
            unplaced.append(explanation)
        }
        var sizes: [String: FargateSize] = [:]
        for (index, workload) in workloads.enumerated() where onFargate[index] { sizes[workload.qualifiedName] = fargateSizes[index] }
        let peakUse = scopes.enumerated().map { SubnetUse(groups: $1.groups, spec: $1.spec, addressesUsed: peakAddresses[$0]) }
        return ClusterTimeline(steps: steps, periodSeconds: periodSeconds,
                               trajectories: Dictionary(uniqueKeysWithValues: workloads.indices.map { (workloads[$0].qualifiedName, trajectories[$0]) }),
                               templates: templates, peakNodes: peakNodes, peakNodesAt: peakNodesAt,
                               peakSubnetUse: peakUse, pending: unplaced, fargateSizes: sizes)
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
        var left = count
        while left > 0, let node = leastAllocatedNode(for: workload) {
            planner.add(1, of: workload, to: &planner.nodes[node])
            left -= 1
        }
        pending[index] += left
    }

    /// kube-scheduler's default NodeResourcesFit scoring (LeastAllocated): the node where the
    /// pod leaves the most room, as the mean of CPU and memory shares; ties go to the earlier node.
    func leastAllocatedNode(for workload: Int) -> Int? {
        let request = planner.requests[workload]
        var best: Int?
        var bestScore = Double.infinity
        for (index, node) in planner.nodes.enumerated() {
            let template = planner.templates[node.template]
            guard template.admits(planner.workloads[workload]),
                  Planner.room(for: request, in: template, used: node.used, pods: node.pods) > 0 else { continue }
            let allocatable = template.allocatableResources
            let cpu = Double(node.used.cpuMillicores + request.cpuMillicores + template.daemonSetRequests.cpuMillicores) / Double(max(1, allocatable.cpuMillicores))
            let memory = Double(node.used.memoryBytes + request.memoryBytes + template.daemonSetRequests.memoryBytes) / Double(max(1, allocatable.memoryBytes))
            let score = (cpu + memory) / 2
            if score < bestScore { best = index; bestScore = score }
        }
        return best
    }

    /// The ReplicaSet controller deletes unscheduled pods first, then pods on the nodes running
    /// the most of its pods, newest first (controller_utils.go ActivePodsWithRanks).
    mutating func removePods(_ index: Int, _ count: Int) {
        var left = count
        let fromPending = min(left, pending[index])
        pending[index] -= fromPending
        left -= fromPending
        guard left > 0 else { return }
        if onFargate[index] {
            let name = workloads[index].qualifiedName
            for _ in 0..<min(left, fargateStarts[index].count) {
                let start = fargateStarts[index].removeLast()
                chargeMinimum(lived: clock - start) { step, seconds in step.fargatePodSeconds[name, default: 0] += seconds }
            }
            return
        }
        guard let workload = plannerIndex[index] else { return }
        while left > 0 {
            var best: Int?
            for (nodeIndex, node) in planner.nodes.enumerated() {
                guard let pods = node.podsByWorkload[workload], pods > 0 else { continue }
                if best == nil || pods >= planner.nodes[best!].podsByWorkload[workload]! { best = nodeIndex }
            }
            guard let node = best else { break }
            planner.add(-1, of: workload, to: &planner.nodes[node])
            if planner.nodes[node].podsByWorkload[workload] == 0 { planner.nodes[node].podsByWorkload[workload] = nil }
            left -= 1
        }
    }

    /// Pending pods first try the existing nodes again, then scale groups up.
    mutating func schedulePending() {
        var runs: [PodRun] = []
        for index in workloads.indices where pending[index] > 0 {
            guard let workload = plannerIndex[index] else { continue }
            var left = pending[index]
            while left > 0, let node = leastAllocatedNode(for: workload) {
                planner.add(1, of: workload, to: &planner.nodes[node])
                left -= 1
            }
            pending[index] = left
            if left > 0 { runs.append(PodRun(workload: workload, count: left)) }
        }
        guard !runs.isEmpty else { return }
        let before = planner.nodes.count
        let unplaced = planner.scaleUp(runs)
        for index in before..<planner.nodes.count { planner.nodes[index].launchedAt = clock }
        for index in workloads.indices { if plannerIndex[index] != nil { pending[index] = 0 } }
        for run in unplaced {
            if let index = plannerIndex.firstIndex(of: run.workload) { pending[index] = run.count }
        }
        for index in workloads.indices { worstPending[index] = max(worstPending[index], pending[index]) }
    }

    // MARK: - Scale-down

    /// Whether `node`'s workload pods could all run on the other nodes (not `excluded`),
    /// and where: first fit, as the Cluster Autoscaler's simulation checks.
    func relocation(of node: Int, excluding excluded: Set<Int>) -> [(node: Int, workload: Int, count: Int)]? {
        var used = planner.nodes.map(\.used)
        var pods = planner.nodes.map(\.pods)
        var moves: [(node: Int, workload: Int, count: Int)] = []
        for (workload, count) in planner.nodes[node].podsByWorkload.sorted(by: { $0.key < $1.key }) {
            var left = count
            let request = planner.requests[workload]
            for target in planner.nodes.indices where left > 0 && target != node && !excluded.contains(target) {
                let template = planner.templates[planner.nodes[target].template]
                guard template.admits(planner.workloads[workload]) else { continue }
                let take = min(left, Planner.room(for: request, in: template, used: used[target], pods: pods[target]))
                guard take > 0 else { continue }
                used[target] = used[target] + ResourceRequests(cpuMillicores: request.cpuMillicores * Int64(take),
                                                               memoryBytes: request.memoryBytes * Int64(take))
                pods[target] += take
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
        let template = planner.templates[node.template]
        let allocatable = template.allocatableResources
        let cpu = Double(node.used.cpuMillicores + template.daemonSetRequests.cpuMillicores) / Double(max(1, allocatable.cpuMillicores))
        let memory = Double(node.used.memoryBytes + template.daemonSetRequests.memoryBytes) / Double(max(1, allocatable.memoryBytes))
        return max(cpu, memory)
    }

    func groupCanShrink(_ group: Int) -> Bool {
        let definition = cluster.nodeGroups[group]
        return definition.isAutoscaled && planner.nodesPerGroup[group] > (definition.minSize ?? 0)
    }

    func isKarpenterGroup(_ group: Int) -> Bool { cluster.nodeGroups[group].choosesInstanceType }

    /// Marks unneeded nodes and removes those unneeded for the whole unneeded time.
    mutating func scaleDown() {
        var changed = true
        while changed {
            changed = false
            for index in planner.nodes.indices {
                let group = planner.templates[planner.nodes[index].template].groupIndex
                guard !isKarpenterGroup(group) else { continue }
                let unneeded = groupCanShrink(group) && utilization(planner.nodes[index]) < settings.scaleDownUtilizationThreshold
                    && relocation(of: index, excluding: []) != nil
                if !unneeded {
                    planner.nodes[index].unneededSince = nil
                } else if planner.nodes[index].unneededSince == nil {
                    planner.nodes[index].unneededSince = clock
                }
            }
            if let expired = planner.nodes.indices.first(where: { index in
                planner.nodes[index].unneededSince.map { clock - $0 >= settings.scaleDownUnneededSeconds } ?? false
            }), let moves = relocation(of: expired, excluding: []) {
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
                let group = planner.templates[planner.nodes[index].template].groupIndex
                return isKarpenterGroup(group) && groupCanShrink(group)
            }.sorted { utilization(planner.nodes[$0]) < utilization(planner.nodes[$1]) }
            for index in candidates {
                if let moves = relocation(of: index, excluding: []) {
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
            return node.pods <= template.podSlots
                && node.used.cpuMillicores <= template.room.cpuMillicores && node.used.memoryBytes <= template.room.memoryBytes
                && node.podsByWorkload.keys.allSatisfy { template.admits(planner.workloads[$0]) }
        }
        guard let cheaper = planner.cheapestTemplate(fitting) else { return false }
        var replacement = node
        replacement.template = cheaper
        replacement.launchedAt = clock
        replacement.unneededSince = nil
        retire(index)
        planner.nodes.insert(replacement, at: index)
        planner.nodesPerGroup[group] += 1
        return true
    }

    mutating func remove(_ index: Int, moving moves: [(node: Int, workload: Int, count: Int)]) {
        for move in moves { planner.add(move.count, of: move.workload, to: &planner.nodes[move.node]) }
        retire(index)
    }

    /// Takes a node out, billing its one-minute minimum if it lived less.
    mutating func retire(_ index: Int) {
        let node = planner.nodes.remove(at: index)
        let group = planner.templates[node.template].groupIndex
        planner.nodesPerGroup[group] -= 1
        let key = nodeKeyOf[node.template]
        chargeMinimum(lived: clock - node.launchedAt) { step, seconds in step.nodeSeconds[key, default: 0] += seconds }
    }

    /// Adds what a resource billed with a one-minute minimum owes beyond the time it ran.
    mutating func chargeMinimum(lived: Int, _ add: (inout TimelineStep, Int64) -> Void) {
        let shortfall = ShortLivedBilling.minimumSeconds - lived
        guard shortfall > 0, !steps.isEmpty else { return }
        add(&steps[steps.count - 1], Int64(shortfall))
    }

    // MARK: - Integration

    mutating func startStep(at start: Int) {
        steps.append(TimelineStep(start: start, seconds: 0, nodeSeconds: [:], fargatePodSeconds: [:], eniSeconds: 0,
                                  replicas: [:], nodes: [:], pendingPods: 0))
    }

    /// Integrates the current state from `clock` to `time`, closing report steps on the way.
    mutating func advance(to time: Int) {
        let end = min(time, periodSeconds)
        var nodesByKey: [NodeKey: Int64] = [:]
        var enis: Int64 = 0
        for node in planner.nodes {
            let key = nodeKeyOf[node.template]
            nodesByKey[key, default: 0] += 1
            if seenTemplates[key] == nil { seenTemplates[key] = node.template }
            let template = planner.templates[node.template]
            enis += Int64(SubnetAddresses.use(pods: node.ipPods + template.daemonSetIPPods, on: template.type,
                                              mode: cluster.networking.addressMode, warmPool: cluster.networking.warmPool).enis)
        }
        var fargatePods: [String: Int64] = [:]
        for index in workloads.indices where onFargate[index] && !fargateStarts[index].isEmpty {
            fargatePods[workloads[index].qualifiedName] = Int64(fargateStarts[index].count)
            enis += Int64(fargateStarts[index].count)
        }
        while clock < end {
            let stepEnd = min(end, steps.last!.start + settings.reportStepSeconds)
            let span = Int64(stepEnd - clock)
            var step = steps[steps.count - 1]
            for (key, count) in nodesByKey { step.nodeSeconds[key, default: 0] += count * span }
            for (name, count) in fargatePods { step.fargatePodSeconds[name, default: 0] += count * span }
            step.eniSeconds += enis * span
            step.seconds += Int(span)
            steps[steps.count - 1] = step
            clock = stepEnd
            if clock == steps.last!.start + settings.reportStepSeconds {
                closeStep()
                if clock < periodSeconds { startStep(at: clock) }
            }
        }
        clock = max(clock, end)
    }

    mutating func closeStep() {
        var step = steps[steps.count - 1]
        step.replicas = Dictionary(uniqueKeysWithValues: workloads.indices.map { (workloads[$0].qualifiedName, replicas[$0]) })
        var nodes: [NodeKey: Int] = [:]
        for node in planner.nodes { nodes[nodeKeyOf[node.template], default: 0] += 1 }
        step.nodes = nodes
        step.pendingPods = pending.reduce(0, +)
        steps[steps.count - 1] = step
    }

    /// Bills what still runs at the end of the period.
    mutating func finish() {
        if steps.last!.seconds > 0 || steps.count == 1 { closeStep() }
        if steps.last!.seconds == 0 && steps.count > 1 { steps.removeLast() }
        for node in planner.nodes {
            let key = nodeKeyOf[node.template]
            chargeMinimum(lived: periodSeconds - node.launchedAt) { step, seconds in step.nodeSeconds[key, default: 0] += seconds }
        }
        for index in workloads.indices where onFargate[index] {
            let name = workloads[index].qualifiedName
            for start in fargateStarts[index] {
                chargeMinimum(lived: periodSeconds - start) { step, seconds in step.fargatePodSeconds[name, default: 0] += seconds }
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
