import Foundation

extension NodeSimulation {
    // MARK: - Karpenter consolidation

    /// Karpenter (consolidateAfter 0s, WhenEmptyOrUnderutilized): delete a node whose pods fit
    /// on the others, or replace it by a strictly cheaper type that holds them; the least
    /// utilized first, one change at a time. After a deletion, a node that could neither go nor be
    /// replaced is looked at again only when the deletion touched what its relocation read
    /// (`FailedRelocations`); whether a cheaper type holds its pods depends on its pods alone.
    mutating func consolidateKarpenterGroups() {
        guard karpenterGroups.contains(true) else { return }
        var failed = FailedRelocations()
        var changed = true
        while changed {
            changed = false
            planner.pool.refreshFirstFit()
            let candidates = planner.pool.slotsInOrder.filter { slot in
                let group = planner.rules.templateGroup[planner.pool.bins[slot].template]
                return karpenterGroups[group] && groupCanShrink(group)
            }.map { ($0, planner.rules.utilization(planner.pool.bins[$0])) }.sorted { $0.1 < $1.1 }.map(\.0)
            for slot in candidates where !failed.contains(slot) {
                if removeIfRelocated(slot, failed: &failed) {
                    failed.forget(touching: [slot] + scratchMoves.map(\.slot))
                    changed = true
                    break
                }
                if replaceWithCheaper(slot) {
                    // The new type may have more room somewhere than the old one.
                    failed.forgetAll()
                    changed = true
                    break
                }
            }
        }
    }

    mutating func replaceWithCheaper(_ slot: Int) -> Bool {
        let template = planner.pool.bins[slot].template
        guard planner.rules.templatePrice[template] != nil else { return false }
        // The cheapest of the group's types priced below this one that holds the node's pods.
        var cheaper: Int?
        for candidate in planner.groupTemplates[planner.rules.templateGroup[template]]
        where planner.rules.isPricedBelow(candidate, template) {
            if let best = cheaper,
                planner.rules.templateCheapnessRank[best] <= planner.rules.templateCheapnessRank[candidate]
            {
                continue
            }
            guard planner.pool.bins[slot].pods <= planner.rules.templateSlots[candidate],
                planner.pool.bins[slot].used.fits(in: planner.rules.templateRoom[candidate])
            else { continue }
            var admitted = true
            planner.pool.bins[slot].podsByWorkload.forEach { workload, _ in
                admitted = admitted && planner.rules.admits(candidate, workload)
            }
            if admitted { cheaper = candidate }
        }
        guard let cheaper else { return false }
        countPods(on: planner.pool.bins[slot], sign: -1)
        let (replacement, _, launchedAt) = planner.pool.replace(slot, by: cheaper, at: clock)
        countPods(on: planner.pool.bins[replacement], sign: 1)
        needsScaleDownReview = true
        steps.chargeMinimum(lived: clock - launchedAt) { steps, seconds in
            steps.addNodeSeconds(seconds, template: template)
        }
        return true
    }
}
