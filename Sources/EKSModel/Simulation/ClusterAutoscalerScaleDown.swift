import Foundation

extension NodeSimulation {
    // MARK: - Cluster Autoscaler scale-down

    func groupCanShrink(_ group: Int) -> Bool {
        autoscaledGroups[group] && planner.pool.nodesPerGroup[group] > minimumSizes[group]
    }

    /// Marks unneeded nodes (requests under the utilization threshold, pods able to move) and
    /// removes those unneeded for the whole unneeded time, first in creation order, one at a time.
    mutating func scaleDown() {
        var changed = true
        while changed {
            changed = false
            planner.pool.refreshFirstFit()
            for slot in planner.pool.slotsInOrder {
                let group = planner.rules.templateGroup[planner.pool.bins[slot].template]
                guard !karpenterGroups[group] else { continue }
                let unneeded = groupCanShrink(group) && planner.rules.utilization(planner.pool.bins[slot]) < settings.scaleDownUtilizationThreshold
                    && planner.pool.relocation(of: slot) != nil
                if groupCanShrink(group) && planner.rules.utilization(planner.pool.bins[slot]) < settings.scaleDownUtilizationThreshold { simCounters[9] += 1 }
                if unneeded { planner.pool.markUnneeded(slot, since: clock) } else { planner.pool.markNeeded(slot) }
            }
            if let expired = planner.pool.slotsInOrder.first(where: { slot in
                planner.pool.unneededSince[slot].map { clock - $0 >= settings.scaleDownUnneededSeconds } ?? false
            }), let moves = planner.pool.relocation(of: expired) {
                remove(expired, moving: moves)
                simCounters[10] += 1
                changed = true
            }
        }
    }

    /// The soonest time a node's unneeded time runs out.
    mutating func nextTimer() -> Int {
        planner.pool.earliestUnneededSince().map { $0 + settings.scaleDownUnneededSeconds } ?? Int.max
    }

    /// Moves a node's pods as planned, then takes it out.
    mutating func remove(_ slot: Int, moving moves: [(slot: Int, workload: Int, count: Int)]) {
        for move in moves { placePods(move.count, of: move.workload, on: move.slot) }
        retire(slot)
    }

    /// Takes a node out, billing its one-minute minimum if it lived less.
    mutating func retire(_ slot: Int) {
        countPods(on: planner.pool.bins[slot], sign: -1)
        let template = planner.pool.bins[slot].template
        let (_, launchedAt) = planner.pool.removeNode(slot)
        needsScaleDownReview = true
        steps.chargeMinimum(lived: clock - launchedAt) { steps, seconds in steps.addNodeSeconds(seconds, template: template) }
    }
}
