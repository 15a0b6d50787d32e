import Foundation

/// Spreads a simulated cluster's cost lines over its report steps.
enum StepCosts {
    /// Each line's exact cost goes to the steps in proportion to what it billed there (node-,
    /// pod- or ENI-seconds; evenly by time for the control plane and jobs); the cents are then
    /// handed out by largest remainder so the steps add up to the rounded lines exactly.
    static func spread(_ lines: [CostLine], over timeline: ClusterTimeline, controlPlaneLines: [CostLine],
                       period: BillingPeriod) -> [Decimal] {
        let stepCount = timeline.stepCount
        guard stepCount > 0 else { return [] }
        var exact = Array(repeating: Decimal(0), count: stepCount)
        let periodSeconds = Decimal(timeline.periodSeconds)
        // Steps mostly repeat the same weight (full steps, steady node counts): each distinct share is
        // worked out once, with the same arithmetic.
        func byTime(_ amount: Decimal) {
            var share: [Int: Decimal] = [:]
            for index in 0..<stepCount {
                let seconds = timeline.stepSeconds[index]
                if share[seconds] == nil { share[seconds] = amount * Decimal(seconds) / periodSeconds }
                exact[index] += share[seconds]!
            }
        }
        func byWeights(_ amount: Decimal, _ weights: [Int64]) {
            let total = weights.reduce(0, +)
            guard total > 0 else { return byTime(amount) }
            let whole = Decimal(total)
            var share: [Int64: Decimal] = [:]
            for (index, weight) in weights.enumerated() where weight > 0 {
                if share[weight] == nil { share[weight] = amount * Decimal(weight) / whole }
                exact[index] += share[weight]!
            }
        }
        func groupSeconds(_ group: String) -> [Int64] {
            var seconds = Array(repeating: Int64(0), count: stepCount)
            for (key, column) in zip(timeline.nodeKeys, timeline.nodeSecondsByType) where key.group == group {
                for index in column.indices { seconds[index] += column[index] }
            }
            return seconds
        }
        for line in lines + controlPlaneLines {
            let amount = line.exactUSD
            switch line.kind {
            case .instances(let type), .autoModeFee(let type, jobRuns: nil):
                byWeights(amount, timeline.nodeSecondsPerStep(NodeKey(group: line.group, type: type)))
            case .nodeVolumes, .publicIPv4:
                byWeights(amount, groupSeconds(line.group))
            case .eni:
                byWeights(amount, timeline.eniSecondsPerStep)
            case .fargate(let workload) where timeline.fargateSizes[workload] != nil:
                byWeights(amount, timeline.fargatePodSecondsPerStep(workload))
            case .controlPlane, .jobInstances, .autoModeFee, .fargateENI, .natGateway, .loadBalancer, .persistentVolumes, .fargate:
                byTime(amount)
            }
        }
        let target = (lines + controlPlaneLines).reduce(Decimal(0)) { $0 + $1.monthlyUSD }
        return largestRemainder(exact, total: target)
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
