import Foundation

extension NodePool {
    /// Places up to `count` pods of `workload` one after the other as kube-scheduler does (default
    /// NodeResourcesFit scoring, LeastAllocated): each on the node where it leaves the most room, as
    /// the mean of the CPU and memory shares of allocatable, among the nodes it fits; ties go to the
    /// earlier node. Per template the tree gives the least allocated node that fits; the templates'
    /// best are compared by score. A template is searched only when it could win: the score of its
    /// least allocated node, fitting or not, bounds its best from below. After each pod only the
    /// template that took it changes. Appends the slot of each pod placed, in order, to `placed`.
    mutating func placeLeastAllocated(_ count: Int, of workload: Int, into placed: inout [Int]) {
        guard count > 0 else { return }
        // Per admitting template with nodes: its best node and that node's score, or (slot -1) only
        // the bound until it is searched.
        var best = scratch.best
        scratch.best = []
        best.removeAll(keepingCapacity: true)
        defer { scratch.best = best }
        for template in occupiedTemplates where rules.admits(template, workload) {
            if let bound = scoreBound(of: template, for: workload) { best.append((template, -1, bound)) }
        }
        var left = count
        while left > 0 {
            // The best node found so far; then any template whose bound does not rule it out is searched.
            var chosen = -1
            var unsearched = -1
            for index in best.indices {
                let entry = best[index]
                if entry.slot < 0 {
                    if unsearched < 0 || entry.score < best[unsearched].score { unsearched = index }
                } else if chosen < 0 || entry.score < best[chosen].score
                    || (entry.score == best[chosen].score && position[entry.slot] < position[best[chosen].slot])
                {
                    chosen = index
                }
            }
            // Double rounding can shift two scores by far less than this; only a bound above the best by
            // more rules a template out.
            if unsearched >= 0 && (chosen < 0 || best[unsearched].score - 1e-9 <= best[chosen].score) {
                let template = best[unsearched].template
                if let slot = leastAllocatedNode(of: template, for: workload) {
                    best[unsearched] = (
                        template, slot, rules.score(bins[slot].used, template: template, adding: workload)
                    )
                } else {
                    best.remove(at: unsearched)
                }
                continue
            }
            guard chosen >= 0 else { break }
            let (template, slot, _) = best[chosen]
            add(1, of: workload, to: slot)
            placed.append(slot)
            left -= 1
            if let bound = scoreBound(of: template, for: workload) {
                best[chosen] = (template, -1, bound)
            } else {
                best.remove(at: chosen)
            }
        }
    }

    /// The score a pod of `workload` would give the least allocated node of `template`, whether or
    /// not it fits there: no node of the template scores lower.
    private func scoreBound(of template: Int, for workload: Int) -> Double? {
        leastAllocated.lightest(of: template).map { rules.score(bins[$0].used, template: template, adding: workload) }
    }

    /// The least allocated node of `template` that a pod of `workload` fits: the tree's test (CPU,
    /// memory, a pod slot) is exact unless the pod asks for extended resources or host ports.
    mutating func leastAllocatedNode(of template: Int, for workload: Int) -> Int? {
        let cpu = rules.podCPU[workload]
        let memory = rules.podMemory[workload]
        let shape = rules.podShape[workload]
        guard rules.needsExactFit[workload] else {
            return leastAllocated.leastLoaded(
                of: template, cpu: cpu, memory: memory, shapeIndex: shape, exactly: false, where: { _ in true })
        }
        return leastAllocated.leastLoaded(
            of: template, cpu: cpu, memory: memory, shapeIndex: shape, exactly: true,
            where: { rules.room(for: workload, in: bins[$0], as: template) > 0 })
    }

    /// Takes `count` pods of `workload` off its nodes as the ReplicaSet controller deletes them: from
    /// the node running the most of its pods, the newest on ties, one pod after the other
    /// (controller_utils.go ActivePodsWithRanks). Appends how many came off each node to `removed`.
    mutating func removeFromBusiest(_ count: Int, of workload: Int, into removed: inout [(slot: Int, count: Int)]) {
        // The hosts with their pods, creation position and what comes off each; then one pod at a
        // time off the busiest, the newest on ties.
        var hosts = scratch.hosts
        scratch.hosts = []
        hosts.removeAll(keepingCapacity: true)
        for host in self.hosts[workload] { hosts.append((host.slot, host.pods, position[host.slot], 0)) }
        hosts.withUnsafeMutableBufferPointer { hosts in
            var left = count
            while left > 0 {
                var busiest = -1
                for index in hosts.indices where hosts[index].pods > 0 {
                    if busiest < 0 || hosts[index].pods > hosts[busiest].pods
                        || (hosts[index].pods == hosts[busiest].pods && hosts[index].position > hosts[busiest].position)
                    {
                        busiest = index
                    }
                }
                guard busiest >= 0 else { break }
                // As many as keep it the busiest: down to the next busiest's count (newer nodes win ties).
                var next = 0
                for index in hosts.indices where index != busiest && hosts[index].pods > 0 {
                    next = max(next, hosts[index].pods + (hosts[index].position > hosts[busiest].position ? 0 : -1))
                }
                let take = min(left, max(1, hosts[busiest].pods - next))
                hosts[busiest].pods -= take
                hosts[busiest].taken += take
                left -= take
            }
        }
        for host in hosts where host.taken > 0 {
            remove(host.taken, of: workload, from: host.slot)
            removed.append((host.slot, host.taken))
        }
        scratch.hosts = hosts
    }

    /// Brings the first-fit tree up to date with the nodes' pods.
    mutating func refreshFirstFit() {
        for slot in staleFirstFit where isLive[slot] {
            let free = free(of: slot)
            firstFit.set(
                position[slot], cpu: free.cpu, memory: free.memory, slots: free.slots,
                kinds: FirstFitIndex.bit(bins[slot].template))
        }
        staleFirstFit.removeAll(keepingCapacity: true)
    }

    /// The first live slot from creation position `start` on that may have room for a pod of
    /// `workload`, and its position, passing over whole runs of nodes that cannot (see
    /// `FirstFitIndex`); `refreshFirstFit()` must have run since pods last changed before `start`.
    func nextCandidate(for workload: Int, from start: Int, excluding excluded: Int = -1) -> (slot: Int, position: Int)?
    {
        var from = start
        while let found = firstFit.first(
            from: from, cpu: rules.podCPU[workload], memory: rules.podMemory[workload],
            kinds: admittingKinds[workload])
        {
            from = found + 1
            let slot = slotAtPosition[found]
            if slot != excluded && slot >= 0 { return (slot, found) }
        }
        return nil
    }

    /// Where the workload pods of `slot` could all go on the other nodes, first fit in creation
    /// order, as the Cluster Autoscaler's scale-down simulation checks: appends the moves to `moves`
    /// and returns true, or returns false when some pod fits nowhere (`moves` then holds a part).
    /// Appends to `visited` every node the scan looked at (the others it passed over for want of
    /// room). Call `refreshFirstFit()` first.
    mutating func relocate(
        _ slot: Int, into moves: inout [(slot: Int, workload: Int, count: Int)], visiting visited: inout [Int]
    ) -> Bool {
        // What the moves so far add to their targets: few entries, so a list, not a copy of every node.
        var extras = scratch.extras
        scratch.extras = []
        extras.removeAll(keepingCapacity: true)
        defer { scratch.extras = extras }
        let pods = bins[slot].podsByWorkload
        for entry in 0..<pods.count {
            let workload = Int(pods.workloads[entry])
            let exact = rules.needsExactFit[workload]
            var left = Int(pods.counts[entry])
            var from = 0
            while left > 0, let (target, found) = nextCandidate(for: workload, from: from, excluding: slot) {
                from = found + 1
                visited.append(target)
                let template = bins[target].template
                guard rules.admits(template, workload) else { continue }
                var extra = extras.firstIndex { $0.slot == target } ?? -1
                let room: Int
                if extra < 0 {
                    room = rules.room(for: workload, in: bins[target], as: template)
                } else if !exact {
                    room = rules.room(
                        for: workload, template: template, usedCPU: bins[target].used.cpuMillicores + extras[extra].cpu,
                        usedMemory: bins[target].used.memoryBytes + extras[extra].memory,
                        pods: bins[target].pods + extras[extra].pods)
                } else {
                    let used = ResourceRequests(
                        cpuMillicores: bins[target].used.cpuMillicores + extras[extra].cpu,
                        memoryBytes: bins[target].used.memoryBytes + extras[extra].memory,
                        extended: bins[target].used.extended + extras[extra].extended)
                    room = rules.room(
                        for: workload, template: template, used: used, pods: bins[target].pods + extras[extra].pods,
                        ports: bins[target].hostPorts + extras[extra].ports)
                }
                let take = min(left, room)
                guard take > 0 else { continue }
                if extra < 0 {
                    extra = extras.count
                    extras.append(RelocationExtra(slot: target))
                }
                extras[extra].cpu += rules.podCPU[workload] * Int64(take)
                extras[extra].memory += rules.podMemory[workload] * Int64(take)
                extras[extra].pods += take
                if exact {
                    let pod = rules.pods[workload]
                    if !pod.request.extended.isEmpty {
                        extras[extra].extended = extras[extra].extended + pod.request.extended.scaled(by: take)
                    }
                    extras[extra].ports += pod.hostPorts
                }
                moves.append((target, workload, take))
                left -= take
            }
            if left > 0 { return false }
        }
        return true
    }
}
