import Testing

@testable import Autoscaling

/// Expectations worked by hand from replica_calculator.go and metrics/utilization.go.
@Suite struct ReplicaCalculatorTests {
    private let tolerance = Tolerances(0.1)

    private func utilization(current: Int, target: Int, usage: Int64, requests: Int64) -> Int? {
        ReplicaCalculator.resourceUtilization(
            currentReplicas: current, readyPods: current, targetPercent: target,
            totalUsage: .millicores(usage), totalRequests: .millicores(requests),
            tolerances: tolerance)
    }

    // 1659 m of 3000 m is 55.3 %; int(165900 / 3000) = 55; 55 / 50 = 1.1, the band's upper edge, inclusive.
    @Test func utilizationIsTruncatedBeforeTheRatio() {
        #expect(utilization(current: 3, target: 50, usage: 1659, requests: 3000) == 3)
    }

    // 1650 m of 3000 m is exactly 55 %: ratio 1.1 (the same double as 1 + 0.1) keeps the count.
    @Test func ratioExactlyAtTheUpperEdgeKeepsTheCount() {
        #expect(utilization(current: 3, target: 50, usage: 1650, requests: 3000) == 3)
    }

    // 1680 m of 3000 m is 56 %: ratio 1.12 > 1.1, ceil(1.12 × 3) = ceil(3.36) = 4.
    @Test func ratioJustAboveTheUpperEdgeScalesUp() {
        #expect(utilization(current: 3, target: 50, usage: 1680, requests: 3000) == 4)
    }

    // 4500 m of 10 000 m is 45 %: ratio 0.9, the lower edge, inclusive.
    // 4499 m is 44.99 %, truncated to 44: ratio 0.88, ceil(0.88 × 10) = ceil(8.8) = 9.
    @Test func lowerEdgeIsInclusiveAndJustBelowScalesDown() {
        #expect(utilization(current: 10, target: 50, usage: 4500, requests: 10_000) == 10)
        #expect(utilization(current: 10, target: 50, usage: 4499, requests: 10_000) == 9)
    }

    // Port of replica_calculator_test.go TestReplicaCalcScaleUp: 300 + 500 + 700 m of 3 × 1000 m is 50 %,
    // 50 / 30 = 1.67, ceil(1.67 × 3) = 5.
    @Test func upstreamScaleUp() {
        #expect(utilization(current: 3, target: 30, usage: 1500, requests: 3000) == 5)
    }

    // Port of TestReplicaCalcScaleDown: 100 + 300 + 500 + 250 + 250 = 1400 m of 5000 m is 28 %,
    // 28 / 50 = 0.56, ceil(0.56 × 5) = ceil(2.8) = 3.
    @Test func upstreamScaleDown() {
        #expect(utilization(current: 5, target: 50, usage: 1400, requests: 5000) == 3)
    }

    // Port of TestReplicaCalcTolerance: 1010 + 1030 + 1020 m of 900 + 1000 + 1100 m is 102 % of a 100 % target.
    @Test func upstreamTolerance() {
        #expect(utilization(current: 3, target: 100, usage: 3060, requests: 3000) == 3)
    }

    // Memory works on milli-values too (bytes × 1000); the percentage is the same.
    // 3 pods using 600 MiB of 3 × 500 MiB requested is 40 % of a 60 % target: ceil(0.667 × 3) = 2.
    @Test func memoryUtilizationUsesBytes() {
        let mib: Int64 = 1024 * 1024
        let result = ReplicaCalculator.resourceUtilization(
            currentReplicas: 3, readyPods: 3, targetPercent: 60, totalUsage: .bytes(600 * mib),
            totalRequests: .bytes(1500 * mib), tolerances: tolerance)
        #expect(result == 2)
    }

    @Test func noRequestsOrNoPodsIsAnInvalidMetric() {
        #expect(utilization(current: 3, target: 50, usage: 100, requests: 0) == nil)
        #expect(utilization(current: 0, target: 50, usage: 100, requests: 100) == nil)
    }

    // Port of TestReplicaCalcScaleUpCM (Pods metric): 20 000 + 10 000 + 30 000 milli over 3 pods averages
    // 20 000 against 15 000: 1.333… × 3 rounds to 4.0 in float64, ceil 4.
    @Test func podsMetricAveragesOverPods() {
        let result = ReplicaCalculator.averageValue(
            currentReplicas: 3, readyPods: 3, target: MetricQuantity(milliValue: 15_000),
            total: MetricQuantity(milliValue: 60_000), tolerances: tolerance)
        #expect(result == 4)
    }

    // 10 milli over 3 pods averages int(10 / 3) = 3 milli: ratio 3 / 3 = 1.0 keeps the count.
    // Without the integer division the ratio would be 1.11 and the count would go to 4.
    @Test func podsAverageIsIntegerDivisionInMilliUnits() {
        let result = ReplicaCalculator.averageValue(
            currentReplicas: 3, readyPods: 3, target: MetricQuantity(milliValue: 3),
            total: MetricQuantity(milliValue: 10), tolerances: tolerance)
        #expect(result == 3)
    }

    // Port of TestReplicaCalcScaleUpCMObject: object value 20 against 10 with 3 replicas: ceil(2 × 3) = 6.
    @Test func objectValueMultipliesTheReadyPods() {
        let result = ReplicaCalculator.value(
            currentReplicas: 3, readyPods: 3, target: .units(10), value: .units(20),
            tolerances: tolerance)
        #expect(result == 6)
    }

    // Port of TestReplicaCalcScaleUpCMExternal: 8600 against 4400 milli with 1 replica: ceil(1.95) = 2.
    @Test func externalValue() {
        let result = ReplicaCalculator.value(
            currentReplicas: 1, readyPods: 1, target: MetricQuantity(milliValue: 4400),
            value: MetricQuantity(milliValue: 8600), tolerances: tolerance)
        #expect(result == 2)
    }

    // getUsageRatioReplicaCount at zero replicas: ceil(ratio), no tolerance: 2500 / 1000 → 3, 0 → 0.
    @Test func valueAtZeroReplicasIsTheCeilingOfTheRatio() {
        #expect(
            ReplicaCalculator.value(
                currentReplicas: 0, readyPods: 0, target: .units(1), value: MetricQuantity(milliValue: 2500),
                tolerances: tolerance) == 3)
        #expect(
            ReplicaCalculator.value(
                currentReplicas: 0, readyPods: 0, target: .units(1), value: .zero,
                tolerances: tolerance) == 0)
        // 1.05 would be inside the band with replicas; at zero the band does not apply.
        #expect(
            ReplicaCalculator.value(
                currentReplicas: 0, readyPods: 0, target: .units(20), value: .units(21),
                tolerances: tolerance) == 2)
    }

    // Port of TestReplicaCalcScaleUpPerPodCMExternal: 8600 milli, 2150 per pod, 3 replicas:
    // ratio 8600 / 6450 = 1.33 is outside, so ceil(8600 / 2150) = 4, whatever the current count.
    @Test func perPodTargetIsTheCeilingOfValueOverTarget() {
        #expect(
            ReplicaCalculator.perPodValue(
                statusReplicas: 3, target: MetricQuantity(milliValue: 2150),
                value: MetricQuantity(milliValue: 8600), tolerances: tolerance) == 4)
        // 95 queued against 10 per pod: ceil(9.5) = 10.
        #expect(
            ReplicaCalculator.perPodValue(
                statusReplicas: 2, target: .units(10), value: .units(95),
                tolerances: tolerance) == 10)
        // 21 against 10 per pod with 2 replicas: ratio 1.05 is inside, keep 2.
        #expect(
            ReplicaCalculator.perPodValue(
                statusReplicas: 2, target: .units(10), value: .units(21),
                tolerances: tolerance) == 2)
    }

    @Test func tolerancesCanDifferByDirection() {
        let tolerances = Tolerances(scaleDown: 0.2, scaleUp: 0.05)
        #expect(tolerances.isWithin(0.8))
        #expect(!tolerances.isWithin(0.79))
        #expect(tolerances.isWithin(1.05))
        #expect(!tolerances.isWithin(1.06))
    }
}
