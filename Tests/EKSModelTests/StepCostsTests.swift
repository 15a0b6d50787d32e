import Foundation
import Testing

@testable import EKSModel

/// Step costs follow what each line bills, by its kind; the words of a line play no part.
@Suite struct StepCostsTests {
    /// Two hourly steps; group g ran one m5.large in the first hour and two in the second
    /// (3600 and 7200 node-seconds); ENIs held: 3600 then 10800 ENI-seconds.
    static let timeline = ClusterTimeline(
        periodSeconds: 7200, stepStarts: [0, 3600], stepSeconds: [3600, 3600],
        nodeKeys: [NodeKey(group: "g", type: "m5.large")], nodeSecondsByType: [[3600, 7200]], nodesByType: [[1, 2]],
        fargateWorkloadNames: [], fargatePodSecondsByWorkload: [], eniSecondsPerStep: [3600, 10800],
        pendingPodsPerStep: [0, 0],
        workloadNames: [], trajectories: [], templates: [:], peakNodes: 2, peakNodesAt: 3600, peakSubnetUse: [],
        podSeconds: [:], pending: [], fargateSizes: [:])

    static func line(_ kind: CostLine.Kind, group: String = "g", resource: String, usd: String, quantity: Decimal = 1)
        -> CostLine
    {
        CostLine(
            cluster: "c", component: .network, group: group, resource: resource, quantity: quantity, unit: "x",
            price: Snapshots.price("us-east-1", "ec2", "x", Decimal(string: usd)!), hours: 2, hoursPerMonth: 2,
            kind: kind)
    }

    @Test func eachKindIsSpreadByWhatItBills() {
        // m5.large: 1.5 nodes (the average) × 0.096 × 2 h = 0.288, by node-seconds 1:2 → 0.096 and 0.192.
        let instances = Self.line(
            .instances(type: "m5.large"), resource: "NAT gateway", usd: "0.096", quantity: Decimal(string: "1.5")!)
        #expect(
            StepCosts.shares(of: instances, over: Self.timeline) == [
                Decimal(string: "0.096")!, Decimal(string: "0.192")!,
            ])
        // A NAT gateway named like an instance line: 0.045 × 2 h = 0.09, evenly: 0.045 each hour.
        let nat = Self.line(.natGateway, group: "", resource: "m5.large on-demand", usd: "0.045")
        #expect(
            StepCosts.shares(of: nat, over: Self.timeline) == [Decimal(string: "0.045")!, Decimal(string: "0.045")!])
        // ENIs: 0.005 × 2 h × quantity 2 = 0.02, by ENI-seconds 1:3 → 0.005 and 0.015.
        let enis = Self.line(.eni, group: "", resource: "load balancer", usd: "0.005", quantity: 2)
        #expect(
            StepCosts.shares(of: enis, over: Self.timeline) == [Decimal(string: "0.005")!, Decimal(string: "0.015")!])
        // A load balancer in a group named like the node group still goes evenly: 0.0225 × 2 = 0.045.
        let balancer = Self.line(.loadBalancer, resource: "ENI (VPC CNI)", usd: "0.0225")
        #expect(
            StepCosts.shares(of: balancer, over: Self.timeline) == [
                Decimal(string: "0.0225")!, Decimal(string: "0.0225")!,
            ])
        // Node volumes follow the group's node-seconds: 0.03 × 2 = 0.06 → 0.02 and 0.04.
        let volumes = Self.line(.nodeVolumes, resource: "gp3 root volume", usd: "0.03")
        #expect(
            StepCosts.shares(of: volumes, over: Self.timeline) == [Decimal(string: "0.02")!, Decimal(string: "0.04")!])
        // Rounded to cents, the steps add up to the rounded lines: 0.29 + 0.09 + 0.02 + 0.05 + 0.06 = 0.51.
        // Exact: 0.096 + 0.045 + 0.005 + 0.0225 + 0.02 = 0.1885 and 0.192 + 0.045 + 0.015 + 0.0225 + 0.04 =
        // 0.3145; floors 0.18 + 0.31 leave two cents, one to each (remainders 0.85 and 0.45 of a cent).
        let steps = StepCosts.spread(
            [instances, nat, enis, balancer, volumes], over: Self.timeline, controlPlaneLines: [],
            period: BillingPeriod(hoursPerMonth: 2))
        #expect(steps.cents == [Decimal(string: "0.19")!, Decimal(string: "0.32")!])
        #expect(steps.exact == [Decimal(string: "0.1885")!, Decimal(string: "0.3145")!])
    }

    /// A commitment's fee is billed every hour: evenly. The usage it covered comes off where the
    /// bill covered it: 0.096 USD in the first hour, 0.048 in the second (two nodes, half an
    /// instance-hour of cover left over), so the line of −0.144 spreads as −0.096, −0.048.
    @Test func commitmentLinesSpreadAsTheBillCharged() {
        let fee = Self.line(.commitmentFee, group: "savings-plan-1", resource: "m5.large on-demand", usd: "0.05")
        #expect(StepCosts.shares(of: fee, over: Self.timeline) == [Decimal(string: "0.05")!, Decimal(string: "0.05")!])
        let covered = Self.line(
            .commitmentCovered(
                resource: .instance(type: "m5.large", os: .linux),
                perStep: [Decimal(string: "0.096")!, Decimal(string: "0.048")!]),
            group: "covered", resource: "NAT gateway", usd: "0.096", quantity: Decimal(string: "-0.75")!)
        #expect(
            StepCosts.shares(of: covered, over: Self.timeline) == [
                Decimal(string: "-0.096")!, Decimal(string: "-0.048")!,
            ])
    }

    /// Cents as the division by 100 gives them, bytes and all.
    private static func cents(_ values: [Int]) -> [Decimal] { values.map { Decimal($0) / 100 } }

    private static func bytes(_ values: [Decimal]) -> [[UInt8]] {
        values.map { value in withUnsafeBytes(of: value) { Array($0) } }
    }

    // Worked by hand: in cents 100.4, 200.6 and 300.5 truncate to 600; a total of 6.02 leaves 2 cents,
    // which go to the largest fractions (.6, then .5). Fractions that differ only in the 30th decimal
    // (same Double) are still told apart, equal ones go to the earlier step, and when the truncated
    // cents are over the total the smallest fraction gives one back. Each result has the bytes of
    // cents ÷ 100.
    @Test func largestRemainderHandsOutTheMissingCents() {
        func decimal(_ text: String) -> Decimal { Decimal(string: text)! }
        let cases: [(values: [Decimal], total: Decimal, cents: [Int])] = [
            ([decimal("1.004"), decimal("2.006"), decimal("3.005")], decimal("6.02"), [100, 201, 301]),
            ([decimal("0.0150000000000000000000000000001"), decimal("0.015")], decimal("0.03"), [2, 1]),
            ([decimal("0.015"), decimal("0.0150000000000000000000000000001")], decimal("0.03"), [1, 2]),
            ([decimal("0.015"), decimal("0.015")], decimal("0.03"), [2, 1]),
            ([decimal("0.014"), decimal("0.016")], decimal("0.01"), [0, 1]),
        ]
        for (values, total, expected) in cases {
            let result = StepCosts.largestRemainder(values, total: total)
            #expect(result == Self.cents(expected))
            #expect(Self.bytes(result) == Self.bytes(Self.cents(expected)))
        }
    }
}
