import Foundation
import Testing

@testable import EKSModel

/// Usage hour by hour from a simulated timeline, and the located error of a missing rate.
@Suite struct CommitmentUsageTests {
    /// Two half-hour steps then a two-hour step: on-demand m5.large node-seconds go to their clock
    /// hour (the long step half in each), spot nodes nowhere, Fargate pod-seconds × size.
    @Test func timelineStepsBecomeClockHours() {
        // Steps (start, seconds): (0, 1800), (1800, 1800), (3600, 7200); node-seconds of the
        // on-demand group: 1800, 3600, 14400; of the spot group: 1800, 0, 7200; web's pod-seconds
        // 3600, 0, 7200.
        let timeline = ClusterTimeline(
            periodSeconds: 10800, stepStarts: [0, 1800, 3600], stepSeconds: [1800, 1800, 7200],
            nodeKeys: [NodeKey(group: "od", type: "m5.large"), NodeKey(group: "sp", type: "m5.large")],
            nodeSecondsByType: [[1800, 3600, 14400], [1800, 0, 7200]], nodesByType: [[1, 2, 2], [1, 0, 1]],
            fargateWorkloadNames: ["web"], fargatePodSecondsByWorkload: [[3600, 0, 7200]],
            eniSecondsPerStep: [0, 0, 0],
            pendingPodsPerStep: [0, 0, 0], workloadNames: [], trajectories: [], templates: [:], peakNodes: 3,
            peakNodesAt: 0,
            peakSubnetUse: [], podSeconds: [:], pending: [],
            fargateSizes: ["web": FargateSize(vcpu: Decimal(string: "0.5")!, memoryGB: 1)])
        let cluster = Cluster(
            name: "c",
            nodeGroups: [
                NodeGroup(name: "od", instanceType: "m5.large"),
                NodeGroup(name: "sp", instanceType: "m5.large", capacityType: .spot),
            ])
        let usage = HourlyUsage.from(timeline, cluster: cluster, region: "us-east-1")
        let m5 = UsageKey.instance("m5.large", region: "us-east-1")
        func quantity(_ hour: Int, _ key: UsageKey) -> Decimal {
            usage.quantities[hour][usage.keys.firstIndex(of: key)!]
        }
        // Hour 0: (1800 + 3600) / 3600 = 1.5 node-hours; hours 1 and 2: 14400 / 2 / 3600 = 2 each.
        #expect(usage.hourCount == 3)
        #expect(quantity(0, m5) == Decimal(string: "1.5")! && quantity(1, m5) == 2 && quantity(2, m5) == 2)
        // Fargate: 3600 pod-seconds × 0.5 vCPU = 0.5 vCPU-hours in hour 0; 7200 / 2 → 0.5 in hours 1, 2.
        let vcpu = UsageKey(region: "us-east-1", resource: .fargateVCPU)
        #expect(quantity(0, vcpu) == Decimal(string: "0.5")! && quantity(2, vcpu) == Decimal(string: "0.5")!)
        #expect(usage.keys.count == 3)  // m5.large, Fargate vCPU and memory: no spot key
    }

    @Test func aMissingRateIsALocatedErrorNamingTheFetch() throws {
        var scenario = Scenario(
            name: "s", region: "eu-west-1", clusters: [],
            locations: ["commitments.savingsPlans[0]": SourceLocation(file: "s.yaml", line: 12, column: 9)])
        scenario.commitments.savingsPlans = [
            SavingsPlan(
                offer: SavingsPlanOffer(kind: .ec2Instance, length: .oneYear, payment: .noUpfront),
                hourlyCommitmentUSD: 1, family: "m5", region: "eu-west-1")
        ]
        let snapshot = PriceSnapshot(id: "plain", date: CalendarDate("2026-11-01")!, prices: [])
        let (_, missing) = CommitmentRates.from(
            snapshot, keys: [.instance("m5.large", region: "eu-west-1"), .instance("c5.large", region: "eu-west-1")],
            portfolio: scenario.commitments)
        // Only the family the plan covers needs a rate.
        #expect(missing.count == 1)
        let diagnostic = try #require(missing.first).diagnostic(in: scenario, snapshot: snapshot)
        #expect(
            diagnostic.description
                == "s.yaml:12:9: error: no Savings Plans rate for ec2 m5.large savings-plan-ec2-instance-1yr-no-upfront in eu-west-1 (EC2 Instance Savings Plan 1yr no-upfront covers m5.large in eu-west-1) in snapshot plain; run 'ekscost pricing fetch eu-west-1', which fetches AWS's Savings Plans and Reserved prices for the region, or import its price lists with 'ekscost pricing import'"
        )
    }
}
