import Autoscaling
import Foundation
import Testing

@testable import EKSModel

/// Skipping the syncs whose answer is known must give the trajectory of syncing every period:
/// both are run on random curves (levels that repeat, so that runs of equal samples occur),
/// random HPAs (legacy and behavior paths, windows, policies, select policies, tolerances,
/// several metrics) and sync periods, from fixed seeds.
@Suite struct SteadySyncSkippingTests {
    /// A fixed-seed generator (64-bit LCG, Knuth's constants), so every run tests the same cases.
    struct Generator {
        var state: UInt64
        mutating func next(_ range: ClosedRange<Int>) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return range.lowerBound + Int((state >> 33) % UInt64(range.count))
        }
        mutating func pick<T>(_ choices: [T]) -> T { choices[next(0...(choices.count - 1))] }
        mutating func chance(_ percent: Int) -> Bool { next(1...100) <= percent }
    }

    static func curve(_ random: inout Generator, name: String, columns: [String]) -> LoadCurve {
        let interval = random.pick([60, 300, 900, 3600])
        let samples = random.next(1...48)
        let levels = (0..<random.next(1...5)).map { _ in
            Double(random.pick([0, 100, 250, 400, 700, 1000, 1600, 2500, 4000, 6500]))
        }
        var series: [String: [Double]] = [:]
        for column in columns {
            var values: [Double] = []
            for _ in 0..<samples {
                // Mostly repeat the previous sample, so that values hold for several samples.
                values.append(values.last.flatMap { random.chance(60) ? $0 : nil } ?? random.pick(levels))
            }
            series[column] = values
        }
        return LoadCurve(
            name: name, intervalSeconds: interval, anchor: random.chance(50) ? .week : .periodStart, columns: series)
    }

    static func rules(_ random: inout Generator) -> ScalingRules? {
        guard random.chance(80) else { return nil }
        var rules = ScalingRules()
        if random.chance(70) { rules.stabilizationWindowSeconds = random.pick([0, 15, 45, 60, 300, 600, 1800]) }
        if random.chance(30) { rules.selectPolicy = random.pick([.max, .min, .min, .disabled]) }
        if random.chance(70) {
            rules.policies = (0..<random.next(1...3)).map { _ in
                ScalingPolicy(
                    type: random.chance(50) ? .pods : .percent, value: random.next(1...150),
                    periodSeconds: random.pick([15, 30, 60, 120, 300, 900]))
            }
        }
        if random.chance(30) { rules.tolerance = random.pick([0, 0.01, 0.05, 0.2]) }
        return rules
    }

    static func workload(_ random: inout Generator) -> Workload {
        let cpu = Int64(random.pick([100, 250, 500, 1000]))
        var workload = Workload(
            name: "w", replicas: random.next(0...6),
            containers: [
                Container(
                    name: "c",
                    requests: ResourceRequests(
                        cpuMillicores: cpu, memoryBytes: Int64(random.pick([128, 512, 1024])) << 20))
            ])
        let minimum = random.next(1...4)
        var metrics: [MetricSpec] = []
        var load = WorkloadLoad()
        if random.chance(80) {
            metrics.append(
                .resource(
                    .cpu,
                    random.chance(80)
                        ? .utilization(percent: random.pick([30, 50, 60, 75, 90]))
                        : .averageValue(.millicores(Int64(random.pick([200, 400]))))))
            load.cpu = CurveReference(curve: "a", column: "cpu")
        }
        if random.chance(30) {
            metrics.append(.resource(.memory, .averageValue(.bytes(Int64(random.pick([256, 600])) << 20))))
            load.memory = CurveReference(curve: random.chance(50) ? "a" : "b", column: "memory")
        }
        if random.chance(30) || metrics.isEmpty {
            metrics.append(.pods(name: "rps", averageValue: .units(Int64(random.pick([50, 100, 300])))))
            load.metrics["rps"] = CurveReference(curve: "b", column: "rps")
        }
        if random.chance(15) {
            metrics.append(.external(name: "queue", target: .averageValue(.units(30))))
            // Sometimes no series: the metric is unavailable throughout.
            if random.chance(70) { load.metrics["queue"] = CurveReference(curve: "b", column: "rps") }
        }
        let behavior = random.chance(65) ? Behavior(scaleUp: rules(&random), scaleDown: rules(&random)) : nil
        workload.hpa = HorizontalPodAutoscalerSpec(
            minReplicas: minimum, maxReplicas: minimum + random.next(0...30),
            metrics: metrics, behavior: behavior)
        workload.load = load
        return workload
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6])
    func skippingGivesTheTrajectoryOfSyncingEveryPeriod(seed: Int) {
        var random = Generator(state: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15)
        var changing = 0
        var syncsEvery = 0
        var syncsSkipping = 0
        for _ in 0..<40 {
            let workload = Self.workload(&random)
            let curves = [
                "a": Self.curve(&random, name: "a", columns: ["cpu", "memory"]),
                "b": Self.curve(&random, name: "b", columns: ["memory", "rps"]),
            ]
            // Short periods keep the run syncing every period quick; a month now and then meets the
            // week-anchored curves on its real weekdays.
            let period =
                random.chance(10)
                ? BillingPeriod(month: CalendarMonth("2026-11")!)
                : BillingPeriod(hoursPerMonth: Decimal(random.next(2...24)))
            let sync = period.month != nil ? 300 : random.pick([15, 15, 30, 60])
            let settings = SimulationSettings(hpaSyncSeconds: sync, hpaConfigurableTolerance: random.chance(70))
            let every = ReplicaSimulation.trajectory(
                workload, requests: workload.podRequests, curves: curves, period: period,
                settings: settings, skippingSteadySyncs: false, syncs: &syncsEvery)
            let skipping = ReplicaSimulation.trajectory(
                workload, requests: workload.podRequests, curves: curves, period: period,
                settings: settings, skippingSteadySyncs: true, syncs: &syncsSkipping)
            guard case .success(let expected) = every, case .success(let actual) = skipping else {
                Issue.record("an HPA failed: \(every) \(skipping)")
                continue
            }
            let first =
                zip(actual.changes, expected.changes).enumerated()
                .first { $0.element.0.time != $0.element.1.time || $0.element.0.replicas != $0.element.1.replicas }?
                .offset
                ?? min(actual.changes.count, expected.changes.count)
            #expect(
                actual == expected,
                "first difference at change \(first) of \(expected.changes.count): \(actual.changes.dropFirst(first).first.map { "\($0)" } ?? "none") skipping, \(expected.changes.dropFirst(first).first.map { "\($0)" } ?? "none") syncing every \(sync) s; \(workload.hpa!)"
            )
            if expected.changes.count > 1 { changing += 1 }
        }
        // The cases must exercise the rules (most trajectories change) and the skipping (far fewer syncs).
        #expect(changing > 20)
        #expect(syncsSkipping * 2 < syncsEvery, "\(syncsSkipping) syncs skipping, \(syncsEvery) syncing every period")
    }
}
