import Foundation

/// Spreads a simulated cluster's cost lines over its report steps.
enum StepCosts {
    /// Each line's exact cost goes to the steps in proportion to what it billed there (see
    /// `shares(of:over:)`); the cents are then handed out by largest remainder so the steps add up
    /// to the rounded lines exactly. The exact shares are kept for the chart: rounded steps move by
    /// a cent where a remainder lands.
    static func spread(
        _ lines: [CostLine], over timeline: ClusterTimeline, controlPlaneLines: [CostLine],
        period: BillingPeriod
    ) -> (exact: [Decimal], cents: [Decimal]) {
        guard timeline.stepCount > 0 else { return ([], []) }
        var exact = Array(repeating: Decimal(0), count: timeline.stepCount)
        for line in lines + controlPlaneLines {
            for (index, share) in shares(of: line, over: timeline).enumerated() where share != 0 {
                exact[index] += share
            }
        }
        let target = (lines + controlPlaneLines).reduce(Decimal(0)) { $0 + $1.monthlyUSD }
        return (exact, largestRemainder(exact, total: target))
    }

    /// A line's exact cost in each step (by default an hour), in proportion to what it billed there:
    /// instance lines (and Auto Mode fees) by their type's node-seconds in the line's group, node
    /// volumes and public addresses by the group's node-seconds, ENIs by ENI-seconds, a Fargate
    /// workload's lines by its pod-seconds; the control plane, jobs, persistent volumes, NAT gateways
    /// and load balancers evenly by time; commitment fees evenly (billed every hour), usage a
    /// commitment covered as the bill covered it. Read by kind, never by the line's words; hourly usage per
    /// instance type or Fargate workload is these shares of its lines.
    static func shares(of line: CostLine, over timeline: ClusterTimeline) -> [Decimal] {
        let stepCount = timeline.stepCount
        let amount = line.exactUSD
        // Steps mostly repeat the same weight (full steps, steady node counts): each distinct share is
        // worked out once, with the same arithmetic.
        func byTime() -> [Decimal] {
            let periodSeconds = Decimal(timeline.periodSeconds)
            var share: [Int: Decimal] = [:]
            return timeline.stepSeconds.map { seconds in
                if let known = share[seconds] { return known }
                let value = amount * Decimal(seconds) / periodSeconds
                share[seconds] = value
                return value
            }
        }
        func byWeights(_ weights: [Int64]) -> [Decimal] {
            let total = weights.reduce(0, +)
            guard total > 0 else { return byTime() }
            let whole = Decimal(total)
            var share: [Int64: Decimal] = [0: 0]
            return weights.map { weight in
                if let known = share[weight] { return known }
                let value = amount * Decimal(weight) / whole
                share[weight] = value
                return value
            }
        }
        func groupSeconds(_ group: String) -> [Int64] {
            var seconds = Array(repeating: Int64(0), count: stepCount)
            for (key, column) in zip(timeline.nodeKeys, timeline.nodeSecondsByType) where key.group == group {
                for index in column.indices { seconds[index] += column[index] }
            }
            return seconds
        }
        switch line.kind {
        case .instances(let type), .autoModeFee(let type, jobRuns: nil):
            return byWeights(timeline.nodeSecondsPerStep(NodeKey(group: line.group, type: type)))
        case .nodeVolumes, .publicIPv4:
            return byWeights(groupSeconds(line.group))
        case .eni:
            return byWeights(timeline.eniSecondsPerStep)
        case .fargate(let workload) where timeline.fargateSizes[workload] != nil:
            return byWeights(timeline.fargatePodSecondsPerStep(workload))
        case .commitmentCovered(_, let perStep) where perStep.count == stepCount:
            // The bill's covered amounts per step; the line takes them off.
            let covered = perStep.reduce(Decimal(0), +)
            return covered == 0 ? byTime() : perStep.map { amount * $0 / covered }
        case .controlPlane, .jobInstances, .autoModeFee, .fargateENI, .natGateway, .loadBalancer, .persistentVolumes,
            .fargate,
            .commitmentFee, .commitmentCovered:
            return byTime()
        }
    }

    /// Rounds `values` to cents so that they add up to `total` (itself in cents): each step gets its
    /// cents truncated, then the missing cents go one each to the largest fractions (ties to the
    /// earlier step), or the extra ones come off the smallest.
    static func largestRemainder(_ values: [Decimal], total: Decimal) -> [Decimal] {
        let scaled = values.map { $0 * 100 }
        var floors = scaled.map(DecimalText.truncated)
        let fractions = zip(scaled, floors).map { $0 - $1 }
        var missing = (total * 100 - floors.reduce(0, +)).intValue
        // Decimal comparisons are slow, so the order is read from each fraction's Double, exact to far
        // better than 1e-9 in [0, 1); only fractions that close are compared as Decimals (and equal
        // ones by their bytes first). The order is the same as comparing the Decimals throughout.
        let keys = fractions.map { NSDecimalNumber(decimal: $0).doubleValue }
        func order(_ a: Int, _ b: Int) -> ComparisonResult {
            if keys[a] - keys[b] > 1e-9 { return .orderedDescending }
            if keys[b] - keys[a] > 1e-9 { return .orderedAscending }
            if Self.sameBytes(fractions[a], fractions[b]) || fractions[a] == fractions[b] { return .orderedSame }
            return fractions[a] < fractions[b] ? .orderedAscending : .orderedDescending
        }
        if missing >= 0 {
            // Largest fraction first, the earlier step on ties.
            for index in floors.indices.sorted(by: { a, b in
                let result = order(a, b)
                return result == .orderedSame ? a < b : result == .orderedDescending
            }) where missing > 0 {
                floors[index] += 1
                missing -= 1
            }
        } else {
            for index in floors.indices.sorted(by: { a, b in
                let result = order(a, b)
                return result == .orderedSame ? a < b : result == .orderedAscending
            }) where missing < 0 {
                floors[index] -= 1
                missing += 1
            }
        }
        // ÷ 100 by moving the exponent: the same bytes as the division gives (an integer's mantissa
        // is kept and its exponent lowered by two), without the long division.
        return floors.map { Decimal(sign: $0.sign, exponent: $0.exponent - 2, significand: $0.significand) }
    }

    private static func sameBytes(_ a: Decimal, _ b: Decimal) -> Bool {
        withUnsafeBytes(of: a) { left in withUnsafeBytes(of: b) { right in left.elementsEqual(right) } }
    }
}
