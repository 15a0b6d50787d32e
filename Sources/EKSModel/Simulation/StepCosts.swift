import Foundation

/// Spreads a simulated cluster's cost lines over its report steps.
enum StepCosts {
    /// Each line's exact cost goes to the steps in proportion to what it billed there (node-,
    /// pod- or ENI-seconds; evenly by time for the control plane and jobs); the cents are then
    /// handed out by largest remainder so the steps add up to the rounded lines exactly. The
    /// exact shares are kept for the chart: rounded steps move by a cent where a remainder lands.
    static func spread(_ lines: [CostLine], over timeline: ClusterTimeline, controlPlaneLines: [CostLine],
                       period: BillingPeriod) -> (exact: [Decimal], cents: [Decimal]) {
        let steps = timeline.steps
        guard !steps.isEmpty else { return ([], []) }
        var exact = Array(repeating: Decimal(0), count: steps.count)
        let periodSeconds = Decimal(timeline.periodSeconds)
        func byTime(_ amount: Decimal) {
            for (index, step) in steps.enumerated() { exact[index] += amount * Decimal(step.seconds) / periodSeconds }
        }
        func byWeights(_ amount: Decimal, _ weights: [Int64]) {
            let total = weights.reduce(0, +)
            guard total > 0 else { return byTime(amount) }
            for (index, weight) in weights.enumerated() where weight > 0 { exact[index] += amount * Decimal(weight) / Decimal(total) }
        }
        func groupSeconds(_ group: String) -> [Int64] {
            let indices = timeline.nodeKeys.indices.filter { timeline.nodeKeys[$0].group == group }
            return steps.map { step in indices.reduce(0) { $0 + step.nodeSeconds[$1] } }
        }
        for line in lines + controlPlaneLines {
            let amount = line.exactUSD
            let isJobLine = line.resource.contains(" for ") && line.resource.hasSuffix(" runs")
            switch line.component {
            case .compute where !isJobLine:
                let type = String(line.resource.prefix { $0 != " " })
                byWeights(amount, timeline.nodeSecondsPerStep(NodeKey(group: line.group, type: type)))
            case .storage:
                byWeights(amount, groupSeconds(line.group))
            case .network:
                if line.resource == "ENI (VPC CNI)" {
                    byWeights(amount, steps.map(\.eniSeconds))
                } else {
                    byWeights(amount, groupSeconds(line.group))
                }
            case .fargate where timeline.fargateSizes[line.group] != nil:
                byWeights(amount, timeline.fargatePodSecondsPerStep(line.group))
            default:
                byTime(amount)
            }
        }
        let target = (lines + controlPlaneLines).reduce(Decimal(0)) { $0 + $1.monthlyUSD }
        return (exact, largestRemainder(exact, total: target))
    }

    /// Rounds `values` to cents so that they add up to `total` (itself in cents).
    static func largestRemainder(_ values: [Decimal], total: Decimal) -> [Decimal] {
        var floors = values.map { DecimalText.truncated($0 * 100) }
        let fractions = values.enumerated().map { ($0.offset, $0.element * 100 - floors[$0.offset]) }
        var missing = (total * 100 - floors.reduce(0, +)).intValue
        if missing >= 0 {
            for (index, _) in fractions.sorted(by: { ($0.1, -$0.0) > ($1.1, -$1.0) }) where missing > 0 {
                floors[index] += 1
                missing -= 1
            }
        } else {
            for (index, _) in fractions.sorted(by: { ($0.1, $0.0) < ($1.1, $1.0) }) where missing < 0 {
                floors[index] -= 1
                missing += 1
            }
        }
        return floors.map { $0 / 100 }
    }
}
