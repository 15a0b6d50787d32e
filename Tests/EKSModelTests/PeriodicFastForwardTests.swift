import Autoscaling
import Foundation
import Testing

@testable import EKSModel

/// Fast-forwarding repeating days must give the timeline of simulating every day: both are run on
/// random clusters with daily curves, and a small case is worked out by hand.
@Suite struct PeriodicFastForwardTests {
    typealias Generator = SteadySyncSkippingTests.Generator
    static let day = 86_400

    static let prices: [String: Decimal] = [
        "m5.large": Decimal(string: "0.096")!, "m5.xlarge": Decimal(string: "0.192")!,
        "m5.2xlarge": Decimal(string: "0.384")!, "t3.medium": Decimal(string: "0.0416")!,
    ]

    /// A curve that repeats every day: 24 hourly, 48 half-hourly or 96 quarter-hourly samples, or two
    /// 12-hour halves alike.
    static func dailyCurve(_ random: inout Generator, name: String, columns: [String]) -> LoadCurve {
        let (interval, samples) = random.pick([(3600, 24), (1800, 48), (900, 96), (3600, 12)])
        let levels = (0..<random.next(2...4)).map { _ in Double(random.pick([100, 300, 600, 1000, 1800, 3000, 5000])) }
        var series: [String: [Double]] = [:]
        for column in columns {
            var values: [Double] = []
            for _ in 0..<samples {
                values.append(values.last.flatMap { random.chance(70) ? $0 : nil } ?? random.pick(levels))
            }
            series[column] = values
        }
        return LoadCurve(
            name: name, intervalSeconds: interval, anchor: random.chance(50) ? .week : .periodStart, columns: series)
    }

    static func cluster(_ random: inout Generator) -> (Cluster, [String: LoadCurve]) {
        var groups = [
            NodeGroup(
                name: "general", instanceType: random.pick(["m5.large", "m5.xlarge"]), minSize: random.next(0...2),
                maxSize: 40)
        ]
        if random.chance(40) {
            groups.append(NodeGroup(name: "small", instanceType: "t3.medium", minSize: random.next(0...1), maxSize: 40))
        }
        let karpenter = random.chance(70)
        if karpenter {
            groups.append(
                NodeGroup(
                    name: "flex", instanceType: "m5.large",
                    instanceTypes: ["m5.large", "m5.xlarge", "m5.2xlarge", "t3.medium"], minSize: random.next(0...1),
                    maxSize: 40, labels: ["tier": "flex"], provisioner: .karpenter))
        }
        var columns: [String] = []
        var workloads: [Workload] = []
        for index in 0..<random.next(3...10) {
            var workload = Workload(
                name: "w\(index)", namespace: random.chance(15) ? "serverless" : "default",
                replicas: random.next(1...4),
                containers: [
                    Container(
                        name: "c",
                        requests: ResourceRequests(
                            cpuMillicores: Int64(random.pick([100, 250, 500, 700])),
                            memoryBytes: Int64(random.pick([256, 512, 1024, 2048])) << 20))
                ])
            if karpenter && random.chance(40) { workload.nodeSelector = ["tier": "flex"] }
            if random.chance(85) {
                let minimum = random.next(1...3)
                workload.hpa = HorizontalPodAutoscalerSpec(
                    minReplicas: minimum, maxReplicas: minimum + random.next(2...12),
                    metrics: [.resource(.cpu, .utilization(percent: random.pick([50, 60, 75])))],
                    behavior: random.chance(60)
                        ? Behavior(
                            scaleUp: SteadySyncSkippingTests.rules(&random),
                            scaleDown: SteadySyncSkippingTests.rules(&random)) : nil)
                workload.load = WorkloadLoad(cpu: CurveReference(curve: "daily", column: "w\(index)"))
                columns.append("w\(index)")
            }
            workloads.append(workload)
        }
        var cluster = Cluster(name: "c", nodeGroups: groups, workloads: workloads)
        if random.chance(50) {
            cluster.fargateProfiles = [
                FargateProfile(name: "serverless", selectors: [FargateSelector(namespace: "serverless")])
            ]
        }
        let curves = columns.isEmpty ? [:] : ["daily": dailyCurve(&random, name: "daily", columns: columns)]
        return (cluster, curves)
    }

    static func simulate(
        _ cluster: Cluster, curves: [String: LoadCurve], period: BillingPeriod, settings: SimulationSettings
    ) -> (timeline: ClusterTimeline, fastForward: FastForwardSummary)? {
        let result = ClusterSimulator.simulateReportingFastForward(
            cluster, curves: curves, catalog: Types.catalog, price: { type, _ in prices[type] }, period: period,
            settings: settings)
        return try? result.get()
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func fastForwardGivesTheTimelineOfSimulatingEveryDay(seed: Int) {
        var random = Generator(state: UInt64(seed) &* 0x2545_F491_4F6C_DD1D)
        var fastForwarded = 0
        var skipped = 0
        for _ in 0..<12 {
            let (cluster, curves) = Self.cluster(&random)
            // 4 to 12 days, sometimes with a part of a day at the end.
            let hours = 24 * random.next(4...12) + (random.chance(30) ? random.next(1...23) : 0)
            let period = BillingPeriod(hoursPerMonth: Decimal(hours))
            var settings = SimulationSettings(
                hpaSyncSeconds: random.pick([15, 60, 300]), reportStepSeconds: random.pick([900, 3600, 3600]))
            guard let fast = Self.simulate(cluster, curves: curves, period: period, settings: settings) else {
                Issue.record("the simulation failed")
                continue
            }
            settings.fastForwardCycles = false
            guard var slow = Self.simulate(cluster, curves: curves, period: period, settings: settings) else {
                continue
            }
            #expect(slow.fastForward.skippedPeriods == 0)
            slow.timeline.settings.fastForwardCycles = true
            #expect(fast.timeline.nodeSecondsByType == slow.timeline.nodeSecondsByType)
            #expect(fast.timeline.podSeconds == slow.timeline.podSeconds)
            #expect(fast.timeline == slow.timeline, "\(hours) h, fast-forward \(fast.fastForward)")
            if fast.fastForward.skippedPeriods > 0 { fastForwarded += 1 }
            skipped += fast.fastForward.skippedPeriods
        }
        // Most random clusters settle into a daily cycle within a few days.
        #expect(fastForwarded >= 4, "\(fastForwarded) of 12 fast-forwarded, \(skipped) days skipped")
    }

    /// web: 500m pods; m5.large holds 3 (1930m allocatable, SimulationTests); one node at least.
    static func squareWaveCluster() -> Cluster {
        SimulationTests.cluster(SimulationTests.web())
    }

    /// 2 replicas, 6 from 08:00 to 20:00 every day; on `changedDay` 9 instead of 6.
    static func squareWave(days: Int, changedDay: Int? = nil) -> ReplicaTrajectory {
        var changes: [(time: Int, replicas: Int)] = [(0, 2)]
        for day in 0..<days {
            changes.append((day * Self.day + 8 * 3600, day == changedDay ? 9 : 6))
            changes.append((day * Self.day + 20 * 3600, 2))
        }
        return ReplicaTrajectory(changes: changes)
    }

    static func run(
        _ trajectory: ReplicaTrajectory, days: Int, hours: Int = 0, cluster: Cluster = squareWaveCluster(),
        fastForward: Bool
    ) -> (ClusterTimeline, FastForwardSummary) {
        var simulation = NodeSimulation(
            cluster: cluster, catalog: Types.catalog, price: { type, _ in prices[type] },
            period: BillingPeriod(hoursPerMonth: Decimal(24 * days + hours)),
            settings: SimulationSettings(fastForwardCycles: fastForward), trajectories: [trajectory])
        let timeline = simulation.run()
        return (timeline, simulation.cycle.summary)
    }

    @Test func aDailySquareWaveWorkedOutByHand() {
        // Each day: at 08:00, 4 more pods: the node running 2 takes 1 (3 of 500m fit in 1930m), a new
        // node the other 3. At 20:00, down to 2: the ReplicaSet takes from the busiest, newest first
        // (3,3 → 3,2 → 2,2 → 2,1 → 1,1). Both nodes are then under 50 % (500m of 1930m) with a pod
        // that fits on the other; at 20:10 the older goes (creation order) and its pod moves to the
        // newer, which at 1000m (52 %) is needed; the group's minimum is 1. So every day one node
        // runs 24 h and a second 12 h 10 min: 86,400 + 43,800 = 130,200 node-seconds; 30 days
        // 3,906,000. Pods: 2 × 24 h + 4 × 12 h = 345,600 pod-seconds a day, 10,368,000.
        // The state at midnight (one node, 2 pods) is the same from day 1 on; the trajectory repeats
        // from second 1 (its first change, at 0, has no like a day later): days 1 and 2 are compared
        // and days 2 to 29 (28) added at once.
        let (timeline, summary) = Self.run(Self.squareWave(days: 30), days: 30, fastForward: true)
        let key = NodeKey(group: "g", type: "m5.large")
        #expect(summary == FastForwardSummary(periodSeconds: Self.day, periodicFrom: 1, skippedPeriods: 28))
        #expect(timeline.nodeSeconds(key) == 3_906_000)
        #expect(timeline.podSeconds[key]?.values.reduce(0, +) == 10_368_000)
        #expect(timeline.stepCount == 720)
        // Hour 8 ends with two nodes; hour 20 holds one node's hour and the other's 10 minutes.
        #expect(timeline.nodesPerStep(key)[29 * 24 + 8] == 2)
        #expect(timeline.nodesPerStep(key)[29 * 24 + 20] == 1)
        #expect(timeline.nodeSecondsPerStep(key)[17 * 24 + 20] == 4200)
        #expect(timeline.peakNodes == 2)
        #expect(timeline.peakNodesAt == 8 * 3600)
        let (slow, _) = Self.run(Self.squareWave(days: 30), days: 30, fastForward: false)
        var fast = timeline
        fast.settings.fastForwardCycles = false
        #expect(fast == slow)
    }

    @Test func aChangeLateInTheMonthIsNotSkipped() {
        // Day 25 peaks at 9: the trajectory repeats only from just after its last change unlike the
        // day before (day 25, 20:00 → 2 replicas, as every day; the 08:00 change to 9 and the one
        // back to 6 on day 26 are unlike): from day 26 08:00 + 1 s? The 9 at day 25 08:00 differs from
        // day 24's 6 and day 26's 6, so the cycle starts after day 25 08:00 (and after day 26 08:00
        // − 1 day): second 25 × 86,400 + 28,801. Boundaries at days 26 and 27 are compared, days 27
        // to 29 (3) skipped.
        let trajectory = Self.squareWave(days: 30, changedDay: 25)
        #expect(trajectory.periodicFrom(period: Self.day, end: 30 * Self.day) == 25 * Self.day + 28_801)
        let (fast, summary) = Self.run(trajectory, days: 30, fastForward: true)
        #expect(summary.skippedPeriods == 3)
        let (slow, _) = Self.run(trajectory, days: 30, fastForward: false)
        var same = fast
        same.settings.fastForwardCycles = false
        #expect(same == slow)
        // Day 25 ran more than the others (its peak needs three nodes).
        let key = NodeKey(group: "g", type: "m5.large")
        let daily = (0..<30).map { day in fast.nodeSecondsPerStep(key)[(day * 24)..<(day * 24 + 24)].reduce(0, +) }
        #expect(daily[25] > daily[24])
        #expect(daily[24] == 130_200 && daily[29] == 130_200)
    }

    @Test func aChangeOnTheLastDayStopsTheFastForward() {
        // Unlike the day before on day 29 (the last): no boundary pair after it leaves a day to skip.
        let trajectory = Self.squareWave(days: 30, changedDay: 29)
        let (fast, summary) = Self.run(trajectory, days: 30, fastForward: true)
        #expect(summary.skippedPeriods == 0)
        #expect(summary.periodSeconds == 0)
        let (slow, _) = Self.run(trajectory, days: 30, fastForward: false)
        var same = fast
        same.settings.fastForwardCycles = false
        #expect(same == slow)
    }

    @Test func timersAndAgesRunningAtTheBoundaryMoveWithTheClock() {
        // 6 replicas from 20:00 to 23:55, else 2: at 23:55 the two nodes hold a pod each and are
        // unneeded (26 % of 1930m), so the older goes at 00:05 the next day (its pod moves). Nodes
        // alive: one, and a second from 20:00 to 00:05. Day 0: 86,400 + 4 h (14,400) = 100,800;
        // later days 86,400 + 300 + 14,400 = 101,100; the last half day 43,200 + 300. 10.5 days:
        // 100,800 + 9 × 101,100 + 43,500 = 1,054,200. The jump (days 2 to 9) ends at a midnight
        // with both nodes' timers running: the removal must still come at 00:05.
        let day = Self.day
        var changes: [(time: Int, replicas: Int)] = [(0, 2)]
        for d in 0..<11 { changes += [(d * day + 20 * 3600, 6), (d * day + 86_100, 2)] }
        let trajectory = ReplicaTrajectory(changes: changes.filter { $0.time < 10 * day + 12 * 3600 })
        let (fast, summary) = Self.run(trajectory, days: 10, hours: 12, fastForward: true)
        #expect(summary.skippedPeriods == 8)
        #expect(fast.nodeSeconds(NodeKey(group: "g", type: "m5.large")) == 1_054_200)
        let (slow, _) = Self.run(trajectory, days: 10, hours: 12, fastForward: false)
        var same = fast
        same.settings.fastForwardCycles = false
        #expect(same == slow)

        // Karpenter: 3 replicas (one full node), 6 from 30 s before midnight (a second node), 3 again at
        // midnight: the ReplicaSet leaves 2 and 1 (newest first on ties), and consolidation moves the
        // new node's pod to the old one and deletes it 30 s old, billing its minute. After the jump
        // the node at the boundary must still be 30 s old.
        var karpenter: [(time: Int, replicas: Int)] = [(0, 3)]
        for d in 0..<11 { karpenter += [(d * day + 86_370, 6), ((d + 1) * day, 3)] }
        let flex = Cluster(
            name: "c",
            nodeGroups: [
                NodeGroup(
                    name: "k", instanceType: "m5.large", instanceTypes: ["m5.large", "m5.xlarge"], minSize: 0,
                    maxSize: 10, provisioner: .karpenter)
            ], workloads: [SimulationTests.web()])
        let spiky = ReplicaTrajectory(changes: karpenter.filter { $0.time < 10 * day + 12 * 3600 })
        let (fastFlex, flexSummary) = Self.run(spiky, days: 10, hours: 12, cluster: flex, fastForward: true)
        #expect(flexSummary.skippedPeriods > 0)
        let (slowFlex, _) = Self.run(spiky, days: 10, hours: 12, cluster: flex, fastForward: false)
        var sameFlex = fastFlex
        sameFlex.settings.fastForwardCycles = false
        #expect(sameFlex == slowFlex)
    }

    @Test func aWeeklyCycleIsFoundWhenDaysDiffer() {
        // The square wave on weekdays only (days 0–4 of each week): no daily cycle (Saturday differs
        // from Friday), a weekly one from second 1. 5 weeks: weeks 1 and 2 are compared at their
        // ends, weeks 2 to 4 (3) skipped. Node-seconds: 5 × (5 × 130,200 + 2 × 86,400) = 4,119,000.
        let day = Self.day
        var changes: [(time: Int, replicas: Int)] = [(0, 2)]
        for d in 0..<35 where d % 7 < 5 { changes += [(d * day + 8 * 3600, 6), (d * day + 20 * 3600, 2)] }
        let trajectory = ReplicaTrajectory(changes: changes)
        let (fast, summary) = Self.run(trajectory, days: 35, fastForward: true)
        #expect(summary == FastForwardSummary(periodSeconds: 7 * day, periodicFrom: 1, skippedPeriods: 3))
        #expect(fast.nodeSeconds(NodeKey(group: "g", type: "m5.large")) == 4_119_000)
        let (slow, _) = Self.run(trajectory, days: 35, fastForward: false)
        var same = fast
        same.settings.fastForwardCycles = false
        #expect(same == slow)
    }

    @Test func periodicityOfChangeLists() {
        let day = Self.day
        // A constant trajectory repeats from second 1 (its one change, at 0, is not repeated).
        #expect(ReplicaTrajectory.constant(3).periodicFrom(period: day, end: 10 * day) == 1)
        // Changes every day at 01:00 to 5 and at 02:00 to 3, from day 2 on; day 1 had 4 at 01:00.
        var changes: [(time: Int, replicas: Int)] = [(0, 3), (day + 3600, 4), (day + 7200, 3)]
        for d in 2..<10 { changes += [(d * day + 3600, 5), (d * day + 7200, 3)] }
        // day 1's 01:00 change has no like at day 2 (4 against 5) → after day + 3600; day 2's has no
        // like a day before → after day + 3600 (2 × day + 3600 − day); day 1's 02:00 → 3 has its like.
        #expect(ReplicaTrajectory(changes: changes).periodicFrom(period: day, end: 10 * day) == day + 3601)
        // The last day's changes need no like after the end.
        #expect(ReplicaTrajectory(changes: changes).periodicFrom(period: day, end: 10 * day - 1) == day + 3601)
    }
}
