import Autoscaling
import Foundation
import Testing

@testable import EKSModel

@Suite struct BreakEvenTests {
    // thumbnailer: 0.25 vCPU / 1 GB on Fargate = (0.25 × 0.04048 + 0.004445) × 730 = 10.63245;
    // m5.large = 0.096 × 730 = 70.08 holding 7 pods (1930m / 250m).
    static let pod = Decimal(string: "10.63245")!
    static let node = Decimal(string: "70.08")!

    @Test func ec2BecomesCheaperWhenANodeFillsAndAlwaysFromTheNinetyThirdReplica() throws {
        let crossover = try #require(EC2VersusFargate.crossover(podUSD: Self.pod, nodeUSD: Self.node, perNode: 7))
        // 7 pods: 70.08 on EC2 against 74.43 on Fargate. At 92 = 7·13 + 1: 14 nodes 981.12
        // against 978.19, Fargate still cheaper; at 99 = 7·14 + 1: 1051.20 against 1052.61.
        #expect(crossover.first == 7)
        #expect(crossover.always == 93)
    }

    @Test func theBreakEvenFlipsWhenPricesChange() {
        // A node at 0.09 × 730 = 65.70: EC2 wins from 7 pods (65.70 < 74.43), always from 7·3+1?
        let cheaperNode = EC2VersusFargate.crossover(podUSD: Self.pod, nodeUSD: Decimal(string: "65.70")!, perNode: 7)
        #expect(cheaperNode?.first == 7)
        // (65.70 − 10.63) / (74.43 − 65.70) = 6.3 → EC2 always cheaper from 7·6 + 1 + 1 = 44? Checked by scan below.
        #expect(cheaperNode.map { $0.always <= 50 } == true)
        // Fargate at 9.90 per pod: 7 pods cost 69.30 < 70.08, so Fargate is always cheaper.
        #expect(EC2VersusFargate.crossover(podUSD: Decimal(string: "9.90")!, nodeUSD: Self.node, perNode: 7) == nil)
    }

    @Test func crossoverAgreesWithABruteForceScan() throws {
        let crossover = try #require(
            EC2VersusFargate.crossover(podUSD: Self.pod, nodeUSD: Decimal(string: "65.70")!, perNode: 7))
        var last = 0
        for n in 1...500
        where EC2VersusFargate.ec2Cost(n, nodeUSD: Decimal(string: "65.70")!, perNode: 7) > Decimal(n) * Self.pod {
            last = n
        }
        #expect(crossover.always == last + 1)
    }
}

@Suite struct CurveBreakEvenTests {
    @Test func hoursPerDayAtWhichTheNodesForThePeakCostWhatFargateDoes() {
        // 14 pods at peak, 7 per m5.large: 2 nodes × 69.12 = 138.24 against 14 Fargate pods of
        // 10.4868 around the clock = 146.8152: Fargate is cheaper under 24 × 138.24 ÷ 146.8152
        // = 22.598… hours per day.
        let hours = EC2VersusFargate.breakEvenHoursPerDay(
            peak: 14, podUSD: Decimal(string: "10.4868")!,
            nodeUSD: Decimal(string: "69.12")!, perNode: 7)
        #expect(DecimalText.roundedResult(hours, scale: 3) == Decimal(string: "22.598")!)
        // A cheaper node flips it sooner: 2 × 30 = 60 → 24 × 60 ÷ 146.8152 = 9.808… hours.
        let cheap = EC2VersusFargate.breakEvenHoursPerDay(
            peak: 14, podUSD: Decimal(string: "10.4868")!, nodeUSD: 30, perNode: 7)
        #expect(DecimalText.roundedResult(cheap, scale: 3) == Decimal(string: "9.808")!)
    }

    @Test func aWorkloadFollowingAWeekdayPeakIsJudgedInHoursPerDay() throws {
        // CPU 200m at night (2 replicas of 250m at 50 %), 3000m on weekdays 09–17: the HPA goes
        // to its maximum of 14 at 9:00 (scale-up allowed 100 pods per 15 s) and back to 2 at
        // 17:00 (no stabilization window). November 2026 has 21 weekdays: pod-hours
        // 720 × 2 + 21 × 8 × 12 = 3456, average 4.8 replicas, 24 × 4.8 ÷ 14 = 8.228… hours per day.
        var workload = Workload(
            name: "web", replicas: 2,
            containers: [
                Container(name: "c", requests: ResourceRequests(cpuMillicores: 250, memoryBytes: 512 * 1_048_576))
            ])
        workload.hpa = HorizontalPodAutoscalerSpec(
            minReplicas: 2, maxReplicas: 14, metrics: [.resource(.cpu, .utilization(percent: 50))],
            behavior: Behavior(
                scaleUp: ScalingRules(stabilizationWindowSeconds: 0, policies: [.pods(100, perSeconds: 15)]),
                scaleDown: ScalingRules(stabilizationWindowSeconds: 0)))
        workload.load = WorkloadLoad(cpu: CurveReference(curve: "office"))
        var scenario = Scenario(
            name: "curve", region: "us-east-1",
            clusters: [
                Cluster(
                    name: "prod",
                    nodeGroups: [NodeGroup(name: "general", instanceType: "m5.large", minSize: 1, maxSize: 20)],
                    workloads: [workload])
            ])
        scenario.curves = [
            "office": ParametricShape(base: 200, peak: 3000, peakStartHour: 9, peakEndHour: 17).curve(name: "office")
        ]
        let comparison = Comparer.compare(
            EstimateInputs(
                scenario: scenario, snapshot: CompareTests.snapshot, catalog: Types.catalog,
                period: BillingPeriod(month: CalendarMonth("2026-11")!), asOf: CalendarDate("2026-11-23")!))
        let breakEven = try #require(comparison.breakEvens.first)
        let curve = try #require(breakEven.curve)
        #expect(curve.peakReplicas == 14 && curve.nodesForPeak == 2)
        #expect(curve.averageReplicas == Decimal(string: "4.8")!)
        #expect(DecimalText.roundedResult(curve.hoursPerDay, scale: 3) == Decimal(string: "8.229")!)
        // 0.25 vCPU / 1 GB on Fargate for 720 h = 10.4868; m5.large 69.12 holding 7 pods.
        #expect(breakEven.fargatePodUSD == Decimal(string: "10.4868")! && breakEven.podsPerNode == 7)
        #expect(DecimalText.roundedResult(curve.breakEvenHoursPerDay, scale: 3) == Decimal(string: "22.598")!)
        #expect(breakEven.statement.contains("Fargate is cheaper while its pods run under 22.6 hours per day at peak"))
        #expect(
            breakEven.statement.contains(
                "its load curve gives 8.2 hours per day (average 4.8 replicas ÷ peak 14 × 24), so Fargate is cheaper"))
    }
}

@Suite struct CompareTests {
    static let snapshot = PriceSnapshot(
        id: "t", date: CalendarDate("2026-11-23")!,
        prices: Snapshots.current.prices.values.map { $0 } + [
            Snapshots.price("us-east-1", "fargate", "vcpu", Decimal(string: "0.04048")!, .vcpuHour),
            Snapshots.price("us-east-1", "fargate", "memory", Decimal(string: "0.004445")!, .gbHour),
            Snapshots.price("us-east-1", "ec2", "m5.large", Decimal(string: "0.04366")!, term: PriceKey.spot),
        ])

    static func scenario(withProfile: Bool) -> Scenario {
        func workload(_ name: String, _ namespace: String, _ replicas: Int, _ cpu: Int64, _ memoryMiB: Int64)
            -> Workload
        {
            Workload(
                name: name, namespace: namespace, replicas: replicas,
                containers: [
                    Container(
                        name: "c", requests: ResourceRequests(cpuMillicores: cpu, memoryBytes: memoryMiB * 1_048_576))
                ])
        }
        var cluster = Cluster(
            name: "prod", nodeGroups: [NodeGroup(name: "general", instanceType: "m5.large", minSize: 1, maxSize: 20)],
            workloads: [
                workload("api", "default", 6, 500, 1024), workload("thumbnailer", "serverless", 4, 250, 512),
                workload("events", "serverless", 2, 1000, 2048),
            ])
        if withProfile {
            cluster.fargateProfiles = [
                FargateProfile(name: "serverless", selectors: [FargateSelector(namespace: "serverless")])
            ]
        }
        return Scenario(name: "fargate-mix", region: "us-east-1", clusters: [cluster])
    }

    static func compare(withProfile: Bool) -> Comparison {
        Comparer.compare(
            EstimateInputs(
                scenario: scenario(withProfile: withProfile), snapshot: snapshot, catalog: Types.catalog,
                period: .standard, asOf: CalendarDate("2026-11-23")!))
    }

    static func total(_ comparison: Comparison, _ kind: StrategyResult.Kind) -> String? {
        comparison.strategies.first { $0.kind == kind }?.totalUSD.map(DecimalText.usd)
    }

    @Test func ranksTheStrategiesWithHandWorkedTotals() {
        let comparison = Self.compare(withProfile: true)
        // As written: EKS 73 + 2 m5.large 140.16 + Fargate 29.55 + 12.98 + 59.10 + 19.47 = 334.26.
        #expect(Self.total(comparison, .asWritten) == "334.26")
        // All on m5.large: 1 min node + 3 new = 4 nodes: 73 + 280.32 = 353.32; on spot 4 × 0.04366 × 730 = 127.49.
        #expect(Self.total(comparison, .onDemand) == "353.32")
        #expect(Self.total(comparison, .spot) == "200.49")
        // All on Fargate: api 6 × 0.5 vCPU / 2 GB = 88.65 + 38.94, the rest 121.10, the min node 70.08, EKS 73.
        #expect(Self.total(comparison, .fargate) == "391.77")
        // Cheapest family: t3 (only t3.medium priced here: 1930m, 3246 MiB). The min node takes
        // an events and an api pod; FFD then needs 3 more (events+api, 3 api, api+4 thumbnailers):
        // 4 × 0.0416 × 730 = 121.47, plus EKS 73 = 194.47, cheaper than spot.
        #expect(Self.total(comparison, .cheapestFamily) == "194.47")
        #expect(comparison.cheapest?.kind == .cheapestFamily)
        let totals = comparison.strategies.compactMap(\.totalUSD)
        #expect(totals == totals.sorted())
    }

    @Test func sharesAddUpToEachTotal() {
        for strategy in Self.compare(withProfile: true).strategies where strategy.estimate != nil {
            #expect(strategy.shares.reduce(0) { $0 + $1.usd } == strategy.totalUSD!)
        }
    }

    @Test func removingTheProfileMovesThosePodsToNodes() {
        let comparison = Self.compare(withProfile: false)
        // As written now equals all on-demand: 353.32.
        #expect(Self.total(comparison, .asWritten) == "353.32")
        #expect(comparison.strategies.first { $0.kind == .asWritten }?.fargatePods == 0)
        #expect(comparison.strategies.first { $0.kind == .asWritten }?.nodes == 4)
    }

    @Test func spotWithoutPricesNeedsADiscount() {
        var inputs = EstimateInputs(
            scenario: Self.scenario(withProfile: true), snapshot: Snapshots.current, catalog: Types.catalog,
            period: .standard, asOf: CalendarDate("2026-11-23")!)
        let withoutPrices = Comparer.compare(inputs)
        let spot = withoutPrices.strategies.first { $0.kind == .spot }
        #expect(spot?.estimate == nil)
        #expect(spot?.note.contains("pass --spot-discount") == true)
        inputs.snapshot = Self.snapshot
        let discounted = Comparer.compare(
            EstimateInputs(
                scenario: Self.scenario(withProfile: true), snapshot: Snapshots.current,
                catalog: Types.catalog, period: .standard, asOf: CalendarDate("2026-11-23")!),
            options: CompareOptions(spotDiscount: Decimal(string: "0.5")!))
        // 4 nodes × 0.048 × 730 = 140.16, plus EKS 73.
        #expect(Self.total(discounted, .spot) == "213.16")
        #expect(discounted.strategies.first { $0.kind == .spot }?.note.contains("assumed on-demand less 50 %") == true)
    }
}
