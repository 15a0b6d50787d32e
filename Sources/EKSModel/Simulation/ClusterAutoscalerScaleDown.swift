import Foundation

extension NodeSimulation {
    // MARK: - Cluster Autoscaler scale-down

    func groupCanShrink(_ group: Int) -> Bool {
        autoscaledGroups[group] && pool.nodesPerGroup[group] > minimumSizes[group]
    }

    /// Marks unneeded nodes (requests under the utilization threshold, pods able to move) and
    /// removes those unneeded for the whole unneeded time, first in creation order, one at a time.
    mutating func scaleDown() {
        var changed = true
        while changed {
            changed = false
            pool.refreshFirstFit()
            for slot in pool.slotsInOrder {
                let group = rules.templateGroup[pool.bins[slot].template]
                guard !karpenterGroups[group] else { continue }
                let unneeded = groupCanShrink(group) && rules.utilization(pool.bins[slot]) < settings.scaleDownUtilizationThreshold
                    && pool.relocation(of: slot) != nil
                if unneeded { pool.markUnneeded(slot, since: clock) } else { pool.markNeeded(slot) }
            }
            if let expired = pool.slotsInOrder.first(where: { slot in
                pool.unneededSince[slot].map { clock - $0 >= settings.scaleDownUnneededSeconds } ?? false
            }), let moves = pool.relocation(of: expired) {
                remove(expired, moving: moves)
                changed = true
            }
        }
    }

    /// The soonest time a node's unneeded time runs out.
    mutating func nextTimer() -> Int {
        pool.earliestUnneededSince().map { $0 + settings.scaleDownUnneededSeconds } ?? Int.max
    }

    /// Moves a node's pods as planned, then takes it out.
    mutating func remove(_ slot: Int, moving moves: [(slot: Int, workload: Int, count: Int)]) {
        for move in moves { placePods(move.count, of: move.workload, on: move.slot) }
        retire(slot)
    }

    /// Takes a node out, billing its one-minute minimum if it lived less.
    mutating func retire(_ slot: Int) {
        countPods(on: pool.bins[slot], sign: -1)
        let template = pool.bins[slot].template
        let (_, launchedAt) = pool.removeNode(slot)
        needsScaleDownReview = true
        steps.chargeMinimum(lived: clock - launchedAt) { steps, seconds in steps.addNodeSeconds(seconds, template: template) }
    }
}
