import Foundation

extension NodeSimulation {
    // MARK: - Karpenter consolidation

    /// Karpenter (consolidateAfter 0s, WhenEmptyOrUnderutilized): delete a node whose pods fit
    /// on the others, or replace it by a strictly cheaper type that holds them; the least
    /// utilized first, one change at a time.
    mutating func consolidateKarpenterGroups() {
        guard karpenterGroups.contains(true) else { return }
        var changed = true
        while changed {
            changed = false
            planner.pool.refreshFirstFit()
            let candidates = planner.pool.slotsInOrder.filter { slot in
                let group = planner.rules.templateGroup[planner.pool.bins[slot].template]
                return karpenterGroups[group] && groupCanShrink(group)
            }.map { ($0, planner.rules.utilization(planner.pool.bins[$0])) }.sorted { $0.1 < $1.1 }.map(\.0)
            simCounters[8] += 1
            for slot in candidates {
                simCounters[7] += 1
                if let moves = planner.pool.relocation(of: slot) {
                    remove(slot, moving: moves)
                    changed = true
                    break
                }
                if replaceWithCheaper(slot) {
                    changed = true
                    break
                }
            }
        }
    }

    mutating func replaceWithCheaper(_ slot: Int) -> Bool {
        let template = planner.pool.bins[slot].template
        guard let currentPrice = planner.rules.templatePrice[template] else { return false }
        let fitting = planner.groupTemplates[planner.rules.templateGroup[template]].filter { candidate in
            guard let price = planner.rules.templatePrice[candidate], price < currentPrice else { return false }
            return planner.pool.bins[slot].pods <= planner.rules.templateSlots[candidate]
                && planner.pool.bins[slot].used.fits(in: planner.rules.templateRoom[candidate])
                && planner.pool.bins[slot].podsByWorkload.workloadIndices.allSatisfy { planner.rules.admits(candidate, $0) }
        }
        guard let cheaper = planner.rules.cheapestTemplate(fitting) else { return false }
        countPods(on: planner.pool.bins[slot], sign: -1)
        let (replacement, _, launchedAt) = planner.pool.replace(slot, by: cheaper, at: clock)
        countPods(on: planner.pool.bins[replacement], sign: 1)
        needsScaleDownReview = true
        steps.chargeMinimum(lived: clock - launchedAt) { steps, seconds in steps.addNodeSeconds(seconds, template: template) }
        return true
    }
}
