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
        let crossover = try #require(EC2VersusFargate.crossover(podUSD: Self.pod, nodeUSD: Decimal(string: "65.70")!, perNode: 7))
        var last = 0
        for n in 1...500 where EC2VersusFargate.ec2Cost(n, nodeUSD: Decimal(string: "65.70")!, perNode: 7) > Decimal(n) * Self.pod {
            last = n
        }
        #expect(crossover.always == last + 1)
    }
}

@Suite struct CompareTests {
    static let snapshot = PriceSnapshot(id: "t", date: CalendarDate("2026-11-23")!, prices: Snapshots.current.prices.values.map { $0 } + [
        Snapshots.price("us-east-1", "fargate", "vcpu", Decimal(string: "0.04048")!, .vcpuHour),
        Snapshots.price("us-east-1", "fargate", "memory", Decimal(string: "0.004445")!, .gbHour),
        Snapshots.price("us-east-1", "ec2", "m5.large", Decimal(string: "0.04366")!, term: PriceKey.spot),
    ])

    static func scenario(withProfile: Bool) -> Scenario {
        func workload(_ name: String, _ namespace: String, _ replicas: Int, _ cpu: Int64, _ memoryMiB: Int64) -> Workload {
            Workload(name: name, namespace: namespace, replicas: replicas, containers: [
                Container(name: "c", requests: ResourceRequests(cpuMillicores: cpu, memoryBytes: memoryMiB * 1_048_576)),
            ])
        }
        var cluster = Cluster(name: "prod", nodeGroups: [NodeGroup(name: "general", instanceType: "m5.large", minSize: 1, maxSize: 20)],
                              workloads: [workload("api", "default", 6, 500, 1024), workload("thumbnailer", "serverless", 4, 250, 512),
                                          workload("events", "serverless", 2, 1000, 2048)])
        if withProfile { cluster.fargateProfiles = [FargateProfile(name: "serverless", selectors: [FargateSelector(namespace: "serverless")])] }
        return Scenario(name: "fargate-mix", region: "us-east-1", clusters: [cluster])
    }

    static func compare(withProfile: Bool) -> Comparison {
        Comparer.compare(EstimateInputs(scenario: scenario(withProfile: withProfile), snapshot: snapshot, catalog: Types.catalog,
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
        var inputs = EstimateInputs(scenario: Self.scenario(withProfile: true), snapshot: Snapshots.current, catalog: Types.catalog,
                                    period: .standard, asOf: CalendarDate("2026-11-23")!)
        let withoutPrices = Comparer.compare(inputs)
        let spot = withoutPrices.strategies.first { $0.kind == .spot }
        #expect(spot?.estimate == nil)
        #expect(spot?.note.contains("pass --spot-discount") == true)
        inputs.snapshot = Self.snapshot
        let discounted = Comparer.compare(EstimateInputs(scenario: Self.scenario(withProfile: true), snapshot: Snapshots.current,
                                                         catalog: Types.catalog, period: .standard, asOf: CalendarDate("2026-11-23")!),
                                          options: CompareOptions(spotDiscount: Decimal(string: "0.5")!))
        // 4 nodes × 0.048 × 730 = 140.16, plus EKS 73.
        #expect(Self.total(discounted, .spot) == "213.16")
        #expect(discounted.strategies.first { $0.kind == .spot }?.note.contains("assumed on-demand less 50 %") == true)
    }
}
