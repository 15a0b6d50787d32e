import Foundation

/// Simulates a cluster through the period: replicas follow each HPA (phase 1); pods are
/// scheduled on the least allocated node that fits (kube-scheduler's default scoring); pods
/// with no room scale node groups up as in capacity planning; nodes are removed as the Cluster
/// Autoscaler does (requests under 50 % of allocatable, pods able to move, for 10 minutes;
/// cluster-autoscaler FAQ "How does scale-down work?") or, in Karpenter and Auto Mode groups,
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
