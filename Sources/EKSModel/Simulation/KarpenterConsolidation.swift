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
            pool.refreshFirstFit()
            let candidates = pool.slotsInOrder.filter { slot in
                let group = rules.templateGroup[pool.bins[slot].template]
                return karpenterGroups[group] && groupCanShrink(group)
            }.map { ($0, rules.utilization(pool.bins[$0])) }.sorted { $0.1 < $1.1 }.map(\.0)
            for slot in candidates {
                if let moves = pool.relocation(of: slot) {
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
        let node = pool.bins[slot]
        let current = planner.templates[node.template]
        guard let currentPrice = current.hourlyPrice else { return false }
        let group = current.groupIndex
        let fitting = planner.groupTemplates[group].filter { candidate in
            let template = planner.templates[candidate]
            guard let price = template.hourlyPrice, price < currentPrice else { return false }
            return node.pods <= template.podSlots && node.used.fits(in: template.room)
                && node.podsByWorkload.workloadIndices.allSatisfy { rules.admits(candidate, $0) }
        }
        guard let cheaper = rules.cheapestTemplate(fitting) else { return false }
        countPods(on: node, sign: -1)
        let (replacement, _, launchedAt) = pool.replace(slot, by: cheaper, at: clock)
        countPods(on: pool.bins[replacement], sign: 1)
        needsScaleDownReview = true
        steps.chargeMinimum(lived: clock - launchedAt) { steps, seconds in steps.addNodeSeconds(seconds, template: node.template) }
        return true
    }
}
