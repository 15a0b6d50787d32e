import Foundation
import Testing

@testable import EKSModel

@Suite struct EstimatorTests {
    private func workshop(version: String? = "1.14", group: NodeGroup? = nil) -> Scenario {
        Scenario(
            name: "eks-workshop-2019", region: "us-east-1",
            clusters: [
                Cluster(
                    name: "workshop", kubernetesVersion: version,
                    nodeGroups: [group ?? NodeGroup(name: "ng-1", instanceType: "m5.large", desiredSize: 3)])
            ],
            locations: ["clusters[0].nodeGroups[0].instanceType": SourceLocation(file: "s.yaml", line: 12, column: 23)])
    }

    private func run(_ scenario: Scenario, _ snapshot: PriceSnapshot, hours: Decimal, asOf: String) -> (
        Estimate?, [Diagnostic]
    ) {
        Estimator.estimate(
            EstimateInputs(
                scenario: scenario, snapshot: snapshot, catalog: Types.catalog,
                period: BillingPeriod(hoursPerMonth: hours), asOf: CalendarDate(asOf)!))
    }

    private func usd(_ estimate: Estimate?, _ resource: String) -> String? {
        estimate?.lines.first { $0.resource.hasPrefix(resource) }.map { DecimalText.usd($0.monthlyUSD) }
    }

    @Test func pricesTheSeedExampleAt720Hours() throws {
        let (estimate, diagnostics) = run(workshop(), Snapshots.seed, hours: 720, asOf: "2019-12-15")
        #expect(diagnostics.isEmpty)
        // 0.096 × 720 × 3 = 207.36; 0.20 × 720 = 144.00; 3 idle nodes × 1 ENI × 720 × 0.015 = 32.40.
        #expect(usd(estimate, "m5.large") == "207.36")
        #expect(usd(estimate, "EKS cluster") == "144.00")
        #expect(usd(estimate, "ENI") == "32.40")
        #expect(estimate?.lines.first { $0.resource.hasPrefix("m5.large") }?.unitHours == 2160)
        #expect(estimate.map { DecimalText.usd($0.totalUSD) } == "383.76")
    }

    @Test func pricesTheSameClusterTodayAt730Hours() {
        let (estimate, diagnostics) = run(workshop(version: nil), Snapshots.current, hours: 730, asOf: "2026-11-23")
        #expect(!diagnostics.hasErrors)
        #expect(usd(estimate, "m5.large") == "210.24")  // 0.096 × 730 × 3
        #expect(usd(estimate, "EKS cluster") == "73.00")  // 0.10 × 730
        #expect(usd(estimate, "ENI") == "0.00")
    }

    @Test func addsRootVolumesAndPublicAddresses() {
        let group = NodeGroup(
            name: "ng-1", instanceType: "m5.large", desiredSize: 3,
            rootVolume: RootVolume(type: "gp3", sizeGiB: 20), publicIPv4: true)
        let (estimate, _) = run(workshop(version: nil, group: group), Snapshots.current, hours: 730, asOf: "2026-11-23")
        #expect(usd(estimate, "gp3 root volume") == "4.80")  // 3 × 20 GiB × 0.08 per GB-month
        #expect(usd(estimate, "public IPv4") == "10.95")  // 3 × 0.005 × 730
        #expect(estimate.map { DecimalText.usd($0.totalUSD) } == "298.99")  // 73 + 210.24 + 4.80 + 0 + 10.95
    }

    @Test func proratesMonthlyPricesOverACalendarMonth() {
        let group = NodeGroup(
            name: "ng-1", instanceType: "m5.large", desiredSize: 1,
            rootVolume: RootVolume(type: "gp3", sizeGiB: 100))
        let scenario = workshop(version: nil, group: group)
        let (estimate, _) = Estimator.estimate(
            EstimateInputs(
                scenario: scenario, snapshot: Snapshots.current, catalog: Types.catalog,
                period: BillingPeriod(month: CalendarMonth("2026-02")!), asOf: CalendarDate("2026-02-01")!))
        // February 2026: 28 × 24 = 672 hours; a whole month of 100 GiB is 8.00 whatever its length.
        #expect(usd(estimate, "gp3 root volume") == "8.00")
        #expect(usd(estimate, "m5.large") == "64.51")  // 0.096 × 672 = 64.512
    }

    @Test func billsExtendedSupportAsASurcharge() {
        let (estimate, _) = run(workshop(version: "1.31"), Snapshots.current, hours: 730, asOf: "2026-11-23")
        #expect(usd(estimate, "EKS cluster") == "73.00")
        #expect(usd(estimate, "EKS extended support surcharge") == "365.00")  // 0.50 × 730
    }

    @Test func aMissingPriceIsALocatedErrorNamingTheKey() {
        let group = NodeGroup(name: "ng-1", instanceType: "m5.large", capacityType: .spot, desiredSize: 3)
        let (estimate, diagnostics) = run(
            workshop(version: nil, group: group), Snapshots.current, hours: 730, asOf: "2026-11-23")
        #expect(estimate == nil)
        #expect(
            diagnostics.errors.map(\.description)
                == [
                    "s.yaml:12:23: error: no price for ec2 m5.large spot in us-east-1 (snapshot aws-2026-11 covers us-east-1); run 'ekscost pricing fetch us-east-1', which also records the Spot prices of AWS's Spot pricing page (the Price List has none), or put observed Spot prices in a snapshot (Pricing/README.md), or compare Spot with 'ekscost compare --spot-discount'"
                ])
    }

    @Test func reportsEveryMissingPriceAtOnce() {
        var scenario = workshop(version: "1.31")
        scenario.region = "eu-west-1"
        let (_, diagnostics) = run(scenario, Snapshots.current, hours: 730, asOf: "2026-11-23")
        // cluster fee, extended surcharge, instance, ENI
        #expect(diagnostics.errors.count == 4)
        #expect(
            diagnostics.errors.allSatisfy {
                $0.message.contains(
                    "in eu-west-1 (snapshot aws-2026-11 covers us-east-1); run 'ekscost pricing fetch eu-west-1'")
            })
    }

    @Test func linesSumToTheTotalExactly() {
        let group = NodeGroup(
            name: "ng-1", instanceType: "t3.medium", desiredSize: 7,
            rootVolume: RootVolume(type: "gp3", sizeGiB: 33), publicIPv4: true)
        let (estimate, _) = run(
            workshop(version: nil, group: group), Snapshots.current, hours: Decimal("730.5"), asOf: "2026-11-23")
        let estimateValue = try! #require(estimate)
        let sum = estimateValue.lines.map(\.monthlyUSD).reduce(0, +)
        #expect(sum == estimateValue.totalUSD)
        // 7 × 0.0416 × 730.5 = 212.7216 → 212.72
        #expect(usd(estimate, "t3.medium") == "212.72")
    }
}

@Suite struct CapacityEstimateTests {
    static func scenario(groups: [NodeGroup], workloads: [Workload], networking: Networking = Networking()) -> Scenario
    {
        Scenario(
            name: "cap", region: "us-east-1",
            clusters: [
                Cluster(name: "prod", nodeGroups: groups, networking: networking, workloads: workloads)
            ],
            locations: [
                "clusters[0].networking.subnets": SourceLocation(file: "cap.yaml", line: 9, column: 18),
                "clusters[0].nodeGroups[0].instanceTypes": SourceLocation(file: "cap.yaml", line: 12, column: 26),
            ])
    }

    static func run(_ scenario: Scenario) -> (Estimate?, [Diagnostic]) {
        Estimator.estimate(
            EstimateInputs(
                scenario: scenario, snapshot: Snapshots.current, catalog: Types.catalog,
                period: .standard, asOf: CalendarDate("2026-11-23")!))
    }

    static let web = Workload(
        name: "web", replicas: 40,
        containers: [
            Container(name: "app", requests: ResourceRequests(cpuMillicores: 500, memoryBytes: 1_073_741_824))
        ])

    @Test func pricesTheNodesPlacementNeeds() throws {
        let group = NodeGroup(name: "general", instanceType: "m5.large", minSize: 1, maxSize: 30)
        let (estimate, diagnostics) = Self.run(Self.scenario(groups: [group], workloads: [Self.web]))
        #expect(!diagnostics.hasErrors)
        let line = try #require(estimate?.lines.first { $0.component == .compute })
        // 14 nodes × 0.096 × 730 = 981.12
        #expect(line.quantity == 14)
        #expect(DecimalText.usd(line.monthlyUSD) == "981.12")
        #expect(estimate?.isComplete == true)
        // 14 nodes each holding 2 ENIs.
        #expect(estimate?.lines.first { $0.resource == "ENI (VPC CNI)" }?.quantity == 28)
    }

    @Test func runningOutOfSubnetAddressesIsAnErrorWithTheNumbers() {
        let group = NodeGroup(name: "general", instanceType: "m5.large", minSize: 1, maxSize: 30)
        // 14 nodes × 20 addresses = 280 > one /24's 251.
        let (estimate, diagnostics) = Self.run(
            Self.scenario(
                groups: [group], workloads: [Self.web],
                networking: Networking(subnets: SubnetSpec(prefixLength: 24))))
        #expect(estimate == nil)
        #expect(
            diagnostics.errors.map(\.description) == [
                "cap.yaml:9:18: error: node group general of cluster prod need 280 subnet addresses (pods, ENI primary addresses and the VPC CNI warm pool) but the subnets (/24) have 251 usable"
            ])
    }

    @Test func podsThatFitNowhereMakeTheEstimateIncomplete() {
        let group = NodeGroup(name: "general", instanceType: "m5.large", minSize: 1, maxSize: 30)
        let huge = Workload(
            name: "huge", replicas: 1,
            containers: [Container(name: "c", requests: ResourceRequests(cpuMillicores: 8000))])
        let (estimate, diagnostics) = Self.run(Self.scenario(groups: [group], workloads: [huge]))
        #expect(estimate?.isComplete == false)
        #expect(diagnostics.warnings.count == 1)
        // The group still runs its minSize node.
        #expect(estimate?.lines.first { $0.component == .compute }?.quantity == 1)
    }

    @Test func everyListedTypeNeedsAPrice() {
        // Snapshots.current prices m5.large only. Whichever rule picks the type, a listed type without a
        // price is an error for the group, as it would be for a one-type group.
        let group = NodeGroup(
            name: "flex", instanceType: "m5.large", instanceTypes: ["m5.large", "m5.xlarge"], minSize: 0)
        let (estimate, diagnostics) = Self.run(Self.scenario(groups: [group], workloads: [Self.web]))
        #expect(estimate == nil)
        #expect(
            diagnostics.errors.map(\.description)
                == [
                    "cap.yaml:12:26: error: node group flex lists instance type m5.xlarge, and every listed type needs a price: no price for ec2 m5.xlarge on-demand in us-east-1 (snapshot aws-2026-11 covers us-east-1); run 'ekscost pricing fetch us-east-1'"
                ])
        var karpenter = group
        karpenter.provisioner = .karpenter
        #expect(Self.run(Self.scenario(groups: [karpenter], workloads: [Self.web])).0 == nil)
        // Requirements range over the catalog: only the priced types are candidates; none priced is the error.
        let ranged = NodeGroup(
            name: "ranged", instanceType: "", instanceRequirements: InstanceRequirements(minVCPU: 8, maxVCPU: 8),
            minSize: 0)
        let (_, rangedDiagnostics) = Self.run(Self.scenario(groups: [ranged], workloads: [Self.web]))
        #expect(
            rangedDiagnostics.errors.first?.message.hasPrefix(
                "node group ranged: none of its instance types (g4dn.2xlarge, m5.2xlarge) has a price (on-demand)")
                == true)
        #expect(rangedDiagnostics.errors.first?.message.hasSuffix("; run 'ekscost pricing fetch us-east-1'") == true)
    }
}

@Suite struct ReservedEstimateTests {
    /// m5.large in us-east-1: on demand 0.096; 1yr standard partial upfront 0.0285/hour + 250;
    /// 3yr convertible all upfront 0/hour + 1390; 1yr standard no upfront 0.06/hour.
    static let snapshot: PriceSnapshot = {
        var prices = Array(Snapshots.current.prices.values)
        prices += [
            Snapshots.price(
                "us-east-1", "ec2", "m5.large", Decimal("0.0285"), term: "reserved-1yr-standard-partial-upfront"),
            Snapshots.price(
                "us-east-1", "ec2", "m5.large", 250, .upfront, term: "reserved-1yr-standard-partial-upfront"),
            Snapshots.price("us-east-1", "ec2", "m5.large", 0, term: "reserved-3yr-convertible-all-upfront"),
            Snapshots.price(
                "us-east-1", "ec2", "m5.large", 1390, .upfront, term: "reserved-3yr-convertible-all-upfront"),
            Snapshots.price("us-east-1", "ec2", "m5.large", Decimal("0.06"), term: "reserved-1yr-standard-no-upfront"),
        ]
        return PriceSnapshot(id: "reserved", date: CalendarDate("2026-11-23")!, prices: prices)
    }()

    private func estimate(_ term: ReservedTerm?, period: BillingPeriod = BillingPeriod(hoursPerMonth: 730)) -> (
        Estimate?, [Diagnostic]
    ) {
        let group = NodeGroup(name: "ng-1", instanceType: "m5.large", desiredSize: 3, reserved: term)
        let scenario = Scenario(
            name: "r", region: "us-east-1", clusters: [Cluster(name: "c", nodeGroups: [group])],
            locations: ["clusters[0].nodeGroups[0].reserved": SourceLocation(file: "r.yaml", line: 14, column: 21)])
        return Estimator.estimate(
            EstimateInputs(
                scenario: scenario, snapshot: Self.snapshot, catalog: Types.catalog,
                period: period, asOf: CalendarDate("2026-11-23")!))
    }

    private func usd(_ estimate: Estimate?, _ resource: String) -> String? {
        estimate?.lines.first { $0.resource == resource }.map { DecimalText.usd($0.monthlyUSD) }
    }

    @Test func pricesInstanceHoursAtTheReservedRateAndSpreadsTheFee() throws {
        let term = ReservedTerm(length: .oneYear, offeringClass: .standard, payment: .partialUpfront)
        let (estimate, diagnostics) = estimate(term)
        #expect(diagnostics.isEmpty)
        // 3 × 0.0285 × 730 = 62.415 → 62.42; 3 × 250 ÷ 12 = 62.50; EKS 0.10 × 730 = 73.00; ENI 0.
        #expect(usd(estimate, "m5.large reserved 1yr standard partial-upfront") == "62.42")
        #expect(usd(estimate, "m5.large reserved 1yr standard partial-upfront upfront fee") == "62.50")
        #expect(estimate.map { DecimalText.usd($0.totalUSD) } == "197.92")
        let fee = try #require(estimate?.lines.first { $0.price.unit == .upfront })
        #expect(fee.basis == "upfront fee spread over 12 months" && fee.component == .compute)
    }

    @Test func spreadsAThreeYearFeeOver36MonthsWhateverTheMonthsHours() {
        let term = ReservedTerm(length: .threeYears, offeringClass: .convertible, payment: .allUpfront)
        // 3 × 1390 ÷ 36 = 115.8333… → 115.83, in a 730-hour month and in February (672 hours).
        for period in [BillingPeriod(hoursPerMonth: 730), BillingPeriod(month: CalendarMonth("2026-02")!)] {
            let (estimate, _) = estimate(term, period: period)
            #expect(usd(estimate, "m5.large reserved 3yr convertible all-upfront") == "0.00")
            #expect(usd(estimate, "m5.large reserved 3yr convertible all-upfront upfront fee") == "115.83")
        }
    }

    @Test func anAutoscaledGroupOnAReservedTermSaysSo() throws {
        let group = NodeGroup(
            name: "ng-1", instanceType: "m5.large", minSize: 2, maxSize: 5,
            reserved: ReservedTerm(length: .oneYear, offeringClass: .standard, payment: .noUpfront))
        let scenario = Scenario(name: "r", region: "us-east-1", clusters: [Cluster(name: "c", nodeGroups: [group])])
        let (estimate, _) = Estimator.estimate(
            EstimateInputs(
                scenario: scenario, snapshot: Self.snapshot, catalog: Types.catalog,
                period: BillingPeriod(hoursPerMonth: 730), asOf: CalendarDate("2026-11-23")!))
        // Its 2 minimum nodes: 2 × 0.06 × 730 = 87.60.
        #expect(usd(estimate, "m5.large reserved 1yr standard no-upfront") == "87.60")
        #expect(
            try #require(estimate).notes.contains {
                $0.contains("c/ng-1: every node the autoscaled group runs is priced on the Reserved term")
            })
    }

    @Test func noUpfrontHasNoFeeLine() {
        let (estimate, _) = estimate(ReservedTerm(length: .oneYear, offeringClass: .standard, payment: .noUpfront))
        #expect(usd(estimate, "m5.large reserved 1yr standard no-upfront") == "131.40")  // 3 × 0.06 × 730
        #expect(estimate?.lines.contains { $0.price.unit == .upfront } == false)
    }

    @Test func aMissingReservedPriceOrFeeIsALocatedError() {
        let (estimate, diagnostics) = estimate(
            ReservedTerm(length: .threeYears, offeringClass: .standard, payment: .partialUpfront))
        #expect(estimate == nil)
        #expect(
            diagnostics.errors.map(\.description) == [
                "r.yaml:14:21: error: no price for ec2 m5.large reserved-3yr-standard-partial-upfront in us-east-1 (snapshot reserved covers us-east-1); run 'ekscost pricing fetch us-east-1'",
                "r.yaml:14:21: error: no upfront fee for ec2 m5.large reserved-3yr-standard-partial-upfront in us-east-1 (snapshot reserved); run 'ekscost pricing fetch us-east-1'",
            ])
        // Once, however many Reserved prices are missing: where such prices come from.
        #expect(
            diagnostics.filter { $0.severity == .note }.map(\.message)
                == [
                    "Reserved rates and fees come from AWS's offer files: ekscost pricing fetch us-east-1 (or ekscost pricing import AmazonEC2.csv --snapshot NAME --base reserved, then use --pricing NAME)"
                ])
    }
}
