import Foundation

extension NodeSimulation {
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
}
