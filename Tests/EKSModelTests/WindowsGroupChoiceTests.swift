import Foundation
import Testing

@testable import EKSModel

/// A Windows group that chooses among instance types (Karpenter, Auto Mode, compare's Spot
/// strategies) chooses and is priced by the Windows rate, never the Linux one. Prices are this
/// test's literals: Snapshots.current (Linux m5.large 0.096, t3.medium 0.0416, EKS 0.10, ENI 0),
/// Linux m5.xlarge 0.192, Windows m5.large 0.188 and m5.xlarge 0.376, a Linux Spot m5.large 0.04366;
/// no Windows price for t3.medium and no Windows Spot price. A month is 730 hours; m5.large holds
/// 3 pods of 500m / 1 GiB (1930m allocatable), t3.medium 1 pod of 1000m / 1 GiB (1930m, 3246 MiB).
@Suite struct WindowsGroupChoiceTests {
    static let snapshot = PriceSnapshot(
        id: "win", date: CalendarDate("2026-11-23")!,
        prices: Snapshots.current.prices.values.map { $0 } + [
            Snapshots.price("us-east-1", "ec2", "m5.xlarge", Decimal("0.192")),
            Snapshots.price("us-east-1", "ec2-windows", "m5.large", Decimal("0.188")),
            Snapshots.price("us-east-1", "ec2-windows", "m5.xlarge", Decimal("0.376")),
            Snapshots.price("us-east-1", "ec2", "m5.large", Decimal("0.04366"), term: PriceKey.spot),
        ])

    static func pods(_ replicas: Int, cpu: Int64) -> Workload {
        Workload(
            name: "app", replicas: replicas,
            containers: [
                Container(name: "c", requests: ResourceRequests(cpuMillicores: cpu, memoryBytes: 1 << 30))
            ])
    }

    static func karpenter(os: OperatingSystem) -> NodeGroup {
        var group = NodeGroup(
            name: "flex", instanceType: "t3.medium", instanceTypes: ["t3.medium", "m5.large", "m5.xlarge"],
            minSize: 0, provisioner: .karpenter)
        group.os = os
        return group
    }

    static func plan(_ group: NodeGroup, _ workload: Workload) -> ClusterCapacity {
        CapacityPlanner.plan(
            Cluster(name: "c", nodeGroups: [group], workloads: [workload]), catalog: Types.catalog,
            price: CapacityPlanner.prices(from: snapshot, region: "us-east-1"))
    }

    static func nodes(_ plan: ClusterCapacity, _ type: String) -> Int {
        plan.nodeTypes.filter { $0.type.name == type }.reduce(0) { $0 + $1.nodes }
    }

    @Test func karpenterChoosesAWindowsGroupsTypeByItsWindowsPrice() {
        // One pod of 1000m / 1 GiB fits all three types. By Linux prices t3.medium (0.0416) is the
        // cheapest; at the Windows rate t3.medium has no price, so it cannot be chosen, and m5.large
        // (0.188) is cheaper than m5.xlarge (0.376).
        let linux = Self.plan(Self.karpenter(os: .linux), Self.pods(1, cpu: 1000))
        #expect(Self.nodes(linux, "t3.medium") == 1 && linux.nodeCount == 1)
        let windows = Self.plan(Self.karpenter(os: .windows), Self.pods(1, cpu: 1000))
        #expect(Self.nodes(windows, "m5.large") == 1 && windows.nodeCount == 1)
        #expect(Self.nodes(windows, "t3.medium") == 0)
    }

    @Test func theEstimateOfAWindowsKarpenterGroupNamesTheMissingWindowsPrice() throws {
        // t3.medium is listed, so it needs a Windows price, as the only type of a group would.
        let scenario = Scenario(
            name: "s", region: "us-east-1",
            clusters: [
                Cluster(name: "c", nodeGroups: [Self.karpenter(os: .windows)], workloads: [Self.pods(1, cpu: 1000)])
            ],
            locations: [
                "clusters[0].nodeGroups[0].instanceTypes[0]": SourceLocation(file: "s.yaml", line: 9, column: 27)
            ])
        let (estimate, diagnostics) = Estimator.estimate(
            EstimateInputs(
                scenario: scenario, snapshot: Self.snapshot, catalog: Types.catalog,
                period: .standard, asOf: CalendarDate("2026-11-23")!))
        #expect(estimate == nil)
        #expect(
            diagnostics.errors.map(\.description) == [
                "s.yaml:9:27: error: node group flex lists instance type t3.medium, and every listed type needs a price: no price for ec2-windows t3.medium on-demand in us-east-1 (snapshot win covers us-east-1); run 'ekscost pricing fetch us-east-1'"
            ])
    }

    static func compare(_ os: OperatingSystem, options: CompareOptions = CompareOptions()) -> StrategyResult? {
        var group = NodeGroup(name: "g", instanceType: "m5.large", minSize: 1, maxSize: 10)
        group.os = os
        let scenario = Scenario(
            name: "s", region: "us-east-1",
            clusters: [Cluster(name: "c", nodeGroups: [group], workloads: [pods(6, cpu: 500)])])
        let comparison = Comparer.compare(
            EstimateInputs(
                scenario: scenario, snapshot: snapshot, catalog: Types.catalog, period: .standard,
                asOf: CalendarDate("2026-11-23")!), options: options)
        return comparison.strategies.first { $0.kind == .spot }
    }

    @Test func theSpotStrategyPricesAWindowsGroupAtWindowsSpotPrices() throws {
        // Six pods of 500m / 1 GiB: 2 × m5.large. Linux: the observed Spot price, 2 × 0.04366 × 730
        // = 63.7436, + EKS 0.10 × 730 = 73: 136.74.
        let linux = try #require(Self.compare(.linux))
        #expect(linux.totalUSD == Decimal("136.74") && linux.nodes == 2)
        // Windows: no Windows Spot price, so not priced (never the Linux Spot price), and the note
        // says which.
        let windows = try #require(Self.compare(.windows))
        #expect(windows.totalUSD == nil)
        #expect(
            windows.note.contains(
                "not priced: snapshot win has no Spot price for m5.large (Windows); pass --spot-discount"),
            "\(windows.note)")
        // --spot-discount 0.5 assumes half the Windows on-demand rate: 0.188 × 0.5 = 0.094;
        // 2 × 0.094 × 730 = 137.24, + 73 = 210.24 (the Linux on-demand rate would give 2 × 0.048 × 730 + 73 = 143.08).
        let assumed = try #require(Self.compare(.windows, options: CompareOptions(spotDiscount: Decimal("0.5"))))
        #expect(assumed.totalUSD == Decimal("210.24") && assumed.nodes == 2, "\(assumed.note)")
        #expect(assumed.note.contains("assumed on-demand less 50 % for m5.large (Windows)"), "\(assumed.note)")
    }

    @Test func theCheapestFamilyKeepsAWindowsSpotGroupAtWindowsSpotPrices() throws {
        // A Windows spot group of six 500m / 1 GiB pods, --spot-discount 0.5. m5: Windows Spot
        // assumed at 0.188 × 0.5 = 0.094 (m5.large) and 0.376 × 0.5 = 0.188 (m5.xlarge); Karpenter
        // packs the six pods (3000m) into one claim that m5.xlarge (3920m) holds: 0.188 × 730 =
        // 137.24, + EKS 73 = 210.24. t3 has no Windows price at all, so no Spot size to assume.
        var group = NodeGroup(name: "g", instanceType: "m5.large", capacityType: .spot, minSize: 1, maxSize: 10)
        group.os = .windows
        let scenario = Scenario(
            name: "s", region: "us-east-1",
            clusters: [Cluster(name: "c", nodeGroups: [group], workloads: [Self.pods(6, cpu: 500)])])
        let comparison = Comparer.compare(
            EstimateInputs(
                scenario: scenario, snapshot: Self.snapshot, catalog: Types.catalog, period: .standard,
                asOf: CalendarDate("2026-11-23")!), options: CompareOptions(spotDiscount: Decimal("0.5")))
        let family = try #require(comparison.strategies.first { $0.kind == .cheapestFamily })
        #expect(
            family.title == "Cheapest instance family: m5" && family.totalUSD == Decimal("210.24"), "\(family.note)")
        #expect(
            family.note.contains("Spot assumed on-demand less 50 % for m5.large (Windows), m5.xlarge (Windows)"),
            "\(family.note)")
        #expect(
            family.note.contains(
                "families without Spot prices for the spot groups (pass --spot-discount to assume them): t3"),
            "\(family.note)")
    }
}
