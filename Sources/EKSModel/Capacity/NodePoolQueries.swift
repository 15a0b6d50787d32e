import Foundation

extension NodePool {
    /// Places up to `count` pods of `workload` one after the other as kube-scheduler does (default
    /// NodeResourcesFit scoring, LeastAllocated): each on the node where it leaves the most room, as
    /// the mean of the CPU and memory shares of allocatable, among the nodes it fits; ties go to the
    /// earlier node. Per template the tree gives the least allocated node that fits; the templates'
    /// best are compared by score, and after each pod only the template that took it is searched
    /// again. Returns the slot of each pod placed, in order.
    mutating func placeLeastAllocated(_ count: Int, of workload: Int) -> [Int] {
        var placed: [Int] = []
        guard count > 0 else { return placed }
        // Per admitting template with nodes: its best node and that node's score.
        var best: [(template: Int, slot: Int, score: Double)] = []
        for template in occupiedTemplates where rules.admits(template, workload) {
            if let slot = leastAllocatedNode(of: template, for: workload) {
                best.append((template, slot, rules.score(bins[slot].used, template: template, adding: rules.pods[workload].request)))
            }
        }
        while placed.count < count, !best.isEmpty {
            var chosen = 0
            for index in best.indices.dropFirst() {
                let candidate = best[index], current = best[chosen]
                if candidate.score < current.score || (candidate.score == current.score && position[candidate.slot] < position[current.slot]) {
                    chosen = index
                }
            }
            let (template, slot, _) = best[chosen]
            add(1, of: workload, to: slot)
            placed.append(slot)
            if let next = leastAllocatedNode(of: template, for: workload) {
                best[chosen] = (template, next, rules.score(bins[next].used, template: template, adding: rules.pods[workload].request))
            } else {
                best.remove(at: chosen)
            }
        }
        return placed
    }

    /// The least allocated node of `template` that a pod of `workload` fits.
    mutating func leastAllocatedNode(of template: Int, for workload: Int) -> Int? {
        leastAllocated.leastLoaded(of: template, cpu: rules.pods[workload].request.cpuMillicores,
                                   memory: rules.pods[workload].request.memoryBytes,
                                   where: { rules.room(for: workload, in: bins[$0], as: template) > 0 })
    }

    /// Takes `count` pods of `workload` off its nodes as the ReplicaSet controller deletes them: from
    /// the node running the most of its pods, the newest on ties, one pod after the other
    /// (controller_utils.go ActivePodsWithRanks). Returns how many came off each node.
    mutating func removeFromBusiest(_ count: Int, of workload: Int) -> [(slot: Int, count: Int)] {
        // The hosts with their pods and what comes off each; then one pod at a time off the busiest.
        var hosts = self.hosts[workload].map { (slot: $0, pods: bins[$0].podsByWorkload[workload], taken: 0) }
        var left = count
        while left > 0 {
            var busiest = -1
            for index in hosts.indices where hosts[index].pods > 0 {
                if busiest < 0 || hosts[index].pods > hosts[busiest].pods
                    || (hosts[index].pods == hosts[busiest].pods && position[hosts[index].slot] > position[hosts[busiest].slot]) {
                    busiest = index
                }
            }
            guard busiest >= 0 else { break }
            // As many as keep it the busiest: down to the next busiest's count (newer nodes win ties).
            var next = 0
            for index in hosts.indices where index != busiest && hosts[index].pods > 0 {
                let pods = hosts[index].pods + (position[hosts[index].slot] > position[hosts[busiest].slot] ? 0 : -1)
                next = max(next, pods)
            }
            let take = min(left, max(1, hosts[busiest].pods - next))
            hosts[busiest].pods -= take
            hosts[busiest].taken += take
            left -= take
        }
        var removed: [(slot: Int, count: Int)] = []
        for host in hosts where host.taken > 0 {
            remove(host.taken, of: workload, from: host.slot)
            removed.append((host.slot, host.taken))
        }
        return removed
    }

    /// Brings the first-fit tree up to date with the nodes' pods.
    mutating func refreshFirstFit() {
        for slot in staleFirstFit where isLive[slot] {
            let free = free(of: slot)
            firstFit.set(position[slot], cpu: free.cpu, memory: free.memory, slots: free.slots, kinds: FirstFitIndex.bit(bins[slot].template))
        }
        staleFirstFit.removeAll(keepingCapacity: true)
    }

    /// The first live slot from creation position `start` on that may have room for a pod of
    /// `workload`, and its position, passing over whole runs of nodes that cannot (see
    /// `FirstFitIndex`); `refreshFirstFit()` must have run since pods last changed before `start`.
    func nextCandidate(for workload: Int, from start: Int, excluding excluded: Int = -1) -> (slot: Int, position: Int)? {
        let request = rules.pods[workload].request
        var from = start
        while let found = firstFit.first(from: from, cpu: request.cpuMillicores, memory: request.memoryBytes,
                                         kinds: admittingKinds[workload]) {
            from = found + 1
            let slot = slotAtPosition[found]
            if slot != excluded && slot >= 0 { return (slot, found) }
        }
        return nil
    }

    /// Where the workload pods of `slot` could all go on the other nodes, first fit in creation
    /// order, as the Cluster Autoscaler's scale-down simulation checks; nil when some cannot.
    /// Call `refreshFirstFit()` first.
    func relocation(of slot: Int) -> [(slot: Int, workload: Int, count: Int)]? {
        // What the moves so far add to their targets: few entries, so a list, not a copy of every node.
        var added: [(slot: Int, bin: NodeBin)] = []
        var moves: [(slot: Int, workload: Int, count: Int)] = []
        for (workload, count) in bins[slot].podsByWorkload.entries {
            var left = count
            var from = 0
            while left > 0, let (target, found) = nextCandidate(for: workload, from: from, excluding: slot) {
                from = found + 1
                let template = bins[target].template
                guard rules.admits(template, workload) else { continue }
                let entry = added.firstIndex { $0.slot == target }
                let room: Int
                if let entry {
                    let extra = added[entry].bin
                    room = rules.room(for: workload, template: template, used: bins[target].used + extra.used,
                                      pods: bins[target].pods + extra.pods, ports: bins[target].hostPorts + extra.hostPorts)
                } else {
                    room = rules.room(for: workload, in: bins[target], as: template)
                }
                let take = min(left, room)
                guard take > 0 else { continue }
                if let entry {
                    added[entry].bin.add(take, of: workload, rules.pods[workload])
                } else {
                    var extra = NodeBin(template: template)
                    extra.add(take, of: workload, rules.pods[workload])
                    added.append((target, extra))
                }
                moves.append((target, workload, take))
                left -= take
            }
            if left > 0 { return nil }
        }
        return moves
    }
}
