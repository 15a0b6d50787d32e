import Foundation

extension NodeSimulation {
    // MARK: - Cluster Autoscaler scale-down

    func groupCanShrink(_ group: Int) -> Bool {
        autoscaledGroups[group] && planner.pool.nodesPerGroup[group] > minimumSizes[group]
    }

    /// Marks unneeded nodes (requests under the utilization threshold, pods able to move) and
    /// removes those unneeded for the whole unneeded time, first in creation order, one at a time.
    /// After a removal, only the relocations it could change are tried again.
    mutating func scaleDown() {
        var failed = FailedRelocations()
        var changed = true
        while changed {
            changed = false
            planner.pool.refreshFirstFit()
            for slot in planner.pool.slotsInOrder {
                let group = planner.rules.templateGroup[planner.pool.bins[slot].template]
                guard !karpenterGroups[group] else { continue }
                let unneeded =
                    groupCanShrink(group)
                    && planner.rules.utilization(planner.pool.bins[slot]) < settings.scaleDownUtilizationThreshold
                    && !failed.contains(slot) && canRelocate(slot, failed: &failed)
                if unneeded { planner.pool.markUnneeded(slot, since: clock) } else { planner.pool.markNeeded(slot) }
            }
            if let expired = planner.pool.slotsInOrder.first(where: { slot in
                planner.pool.unneededSince[slot].map { clock - $0 >= settings.scaleDownUnneededSeconds } ?? false
            }), removeIfRelocated(expired) {
                failed.forget(touching: [expired] + scratchMoves.map(\.slot))
                changed = true
            }
        }
    }

    /// The soonest time a node's unneeded time runs out.
    mutating func nextTimer() -> Int {
        planner.pool.earliestUnneededSince().map { $0 + settings.scaleDownUnneededSeconds } ?? Int.max
    }

    /// Whether every workload pod of `slot` fits on the other nodes (`refreshFirstFit()` first); a
    /// failure goes into `failed` with the nodes the scan looked at.
    mutating func canRelocate(_ slot: Int, failed: inout FailedRelocations) -> Bool {
        scratchMoves.removeAll(keepingCapacity: true)
        scratchVisited.removeAll(keepingCapacity: true)
        guard planner.pool.relocate(slot, into: &scratchMoves, visiting: &scratchVisited) else {
            failed.record(slot, visited: scratchVisited)
            return false
        }
        return true
    }

    /// Moves a node's pods to the other nodes, first fit, and takes it out; false (nothing changed)
    /// when some pod fits nowhere. The moves are left in `scratchMoves`. `refreshFirstFit()` first.
    mutating func removeIfRelocated(_ slot: Int, failed: inout FailedRelocations) -> Bool {
        var moves = scratchMoves
        scratchMoves = []
        moves.removeAll(keepingCapacity: true)
        scratchVisited.removeAll(keepingCapacity: true)
        defer { scratchMoves = moves }
        guard planner.pool.relocate(slot, into: &moves, visiting: &scratchVisited) else {
            failed.record(slot, visited: scratchVisited)
            return false
        }
        for move in moves { placePods(move.count, of: move.workload, on: move.slot) }
        retire(slot)
        return true
    }

    /// The same, for a node whose relocation was just found possible (the failure is not kept).
    mutating func removeIfRelocated(_ slot: Int) -> Bool {
        var unused = FailedRelocations()
        return removeIfRelocated(slot, failed: &unused)
    }

    /// Takes a node out, billing its one-minute minimum if it lived less.
    mutating func retire(_ slot: Int) {
        countPods(on: planner.pool.bins[slot], sign: -1)
        let template = planner.pool.bins[slot].template
        let (_, launchedAt) = planner.pool.removeNode(slot)
        needsScaleDownReview = true
        steps.chargeMinimum(lived: clock - launchedAt) { steps, seconds in
            steps.addNodeSeconds(seconds, template: template)
        }
    }
}
