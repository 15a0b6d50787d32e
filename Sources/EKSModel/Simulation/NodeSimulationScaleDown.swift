import Foundation

extension NodeSimulation {
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
}
