import Autoscaling
import Foundation
import Testing

@testable import EKSModel

/// Timelines worked out by hand from the HPA rules (legacy path: scale up at most to
/// max(2 × current, 4) per sync, 5-minute scale-down stabilization), the Cluster Autoscaler's
/// 10-minute unneeded time and m5.large's 1930m allocatable (3 pods of 500m).
@Suite struct SimulationTests {
    static let twoHours = BillingPeriod(hoursPerMonth: 2)

    static func curve(_ hourly: [Double]) -> [String: LoadCurve] {
        [
            "load": LoadCurve(
                name: "load", intervalSeconds: 3600, anchor: .periodStart,
                columns: ["cpu": hourly + Array(repeating: hourly.last!, count: 24)])
        ]
    }

    static func web(behavior: Behavior? = nil) -> Workload {
        var workload = Workload(
            name: "web", replicas: 2,
            containers: [
                Container(name: "app", requests: ResourceRequests(cpuMillicores: 500, memoryBytes: 512 * 1_048_576))
            ])
        workload.hpa = HorizontalPodAutoscalerSpec(
            minReplicas: 2, maxReplicas: 10, metrics: [.resource(.cpu, .utilization(percent: 50))],
            behavior: behavior)
        workload.load = WorkloadLoad(cpu: CurveReference(curve: "load", column: "cpu"))
        return workload
    }

    static func trajectory(_ workload: Workload, _ hourly: [Double], period: BillingPeriod = twoHours) -> [(Int, Int)] {
        let result = ReplicaSimulation.trajectory(
            workload, requests: workload.podRequests, curves: curve(hourly),
            period: period, settings: SimulationSettings())
        return (try? result.get().changes.map { ($0.time, $0.replicas) }) ?? []
    }

    @Test func replicasFollowTheHPAWithinItsScaleUpLimit() {
        // t=0: 1000m over 2 pods of 500m = 100 % against 50 % → 4 (max(2×2, 4) allows 4).
        // t=3600: 3000m over 4 pods = 150 % → 12, limited to max(2×4, 4) = 8; t=3615: 75 % → 12 → max 10.
        let changes = Self.trajectory(Self.web(), [1000, 3000])
        #expect(changes.map(\.0) == [0, 3600, 3615])
        #expect(changes.map(\.1) == [4, 8, 10])
    }

    @Test func scaleDownWaitsForTheStabilizationWindow() {
        // Up to 8 (t=0: 4, t=15: 8); at t=3600 the recommendation falls to 2 but the last 8 was
        // recommended at 3585: the legacy 300 s window lets it go at 3885.
        let changes = Self.trajectory(Self.web(), [2000, 500])
        #expect(changes.map(\.0) == [0, 15, 3885])
        #expect(changes.map(\.1) == [4, 8, 2])
    }

    @Test(arguments: [(60, 3645), (300, 3885), (600, 4185)])
    func theScaleDownWindowDecidesWhenReplicasGo(window: Int, expected: Int) {
        let workload = Self.web(behavior: Behavior(scaleDown: ScalingRules(stabilizationWindowSeconds: window)))
        let changes = Self.trajectory(workload, [2000, 500])
        #expect(changes.last?.0 == expected)
        #expect(changes.last?.1 == 2)
    }

    @Test func aScaleUpToleranceActsFromKubernetes135() {
        // 520m over 2 pods of 500m: int(520 × 100 / 1000) = 52 % against 50 %, ratio 1.04. The default
        // tolerance 0.1 keeps 2 replicas; behavior.scaleUp.tolerance 0.01 (KEP-4951, gate HPAConfigurableTolerance
        // on by default since 1.35) scales to ceil(1.04 × 2) = 3. At 3 pods: int(52 000 / 1500) = 34 %,
        // ratio 0.68 → ceil(0.68 × 3) = 3, so it stays. On 1.34 the gate is off and the field is ignored.
        let workload = Self.web(behavior: Behavior(scaleUp: ScalingRules(tolerance: 0.01)))
        func changes(_ version: String?) -> [Int] {
            let settings = SimulationSettings().forCluster(Cluster(name: "c", kubernetesVersion: version))
            let result = ReplicaSimulation.trajectory(
                workload, requests: workload.podRequests, curves: Self.curve([520]),
                period: Self.twoHours, settings: settings)
            return (try? result.get().changes.map(\.replicas)) ?? []
        }
        #expect(changes("1.35") == [3])
        #expect(changes(nil) == [3])
        #expect(changes("1.34") == [2])
        let old = Scenario(
            name: "s", region: "us-east-1",
            clusters: [Cluster(name: "c", kubernetesVersion: "1.34", workloads: [workload])])
        let warnings = ScenarioValidator.validate(old, catalog: Types.catalog, snapshot: nil).map(\.message)
        #expect(
            warnings.contains {
                $0.contains(
                    "tolerance is ignored: the HPAConfigurableTolerance feature gate is off before Kubernetes 1.35")
            })
    }

    static func cluster(
        _ workload: Workload, group: NodeGroup = NodeGroup(name: "g", instanceType: "m5.large", minSize: 1, maxSize: 10)
    ) -> Cluster {
        Cluster(name: "c", nodeGroups: [group], workloads: [workload])
    }

    static func simulate(_ cluster: Cluster, _ changes: [(Int, Int)], period: BillingPeriod = twoHours)
        -> ClusterTimeline
    {
        var simulation = NodeSimulation(
            cluster: cluster, catalog: Types.catalog,
            price: { type, _ in ["m5.large": Decimal(string: "0.096")!, "m5.xlarge": Decimal(string: "0.192")!][type] },
            period: period, settings: SimulationSettings(),
            trajectories: [ReplicaTrajectory(changes: changes.map { (time: $0.0, replicas: $0.1) })])
        return simulation.run()
    }

    @Test func nodesFollowThePodsAndAreBilledPerSecond() {
        // 4 pods at 0: the min node takes 3, a new node 1 → 2 nodes. At 3600 (8 pods): node 2 takes
        // 2, a third node 2. At 3615 (10): node 3 takes 1, a fourth node 1.
        // Node-seconds: 7200 + 7200 + 3600 + 3585 = 21585.
        let timeline = Self.simulate(Self.cluster(Self.web()), [(0, 4), (3600, 8), (3615, 10)])
        let key = NodeKey(group: "g", type: "m5.large")
        #expect(timeline.nodeSeconds(key) == 21585)
        #expect(timeline.peakNodes == 4)
        #expect(timeline.nodesPerStep(key) == [2, 4])
        #expect(timeline.nodeSecondsPerStep(key) == [7200, 14385])
    }

    @Test func idleNodesGoAfterTenMinutes() {
        // 8 pods on 3 nodes (3, 3, 2). At 3885 down to 2: the ReplicaSet removes from the nodes
        // with most pods, newest first, leaving 1, 1, 0. All three are under 50 % with pods that
        // fit elsewhere: at 3885 + 600 = 4485 the first goes (its pod moves to the second), then
        // the empty third. Node-seconds: 4485 + 7200 + (4485 − 15) = 16155.
        let timeline = Self.simulate(Self.cluster(Self.web()), [(0, 4), (15, 8), (3885, 2)])
        let key = NodeKey(group: "g", type: "m5.large")
        #expect(timeline.nodeSeconds(key) == 16155)
        #expect(timeline.nodesPerStep(key).last == 1)
    }

    @Test func aNodeOnlyHoursOldIsBilledAtLeastAMinute() {
        // A third node launched at 3600 for a spike that ends at 3630 is unneeded at once and
        // removed at 4230: 630 s. One launched and gone within 60 s cannot happen with the
        // 10-minute rule, so check the minimum on the period's end: a node launched 20 s before
        // the end is billed 60 s.
        let timeline = Self.simulate(Self.cluster(Self.web()), [(0, 3), (7180, 6)])
        let key = NodeKey(group: "g", type: "m5.large")
        #expect(timeline.nodeSeconds(key) == 7200 + 60)
    }

    @Test func karpenterConsolidatesRightAway() {
        // Six 1000m pods in a group of m5.large and m5.xlarge: two m5.xlarge (3 each). Down to 2
        // pods at 3600 (1 per node): the emptier node's pod moves and it goes at once; the other
        // keeps 2000m, more than an m5.large offers, so it stays an m5.xlarge.
        var workload = Self.web()
        workload.containers[0].requests = ResourceRequests(cpuMillicores: 1000, memoryBytes: 512 * 1_048_576)
        let group = NodeGroup(
            name: "k", instanceType: "m5.large", instanceTypes: ["m5.large", "m5.xlarge"], minSize: 0, maxSize: 10,
            provisioner: .karpenter)
        let timeline = Self.simulate(Self.cluster(workload, group: group), [(0, 6), (3600, 2)])
        let key = NodeKey(group: "k", type: "m5.xlarge")
        #expect(timeline.nodeSeconds(key) == 3600 + 7200)  // one until 3600, the other all period
        #expect(timeline.nodesPerStep(key).last == 1)
    }

    @Test func podsBindingAHostPortTakeANodeEach() {
        // 100m pods binding 8080: 3 at 0 need 3 nodes (the min node and 2 new) although one would hold
        // them by CPU. Down to 1 at 3600: the ReplicaSet deletes on the newest nodes, both empty ones go at
        // 3600 + 600. Back to 2 at 5400: the remaining node's port is taken, so a new node comes.
        // Node-seconds: 7200 + 4200 + 4200 + 1800 = 17400.
        var workload = Self.web()
        workload.containers[0].requests = ResourceRequests(cpuMillicores: 100, memoryBytes: 128 * 1_048_576)
        workload.containers[0].ports = [ContainerPort(containerPort: 8080, hostPort: 8080)]
        let timeline = Self.simulate(Self.cluster(workload), [(0, 3), (3600, 1), (5400, 2)])
        let key = NodeKey(group: "g", type: "m5.large")
        #expect(timeline.peakNodes == 3)
        #expect(timeline.nodeSeconds(key) == 17400)
        #expect(timeline.nodesPerStep(key) == [3, 2])
    }

    @Test func fargatePodsAreBilledForTheTimeTheyRun() {
        // 500m / 512Mi → 0.5 vCPU / 1 GB. Pod-seconds: 4 × 15 + 8 × 3870 + 2 × 3315 = 37650.
        var cluster = Self.cluster(Self.web())
        cluster.fargateProfiles = [FargateProfile(name: "all", selectors: [FargateSelector(namespace: "default")])]
        let timeline = Self.simulate(cluster, [(0, 4), (15, 8), (3885, 2)])
        #expect(timeline.fargatePodSeconds("default/web") == 37650)
        #expect(timeline.fargateSizes["default/web"] == FargateSize(vcpu: Decimal(string: "0.5")!, memoryGB: 1))
    }

    @Test func aSmallMonthPricedByHand() throws {
        // The first timeline above, priced: EKS 0.10 × 2 h = 0.20; EC2 21585 s ÷ 3600 × 0.096 =
        // 0.5756 → 0.58. Low: 2 replicas on the min node = 0.20 + 0.192 = 0.39; high: 10
        // replicas on 4 nodes = 0.20 + 0.768 = 0.97.
        var scenario = Scenario(name: "s", region: "us-east-1", clusters: [Self.cluster(Self.web())])
        scenario.curves = Self.curve([1000, 3000])
        let (estimate, diagnostics) = Estimator.estimate(
            EstimateInputs(
                scenario: scenario, snapshot: Snapshots.current,
                catalog: Types.catalog, period: Self.twoHours,
                asOf: CalendarDate("2026-11-23")!))
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        let value = try #require(estimate)
        #expect(DecimalText.usd(value.totalUSD) == "0.78")
        #expect(value.range.map { DecimalText.usd($0.lowUSD) } == "0.39")
        #expect(value.range.map { DecimalText.usd($0.highUSD) } == "0.97")
        #expect(value.peakNodes == 4)
        // The steps add up to the total.
        #expect(value.capacity[0].stepCostsUSD.reduce(0, +) == value.totalUSD)
    }

    @Test func curvesRepeatAndAlignToTheWeek() {
        let curve = ParametricShape(base: 1, peak: 5, peakStartHour: 9, peakEndHour: 17).curve(name: "office")
        // Monday 10:00 is a peak hour; Saturday 10:00 is not.
        #expect(curve.series(nil)![curve.sampleIndex(atSecond: 10 * 3600, weekOffset: 0)] == 5)
        #expect(curve.series(nil)![curve.sampleIndex(atSecond: 5 * 86400 + 10 * 3600, weekOffset: 0)] == 1)
        // November 2026 starts on a Sunday: the period's first hours are Sunday's.
        let november = BillingPeriod(month: CalendarMonth("2026-11")!)
        #expect(november.weekOffsetSeconds == 6 * 86400)
        #expect(
            curve.series(nil)![curve.sampleIndex(atSecond: 86400 + 10 * 3600, weekOffset: november.weekOffsetSeconds)]
                == 5)
        // A curve repeats after its length.
        #expect(curve.sampleIndex(atSecond: 7 * 86400 + 3600, weekOffset: 0) == 1)
    }
}
