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
        guard let workload = placedIndex[index] else {
            addPending(index, count)  // matches a Fargate profile Fargate cannot run: stays pending
            worstPending[index] = max(worstPending[index], pending[index])
            return
        }
        addPending(index, count - placeOnExistingNodes(workload, count))
    }

    mutating func addPending(_ index: Int, _ count: Int) {
        pending[index] += count
        pendingTotal += count
    }

    /// kube-scheduler's default NodeResourcesFit scoring (LeastAllocated), one pod after the other
    /// (see `NodePool.placeLeastAllocated`). Returns how many pods found a node.
    mutating func placeOnExistingNodes(_ workload: Int, _ count: Int) -> Int {
        var slots = scratchSlots
        scratchSlots = []
        slots.removeAll(keepingCapacity: true)
        planner.pool.placeLeastAllocated(count, of: workload, into: &slots)
        for slot in slots {
            if planner.pool.unneededSince[slot] != nil { needsScaleDownReview = true }
            countPods(1, of: workload, on: planner.pool.bins[slot].template)
        }
        scratchSlots = slots
        return slots.count
    }

    /// Pods start on a node: the pool's books, pod-seconds, and a fresh look at scale-down when the
    /// node was counted unneeded (its timer may reset).
    mutating func placePods(_ count: Int, of workload: Int, on slot: Int) {
        if planner.pool.unneededSince[slot] != nil { needsScaleDownReview = true }
        countPods(count, of: workload, on: planner.pool.bins[slot].template)
        planner.pool.add(count, of: workload, to: slot)
    }

    /// The ReplicaSet controller deletes unscheduled pods first, then pods on the nodes running
    /// the most of its pods, newest first (controller_utils.go ActivePodsWithRanks).
    mutating func removePods(_ index: Int, _ count: Int) {
        needsScaleDownReview = true
        var left = count
        let fromPending = min(left, pending[index])
        addPending(index, -fromPending)
        left -= fromPending
        guard left > 0 else { return }
        if onFargate[index] {
            let column = fargateColumn[index]
            for _ in 0..<min(left, fargateStarts[index].count) {
                let start = fargateStarts[index].removeLast()
                steps.chargeMinimum(lived: clock - start) { steps, seconds in
                    steps.fargatePodSeconds[column][steps.last] += seconds
                }
            }
            return
        }
        guard let workload = placedIndex[index] else { return }
        var removed = scratchRemoved
        scratchRemoved = []
        removed.removeAll(keepingCapacity: true)
        planner.pool.removeFromBusiest(left, of: workload, into: &removed)
        for (slot, count) in removed { countPods(-count, of: workload, on: planner.pool.bins[slot].template) }
        scratchRemoved = removed
    }

    /// Pending pods first try the existing nodes again, then scale groups up.
    mutating func schedulePending() {
        guard pendingTotal > 0 else { return }
        var runs: [PodRun] = []
        for index in workloads.indices where pending[index] > 0 {
            guard let workload = placedIndex[index] else { continue }
            let placed = placeOnExistingNodes(workload, pending[index])
            addPending(index, -placed)
            if pending[index] > 0 { runs.append(PodRun(workload: workload, count: pending[index])) }
        }
        guard !runs.isEmpty else { return }
        let (unplaced, launched) = planner.scaleUp(runs, at: clock)
        for slot in launched { countPods(on: planner.pool.bins[slot], sign: 1) }
        for index in workloads.indices where placedIndex[index] != nil { addPending(index, -pending[index]) }
        for run in unplaced {
            let index = workloadIndex[run.workload]
            addPending(index, run.count - pending[index])
        }
        for index in workloads.indices { worstPending[index] = max(worstPending[index], pending[index]) }
    }
}
