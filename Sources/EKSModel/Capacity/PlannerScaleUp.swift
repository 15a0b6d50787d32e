import Foundation

extension Planner {
    // MARK: - Scale-up

    /// New nodes one group would launch for pending pods.
    struct Option {
        var group: Int
        var nodes: [NodeBin]
        var placed: [Int: Int]
        var waste: Double
    }

    /// Scales groups up for `runs` as the autoscalers would, launching the nodes at `time`; returns
    /// the pods left over and the slots of the new nodes, in launch order.
    mutating func scaleUp(_ runs: [PodRun], at time: Int) -> (unplaced: [PodRun], launched: [Int]) {
        var pending = runs
        var launched: [Int] = []
        while !pending.isEmpty {
            var best: Option?
            for group in cluster.nodeGroups.indices where cluster.nodeGroups[group].isAutoscaled {
                let room = maxNodes[group] == Int.max ? Int.max : maxNodes[group] - pool.nodesPerGroup[group]
                guard room > 0, !groupTemplates[group].isEmpty else { continue }
                let eligible = pending.filter { run in groupTemplates[group].contains { rules.admits($0, run.workload) }
                }
                guard !eligible.isEmpty else { continue }
                let option =
                    cluster.nodeGroups[group].typeRule == .cheapestThatFits
                    ? karpenterOption(group: group, runs: eligible, maxNew: room)
                    : clusterAutoscalerOption(group: group, runs: eligible, maxNew: room)
                guard !option.placed.isEmpty else { continue }
                // expander/waste: least wasted CPU + memory share; ties keep the earlier group.
                if best == nil || option.waste < best!.waste - 1e-12 { best = option }
            }
            guard let chosen = best else { break }
            for node in chosen.nodes { launched.append(pool.launch(node, at: time)) }
            pending = pending.compactMap { run in
                var run = run
                run.count -= chosen.placed[run.workload] ?? 0
                return run.count > 0 ? run : nil
            }
        }
        return (pending, launched)
    }

    /// binpacking_estimator.go: first-fit decreasing onto new nodes of the group's template.
    func clusterAutoscalerOption(group: Int, runs: [PodRun], maxNew: Int) -> Option {
        let template = groupTemplates[group][0]
        let allocatable = templates[template].allocatableResources
        func score(_ r: ResourceRequests) -> Double {
            Double(r.cpuMillicores) / Double(max(1, allocatable.cpuMillicores))
                + Double(r.memoryBytes) / Double(max(1, allocatable.memoryBytes))
        }
        let ordered = runs.filter { rules.admits(template, $0.workload) }.map {
            ($0, score(rules.pods[$0.workload].request))
        }
        .sorted { ($0.1, -$0.0.workload) > ($1.1, -$1.0.workload) }.map(\.0)
        var newNodes: [NodeBin] = []
        var free = FirstFitIndex()
        func refresh(_ index: Int) {
            let node = newNodes[index]
            free.set(
                index, cpu: rules.templateRoom[template].cpuMillicores - node.used.cpuMillicores,
                memory: rules.templateRoom[template].memoryBytes - node.used.memoryBytes,
                slots: Int64(rules.templateSlots[template] - node.pods), kinds: 1)
        }
        var placed: [Int: Int] = [:]
        for run in ordered {
            let request = rules.pods[run.workload].request
            var remaining = run.count
            // First fit over the new nodes; nodes too full for this pod are passed over.
            var from = 0
            while remaining > 0,
                let index = free.first(from: from, cpu: request.cpuMillicores, memory: request.memoryBytes, kinds: 1)
            {
                from = index + 1
                let take = min(remaining, rules.room(for: run.workload, in: newNodes[index], as: template))
                if take > 0 {
                    newNodes[index].add(take, of: run.workload, rules.pods[run.workload])
                    refresh(index)
                    remaining -= take
                }
            }
            let perEmptyNode = rules.room(for: run.workload, template: template, used: .zero, pods: 0)
            while remaining > 0, perEmptyNode > 0, newNodes.count < maxNew {
                var node = NodeBin(template: template)
                let take = min(remaining, perEmptyNode)
                node.add(take, of: run.workload, rules.pods[run.workload])
                newNodes.append(node)
                refresh(newNodes.count - 1)
                remaining -= take
            }
            placed[run.workload, default: 0] += run.count - remaining
        }
        if cluster.nodeGroups[group].typeRule == .cheapestListedForSpot {
            for index in newNodes.indices {
                newNodes[index].template =
                    rules.cheapestHolding(newNodes[index], among: groupTemplates[group]) ?? template
            }
        }
        placed = placed.filter { $0.value > 0 }
        return Option(group: group, nodes: newNodes, placed: placed, waste: waste(of: newNodes))
    }

    /// Karpenter's packing: node claims keep the types that can still hold all their pods; each
    /// launches the cheapest of them.
    func karpenterOption(group: Int, runs: [PodRun], maxNew: Int) -> Option {
        let candidates = groupTemplates[group]
        let ordered = runs.sorted { a, b in
            let ra = rules.pods[a.workload].request
            let rb = rules.pods[b.workload].request
            return (ra.cpuMillicores, ra.memoryBytes, -a.workload) > (rb.cpuMillicores, rb.memoryBytes, -b.workload)
        }
        var claims: [NodeClaim] = []
        // Per claim, the most any of its types still has free, to pass over full claims.
        var free = FirstFitIndex()
        func refresh(_ index: Int) {
            let claim = claims[index]
            var cpu = Int64.min
            var memory = Int64.min
            var slots = Int.min
            var kinds: UInt64 = 0
            for template in claim.candidates {
                cpu = max(cpu, rules.templateRoom[template].cpuMillicores)
                memory = max(memory, rules.templateRoom[template].memoryBytes)
                slots = max(slots, rules.templateSlots[template])
                kinds |= FirstFitIndex.bit(template)
            }
            free.set(
                index, cpu: cpu - claim.bin.used.cpuMillicores, memory: memory - claim.bin.used.memoryBytes,
                slots: Int64(slots - claim.bin.pods), kinds: kinds)
        }
        var placed: [Int: Int] = [:]
        for run in ordered {
            let admitting = candidates.filter { rules.admits($0, run.workload) }
            guard !admitting.isEmpty else { continue }
            let kinds = admitting.reduce(UInt64(0)) { $0 | FirstFitIndex.bit($1) }
            let request = rules.pods[run.workload].request
            var remaining = run.count
            var from = 0
            while remaining > 0,
                let index = free.first(
                    from: from, cpu: request.cpuMillicores, memory: request.memoryBytes, kinds: kinds)
            {
                from = index + 1
                let fits = claims[index].candidates.filter { rules.admits($0, run.workload) }
                    .map { ($0, rules.room(for: run.workload, in: claims[index].bin, as: $0)) }
                let most = fits.map(\.1).max() ?? 0
                guard most > 0 else { continue }
                let take = min(remaining, most)
                claims[index].candidates = fits.filter { $0.1 >= take }.map(\.0)
                claims[index].bin.add(take, of: run.workload, rules.pods[run.workload])
                refresh(index)
                remaining -= take
            }
            while remaining > 0, claims.count < maxNew {
                let fits = admitting.map { ($0, rules.room(for: run.workload, template: $0, used: .zero, pods: 0)) }
                let most = fits.map(\.1).max() ?? 0
                guard most > 0 else { break }
                let take = min(remaining, most)
                var claim = NodeClaim(candidates: fits.filter { $0.1 >= take }.map(\.0))
                claim.bin.add(take, of: run.workload, rules.pods[run.workload])
                claims.append(claim)
                refresh(claims.count - 1)
                remaining -= take
            }
            placed[run.workload, default: 0] += run.count - remaining
        }
        let newNodes = claims.map { claim in
            var bin = claim.bin
            bin.template = rules.cheapestTemplate(claim.candidates)!
            return bin
        }
        placed = placed.filter { $0.value > 0 }
        return Option(group: group, nodes: newNodes, placed: placed, waste: waste(of: newNodes))
    }
}
