import Foundation
import Testing

@testable import EKSModel
@testable import EKSReport

/// 40 pods of 500m / 1Gi on m5.large: 14 nodes (3 pods each by CPU), 981.12 USD at 730 h;
/// 20000m of 27020m allocatable (74.0 %), 40960 of 96642 MiB (42.4 %), 28 ENIs, 280 addresses.
enum FortyPods {
    static let m5large = InstanceType(
        name: "m5.large", vcpu: 2, memoryMiB: 8192, architecture: "x86_64",
        hypervisor: "nitro", enis: 3, ipv4PerENI: 10)

    static func price(_ service: String, _ item: String, _ usd: String) -> Price {
        Price(
            key: PriceKey(region: "us-east-1", service: service, item: item), unit: .hour, usd: Decimal(string: usd)!,
            source: "test prices", sourceDate: "2026-09")
    }

    static var estimate: Estimate {
        let web = Workload(
            name: "web", replicas: 40,
            containers: [
                Container(name: "app", requests: ResourceRequests(cpuMillicores: 500, memoryBytes: 1_073_741_824))
            ])
        let tooBig = Workload(
            name: "huge", replicas: 1,
            containers: [Container(name: "c", requests: ResourceRequests(cpuMillicores: 4000))])
        let scenario = Scenario(
            name: "forty-pods", region: "us-east-1",
            clusters: [
                Cluster(
                    name: "prod",
                    nodeGroups: [NodeGroup(name: "general", instanceType: "m5.large", minSize: 1, maxSize: 30)],
                    networking: Networking(subnets: SubnetSpec(prefixLength: 24, count: 3)), workloads: [web, tooBig])
            ])
        let snapshot = PriceSnapshot(
            id: "test", date: CalendarDate("2026-11-23")!,
            prices: [
                price("eks", "cluster", "0.10"), price("ec2", "m5.large", "0.096"), price("vpc", "eni", "0"),
            ])
        return Estimator.estimate(
            EstimateInputs(
                scenario: scenario, snapshot: snapshot,
                catalog: InstanceCatalog([m5large], source: "test"),
                period: .standard, asOf: CalendarDate("2026-11-23")!)
        ).estimate!
    }
}

@Suite struct CapacityReportTests {
    @Test func capacityCSVMatchesItsGoldenFile() {
        GoldenFile.check(CapacityCSVFormatter().format(FortyPods.estimate), against: "forty-pods.capacity.csv")
    }

    @Test func markdownWithCapacityMatchesItsGoldenFile() {
        GoldenFile.check(MarkdownEstimateFormatter().format(FortyPods.estimate), against: "forty-pods.estimate.md")
    }

    /// capacity.csv's replica columns: at the end of each step, the count of a workload's last change
    /// at or before the step's last second, none before its first change (worked out here by
    /// searching each trajectory afresh), on random trajectories and steps, some of no seconds
    /// (whose rows hold none and do not move the walk).
    @Test func replicaColumnsHoldTheCountInForceAtEachStepsEnd() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let trajectories = (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                var time = Int.random(in: 0...30, using: &generator)
                var changes: [(time: Int, replicas: Int)] = []
                for _ in 0..<Int.random(in: 0...12, using: &generator) {
                    changes.append((time, Int.random(in: 0...25, using: &generator)))
                    time += Int.random(in: 1...20, using: &generator)
                }
                return ReplicaTrajectory(changes: changes)
            }
            var walk = ReplicaWalk(trajectories)
            var start = 0
            for _ in 0..<30 {
                let seconds = [0, 1, 5, 10, 15].randomElement(using: &generator)!
                defer { start += seconds }
                guard seconds > 0 else { continue }
                let last = start + seconds - 1
                walk.advance(through: last)
                let expected = trajectories.map { trajectory in
                    trajectory.changes.last { $0.time <= last }?.replicas ?? 0
                }
                #expect(walk.replicas == expected)
                #expect(walk.total == expected.reduce(0, +))
            }
        }
    }
}
