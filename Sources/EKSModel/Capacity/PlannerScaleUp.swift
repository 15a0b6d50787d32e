import Foundation

extension Planner {
    // MARK: - Scale-up

    struct Option {
        var group: Int
        var nodes: [PlannedNode]
        var placed: [Int: Int]
        var waste: Double
    }

    mutating func scaleUp(_ runs: [PodRun]) -> [PodRun] {
        var pending = runs
        while !pending.isEmpty {
            var best: Option?
            for group in cluster.nodeGroups.indices where cluster.nodeGroups[group].isAutoscaled {
                let room = maxNodes[group] == Int.max ? Int.max : maxNodes[group] - nodesPerGroup[group]
                guard room > 0, !groupTemplates[group].isEmpty else { continue }
                let eligible = pending.filter { run in groupTemplates[group].contains { admits($0, run.workload) } }
                guard !eligible.isEmpty else { continue }
                let option = cluster.nodeGroups[group].typeRule == .cheapestThatFits
                    ? karpenterOption(group: group, runs: eligible, maxNew: room)
                    : clusterAutoscalerOption(group: group, runs: eligible, maxNew: room)
                guard let option, !option.placed.isEmpty else { continue }
                // expander/waste: least wasted CPU + memory share; ties keep the earlier group.
                if best == nil || option.waste < best!.waste - 1e-12 { best = option }
            }
            guard let chosen = best else { break }
            nodes += chosen.nodes
            nodesPerGroup[chosen.group] += chosen.nodes.count
            pending = pending.compactMap { run in
                var run = run
                run.count -= chosen.placed[run.workload] ?? 0
                return run.count > 0 ? run : nil
            }
        }
        return pending
    }

    /// binpacking_estimator.go: first-fit decreasing onto new nodes of the group's template.
    func clusterAutoscalerOption(group: Int, runs: [PodRun], maxNew: Int) -> Option? {
        let templateIndex = groupTemplates[group][0]
        let template = templates[templateIndex]
        let allocatable = template.allocatableResources
        func score(_ r: ResourceRequests) -> Double {
            Double(r.cpuMillicores) / Double(max(1, allocatable.cpuMillicores))
                + Double(r.memoryBytes) / Double(max(1, allocatable.memoryBytes))
        }
        let ordered = runs.filter { admits(templateIndex, $0.workload) }
            .sorted { (score(requests[$0.workload]), -$0.workload) > (score(requests[$1.workload]), -$1.workload) }
        var newNodes: [PlannedNode] = []
        var placed: [Int: Int] = [:]
        var firstOpen = 0
        for run in ordered {
            let request = requests[run.workload]
            var remaining = run.count
            for index in firstOpen..<newNodes.count where remaining > 0 {
                let take = min(remaining, room(for: run.workload, template: templateIndex, used: newNodes[index].used,
                                                     pods: newNodes[index].pods, ports: newNodes[index].hostPorts))
                if take > 0 {
                    add(take, of: run.workload, to: &newNodes[index])
                    remaining -= take
                }
            }
            let perEmptyNode = room(for: run.workload, template: templateIndex, used: .zero, pods: 0)
            while remaining > 0, perEmptyNode > 0, newNodes.count < maxNew {
                var node = PlannedNode(template: templateIndex)
                let take = min(remaining, perEmptyNode)
                add(take, of: run.workload, to: &node)
                newNodes.append(node)
                remaining -= take
            }
            placed[run.workload, default: 0] += run.count - remaining
            // Nodes that cannot take even one more of the smallest pod no longer need a look.
            while firstOpen < newNodes.count, isFull(newNodes[firstOpen], template: templateIndex, runs: ordered) { firstOpen += 1 }
        }
        if cluster.nodeGroups[group].typeRule == .cheapestListedForSpot {
            for index in newNodes.indices {
                newNodes[index].template = cheapestHolding(newNodes[index], among: groupTemplates[group]) ?? templateIndex
            }
        }
        placed = placed.filter { $0.value > 0 }
        return Option(group: group, nodes: newNodes, placed: placed, waste: waste(of: newNodes))
    }

    /// Karpenter's packing: node claims keep the types that can still hold all their pods; each
    /// launches the cheapest of them.
    func karpenterOption(group: Int, runs: [PodRun], maxNew: Int) -> Option? {
        let candidates = groupTemplates[group]
        let ordered = runs.sorted { a, b in
            let ra = requests[a.workload], rb = requests[b.workload]
            return (ra.cpuMillicores, ra.memoryBytes, -a.workload) > (rb.cpuMillicores, rb.memoryBytes, -b.workload)
        }
        var claims: [NodeClaim] = []
        var placed: [Int: Int] = [:]
        for run in ordered {
            let admitting = candidates.filter { admits($0, run.workload) }
            guard !admitting.isEmpty else { continue }
            var remaining = run.count
            for index in claims.indices where remaining > 0 {
                let fits = claims[index].candidates.filter { admits($0, run.workload) }
                    .map { ($0, room(for: run.workload, template: $0, used: claims[index].used, pods: claims[index].pods,
                                      ports: claims[index].hostPorts)) }
                let most = fits.map(\.1).max() ?? 0
                guard most > 0 else { continue }
                let take = min(remaining, most)
                claims[index].candidates = fits.filter { $0.1 >= take }.map(\.0)
                add(take, of: run.workload, to: &claims[index])
                remaining -= take
            }
            while remaining > 0, claims.count < maxNew {
                let fits = admitting.map { ($0, room(for: run.workload, template: $0, used: .zero, pods: 0)) }
                let most = fits.map(\.1).max() ?? 0
                guard most > 0 else { break }
                let take = min(remaining, most)
                var claim = NodeClaim(candidates: fits.filter { $0.1 >= take }.map(\.0))
                add(take, of: run.workload, to: &claim)
                claims.append(claim)
                remaining -= take
            }
            placed[run.workload, default: 0] += run.count - remaining
        }
        let newNodes = claims.map { claim in
            PlannedNode(template: cheapestTemplate(claim.candidates)!, used: claim.used, pods: claim.pods,
                        ipPods: claim.ipPods, hostPorts: claim.hostPorts, podsByWorkload: claim.podsByWorkload)
        }
        placed = placed.filter { $0.value > 0 }
        return Option(group: group, nodes: newNodes, placed: placed, waste: waste(of: newNodes))
    }
}
