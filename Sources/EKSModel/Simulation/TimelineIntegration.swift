import Foundation

/// The report steps being written, one array per column with one entry per step. Node columns
/// exist per template and are filled only for templates that have had nodes, so a group offering
/// hundreds of types costs nothing for the types it never launched.
struct StepColumns {
    var starts: [Int] = []
    var seconds: [Int] = []
    var nodeSeconds: [[Int64]]
    var nodes: [[Int32]]
    var fargatePodSeconds: [[Int64]]
    var eniSeconds: [Int64] = []
    var pendingPods: [Int] = []

    init(templates: Int, fargateWorkloads: Int) {
        nodeSeconds = Array(repeating: [], count: templates)
        nodes = Array(repeating: [], count: templates)
        fargatePodSeconds = Array(repeating: [], count: fargateWorkloads)
    }

    var last: Int { starts.count - 1 }

    mutating func start(at second: Int) {
        starts.append(second)
        seconds.append(0)
        eniSeconds.append(0)
        pendingPods.append(0)
        for column in fargatePodSeconds.indices { fargatePodSeconds[column].append(0) }
    }

    mutating func dropLast() {
        starts.removeLast()
        seconds.removeLast()
        eniSeconds.removeLast()
        pendingPods.removeLast()
        for column in fargatePodSeconds.indices { fargatePodSeconds[column].removeLast() }
        for template in nodeSeconds.indices where nodeSeconds[template].count > starts.count {
            nodeSeconds[template].removeLast()
        }
        for template in nodes.indices where nodes[template].count > starts.count { nodes[template].removeLast() }
    }

    /// Adds node-seconds of `template` to the last step.
    mutating func addNodeSeconds(_ value: Int64, template: Int) {
        Self.pad(&nodeSeconds[template], to: starts.count)
        nodeSeconds[template][last] += value
    }

    mutating func setNodes(_ value: Int32, template: Int) {
        Self.pad(&nodes[template], to: starts.count)
        nodes[template][last] = value
    }

    static func pad<Value: BinaryInteger>(_ column: inout [Value], to count: Int) {
        while column.count < count { column.append(0) }
    }

    /// Adds what a resource billed with a one-minute minimum owes beyond the time it ran, to the last step.
    mutating func chargeMinimum(lived: Int, _ add: (inout StepColumns, Int64) -> Void) {
        let shortfall = ShortLivedBilling.minimumSeconds - lived
        guard shortfall > 0, !starts.isEmpty else { return }
        add(&self, Int64(shortfall))
    }
}

extension NodeSimulation {
    // MARK: - Integration

    /// Integrates the current state from `clock` to `time`, closing report steps on the way.
    mutating func advance(to time: Int) {
        let end = min(time, periodSeconds)
        guard clock < end else {
            clock = max(clock, end)
            return
        }
        for template in planner.pool.occupiedTemplates { templateSeen[template] = true }
        let fargatePods = fargateWorkloads.map { Int64(fargateStarts[$0].count) }
        let enis = Int64(planner.pool.enis) + fargatePods.reduce(0, +)
        while clock < end {
            let stepEnd = min(end, steps.starts[steps.last] + settings.reportStepSeconds)
            let span = Int64(stepEnd - clock)
            for template in planner.pool.occupiedTemplates {
                steps.addNodeSeconds(Int64(planner.pool.nodesPerTemplate[template]) * span, template: template)
            }
            for column in fargatePods.indices where fargatePods[column] > 0 {
                steps.fargatePodSeconds[column][steps.last] += fargatePods[column] * span
            }
            steps.eniSeconds[steps.last] += enis * span
            steps.seconds[steps.last] += Int(span)
            clock = stepEnd
            if clock == steps.starts[steps.last] + settings.reportStepSeconds {
                closeStep()
                if clock < periodSeconds { steps.start(at: clock) }
            }
        }
    }

    /// The state at the end of the last step: nodes per type, pending pods.
    mutating func closeStep() {
        for template in steps.nodes.indices
        where !steps.nodes[template].isEmpty || planner.pool.nodesPerTemplate[template] > 0 {
            steps.setNodes(Int32(planner.pool.nodesPerTemplate[template]), template: template)
        }
        steps.pendingPods[steps.last] = pendingTotal
    }

    /// Bills what still runs at the end of the period.
    mutating func finish() {
        for index in podCounts.indices where podCounts[index] > 0 {
            podSecondsAccumulated[index] += Int64(podCounts[index]) * Int64(periodSeconds - podCountSince[index])
        }
        if steps.seconds[steps.last] > 0 || steps.starts.count == 1 { closeStep() }
        if steps.seconds[steps.last] == 0 && steps.starts.count > 1 { steps.dropLast() }
        for slot in planner.pool.slotsInOrder {
            let template = planner.pool.bins[slot].template
            templateSeen[template] = true
            steps.chargeMinimum(lived: periodSeconds - planner.pool.launchedAt[slot]) { steps, seconds in
                steps.addNodeSeconds(seconds, template: template)
            }
        }
        for (column, index) in fargateWorkloads.enumerated() {
            for start in fargateStarts[index] {
                steps.chargeMinimum(lived: periodSeconds - start) { steps, seconds in
                    steps.fargatePodSeconds[column][steps.last] += seconds
                }
            }
        }
    }

    mutating func recordPeaks() {
        if planner.pool.count > peakNodes {
            peakNodes = planner.pool.count
            peakNodesAt = clock
        }
        guard !scopes.isEmpty else { return }
        let fargate = fargateWorkloads.reduce(0) { $0 + fargateStarts[$1].count }
        for (index, scope) in scopes.enumerated() {
            let used =
                scope.groups.reduce(0) { $0 + planner.pool.subnetIPsPerGroup[$1] } + (scope.fargate ? fargate : 0)
            peakAddresses[index] = max(peakAddresses[index], used)
        }
    }

    /// What the period ran, keeping the node types that ran, in template (node group) order.
    func timeline() -> ClusterTimeline {
        let used = planner.templates.indices.filter { templateSeen[$0] }
        let keys = used.map { NodeKey(group: planner.templates[$0].groupName, type: planner.templates[$0].type.name) }
        let stepCount = steps.starts.count
        func full<Value: BinaryInteger>(_ column: [Value]) -> [Value] {
            var column = column
            StepColumns.pad(&column, to: stepCount)
            return column
        }
        var templates: [NodeKey: NodeTypePlan] = [:]
        var podSeconds: [NodeKey: [String: Int64]] = [:]
        let names = planner.workloads.map(\.qualifiedName)
        for (key, index) in zip(keys, used) {
            let template = planner.templates[index]
            templates[key] = NodeTypePlan(
                groupName: template.groupName, type: template.type, nodes: 0, pods: 0, requested: .zero,
                daemonSetPodsPerNode: template.daemonSets.count,
                daemonSetRequestsPerNode: template.daemonSetRequests,
                maxPodsPerNode: template.maxPods, allocatablePerNode: template.allocatable,
                enis: 0, subnetIPs: 0)
            for (workload, name) in names.enumerated() {
                let seconds = podSecondsAccumulated[index * names.count + workload]
                if seconds > 0 { podSeconds[key, default: [:]][name] = seconds }
            }
        }
        var unplaced: [UnschedulablePods] = []
        for (index, count) in worstPending.enumerated() where count > 0 {
            unplaced.append(planner.explain(PodRun(workload: -1, count: count), workload: workloads[index]))
        }
        var sizes: [String: FargateSize] = [:]
        for (index, workload) in workloads.enumerated() where onFargate[index] {
            sizes[workload.qualifiedName] = fargateSizes[index]
        }
        let peakUse = scopes.enumerated().map {
            SubnetUse(groups: $1.names, spec: $1.spec, addressesUsed: peakAddresses[$0])
        }
        return ClusterTimeline(
            periodSeconds: periodSeconds, stepStarts: steps.starts, stepSeconds: steps.seconds, nodeKeys: keys,
            nodeSecondsByType: used.map { full(steps.nodeSeconds[$0]) },
            nodesByType: used.map { full(steps.nodes[$0]) },
            fargateWorkloadNames: fargateWorkloads.map { workloads[$0].qualifiedName },
            fargatePodSecondsByWorkload: steps.fargatePodSeconds,
            eniSecondsPerStep: steps.eniSeconds, pendingPodsPerStep: steps.pendingPods,
            workloadNames: workloads.map(\.qualifiedName), trajectories: trajectories,
            templates: templates, peakNodes: peakNodes, peakNodesAt: peakNodesAt,
            peakSubnetUse: peakUse, podSeconds: podSeconds, pending: unplaced, fargateSizes: sizes,
            settings: settings)
    }
}
