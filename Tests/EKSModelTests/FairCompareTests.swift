import Autoscaling
import Foundation
import Testing

@testable import EKSModel

/// `compare` compares like with like: the same pods placed by the same rules under every strategy.
/// Prices are CompareTests.snapshot's (PRICING-FACTS us-east-1: m5.large 0.096, spot 0.04366,
/// t3.medium 0.0416, EKS 0.10, Fargate 0.04048 per vCPU-hour and 0.004445 per GB-hour, ENI 0) over
/// 730 hours; m5.large holds 3 pods of 500m / 1 GiB (1930m, 6903 MiB), t3.medium 3 (1930m, 3246 MiB).
@Suite struct FairCompareTests {
    static func web(_ replicas: Int, namespace: String = "default") -> Workload {
        Workload(
            name: "web", namespace: namespace, replicas: replicas,
            containers: [
                Container(name: "c", requests: ResourceRequests(cpuMillicores: 500, memoryBytes: 1 << 30))
            ])
    }

    static func compare(
        _ clusters: [Cluster], options: CompareOptions = CompareOptions(),
        snapshot: PriceSnapshot = CompareTests.snapshot
    ) -> Comparison {
        Comparer.compare(
            EstimateInputs(
                scenario: Scenario(name: "s", region: "us-east-1", clusters: clusters), snapshot: snapshot,
                catalog: Types.catalog, period: .standard, asOf: CalendarDate("2026-11-23")!),
            options: options)
    }

    static func strategy(_ comparison: Comparison, _ kind: StrategyResult.Kind) -> StrategyResult? {
        comparison.strategies.first { $0.kind == kind }
    }

    @Test func theFargateStrategyLeavesAutoscaledGroupsAtTheirMinimum() throws {
        // desiredSize 5 of an autoscaled group is only where it starts. As written the 6 web pods need 2
        // m5.large (3 each): 73 + 2 × 70.08 = 213.16. With every pod on Fargate the Cluster Autoscaler
        // takes the group down to minSize 1 (it priced 5 nodes before, 350.40 of EC2): 6 pods of 0.5 vCPU /
        // 2 GB (500m; 1024 + 256 MiB): 3 vCPU × 0.04048 × 730 = 88.65, 12 GB × 0.004445 × 730 = 38.94,
        // one node 70.08, EKS 73: 270.67.
        let group = NodeGroup(name: "general", instanceType: "m5.large", desiredSize: 5, minSize: 1, maxSize: 10)
        let comparison = Self.compare([Cluster(name: "prod", nodeGroups: [group], workloads: [Self.web(6)])])
        let asWritten = try #require(Self.strategy(comparison, .asWritten))
        #expect(asWritten.totalUSD == Decimal("213.16") && asWritten.nodes == 2)
        let fargate = try #require(Self.strategy(comparison, .fargate))
        #expect(fargate.totalUSD == Decimal("270.67"))
        #expect(fargate.nodes == 1 && fargate.fargatePods == 6)
        #expect(fargate.note.contains("moved to Fargate: default/web"))
        #expect(fargate.note.contains("autoscaled node groups follow the pods left on them, down to their minSize"))
    }

    @Test func theCheapestFamilyKeepsSpotGroupsOnSpot() throws {
        // A spot group of 6 pods: 2 × m5.large at the observed Spot price: 2 × 0.04366 × 730 = 63.74,
        // plus EKS 73 = 136.74. t3 has no Spot price here, so it is not tried for a spot group (it was
        // priced on-demand before, 2 × 0.0416 × 730 + 73 = 133.74, and won without a word).
        let group = NodeGroup(name: "general", instanceType: "m5.large", capacityType: .spot, minSize: 1, maxSize: 20)
        let cluster = Cluster(name: "prod", nodeGroups: [group], workloads: [Self.web(6)])
        let family = try #require(Self.strategy(Self.compare([cluster]), .cheapestFamily))
        #expect(family.title == "Cheapest instance family: m5")
        #expect(family.totalUSD == Decimal("136.74"))
        #expect(
            family.note.contains(
                "families without Spot prices for the spot groups (pass --spot-discount to assume them): t3"))
        // With --spot-discount 0.5 t3.medium's Spot is assumed at 0.0208: 2 × 0.0208 × 730 = 30.37, + 73 = 103.37.
        let discounted = try #require(
            Self.strategy(
                Self.compare([cluster], options: CompareOptions(spotDiscount: Decimal("0.5"))),
                .cheapestFamily))
        #expect(discounted.title == "Cheapest instance family: t3" && discounted.totalUSD == Decimal("103.37"))
        #expect(discounted.note.contains("Spot assumed on-demand less 50 % for t3.medium"))
        #expect(!discounted.note.contains("on on-demand instead of Spot"))
    }

    @Test func eachStrategySaysWhatItChanged() throws {
        let comparison = CompareTests.compare(withProfile: true)
        #expect(
            Self.strategy(comparison, .onDemand)?.note
                == "no Fargate: serverless/thumbnailer, serverless/events moved from Fargate profiles to the node groups"
        )
        let spot = try #require(Self.strategy(comparison, .spot)?.note)
        #expect(
            spot.contains("on Spot instead of on-demand: general")
                && spot.contains("Spot prices observed in snapshot t"))
        let family = try #require(Self.strategy(comparison, .cheapestFamily)?.note)
        #expect(
            family.contains(
                "each node the cheapest size that fits its pods, as a Karpenter NodePool on that family launches them"))
        let plain = Self.compare([
            Cluster(
                name: "prod", nodeGroups: [NodeGroup(name: "g", instanceType: "m5.large", minSize: 1)],
                workloads: [Self.web(3)])
        ])
        #expect(
            Self.strategy(plain, .onDemand)?.note == "the same as written: no Fargate profiles or spot groups to change"
        )
    }

    @Test func sharesTellFitsNowhereFromCostsNothing() throws {
        // "huge" (4000m) fits no m5.large; "idle" requests nothing, so it costs nothing on the one node.
        let huge = Workload(
            name: "huge", replicas: 2,
            containers: [Container(name: "c", requests: ResourceRequests(cpuMillicores: 4000))])
        let idle = Workload(name: "idle", replicas: 1, containers: [Container(name: "c")])
        let group = NodeGroup(name: "g", instanceType: "m5.large", desiredSize: 1)
        let asWritten = try #require(
            Self.strategy(
                Self.compare([Cluster(name: "prod", nodeGroups: [group], workloads: [huge, idle])]), .asWritten))
        let shares = Dictionary(
            uniqueKeysWithValues: asWritten.shares.filter { $0.kind == .workload }.map { ($0.name, $0) })
        #expect(shares["default/huge"]?.usd == 0 && shares["default/huge"]?.unplacedPods == 2)
        #expect(shares["default/idle"]?.usd == 0 && shares["default/idle"]?.unplacedPods == 0)
    }

    @Test func computeOfGroupsWithSeveralTypesIsNeverOverhead() throws {
        // Static: a managed group and a Karpenter group with several types; overhead is the control
        // plane alone, 0.10 × 730 = 73.00 (ENIs cost 0 here, no volumes).
        let snapshot = PriceSnapshot(
            id: "t", date: CalendarDate("2026-11-23")!,
            prices: Array(CompareTests.snapshot.prices.values)
                + [Snapshots.price("us-east-1", "ec2", "m5.xlarge", Decimal("0.192"))])
        let managed = NodeGroup(
            name: "managed", instanceType: "m5.large", instanceTypes: ["m5.large", "m5.xlarge"], minSize: 0)
        let karpenter = NodeGroup(
            name: "flex", instanceType: "m5.large", instanceTypes: ["m5.large", "m5.xlarge"], minSize: 0,
            labels: ["pool": "flex"], provisioner: .karpenter)
        var pinned = Self.web(4)
        pinned.name = "batch"
        pinned.nodeSelector = ["pool": "flex"]
        let comparison = Self.compare(
            [Cluster(name: "prod", nodeGroups: [managed, karpenter], workloads: [Self.web(6), pinned])],
            snapshot: snapshot)
        for strategy in comparison.strategies where strategy.estimate != nil && strategy.kind != .fargate {
            #expect(strategy.shares.first { $0.kind == .overhead }?.usd == Decimal("73.00"), "\(strategy.kind)")
            #expect(strategy.shares.reduce(0) { $0 + $1.usd } == strategy.totalUSD!)
        }
        // Simulated: a Karpenter group whose peak launches an m5.xlarge that the static plan (1 replica:
        // an m5.large) never has. Overhead is the control plane for two hours, 0.20; before, the
        // m5.xlarge line fell into it.
        var web = Self.web(1)
        web.containers[0].requests.cpuMillicores = 1000
        web.hpa = HorizontalPodAutoscalerSpec(
            minReplicas: 1, maxReplicas: 6, metrics: [.resource(.cpu, .utilization(percent: 50))])
        web.load = WorkloadLoad(cpu: CurveReference(curve: "load", column: "cpu"))
        var scenario = Scenario(
            name: "s", region: "us-east-1", clusters: [Cluster(name: "prod", nodeGroups: [karpenter], workloads: [web])]
        )
        scenario.clusters[0].nodeGroups[0].labels = [:]
        scenario.curves = SimulationTests.curve([6000, 1000])
        let (estimate, diagnostics) = Estimator.estimate(
            EstimateInputs(
                scenario: scenario, snapshot: snapshot, catalog: Types.catalog,
                period: SimulationTests.twoHours, asOf: CalendarDate("2026-11-23")!))
        let value = try #require(estimate, "\(diagnostics)")
        #expect(value.lines.contains { $0.resource.hasPrefix("m5.xlarge ") })
        let shares = CostSharing.shares(of: value, scenario: scenario)
        #expect(shares.first { $0.kind == .overhead }?.usd == Decimal("0.20"))
        #expect(shares.first { $0.name == "default/web" }.map { $0.usd > 0 } == true)
        #expect(shares.reduce(0) { $0 + $1.usd } == value.totalUSD)
    }
}
