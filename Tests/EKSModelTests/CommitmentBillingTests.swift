import Foundation
import Testing

@testable import EKSModel

/// The Savings Plans User Guide's worked example and its five scenarios ("Understanding how
/// Savings Plans apply to your usage", docs.aws.amazon.com/savingsplans/latest/userguide/
/// sp-applying.html), and the EC2 User Guide's Reserved Instance scenarios ("How Reserved
/// Instances are applied"), each reproduced to the cent.
///
/// The guide's hour also has AWS Lambda usage, which ekscost does not model: 1 million requests
/// of 3 s at 0.5 GB is 1.5 million GB-seconds, 22.50 on demand (× 0.000015) or 19.125 at the
/// Compute Savings Plans rate (× 0.00001275), plus requests at 0.20 either way (0 % discount).
/// Its savings (15 %, 0 %) are the lowest of the hour, so a plan reaches it last: where a
/// scenario's commitment runs out before it, it is 22.70 on demand; the tests add it by hand.
@Suite struct CommitmentBillingTests {
    static let east = "us-east-1", west = "us-west-1"
    static let r5 = UsageKey.instance("r5.4xlarge", region: east)
    static let m5 = UsageKey.instance("m5.24xlarge", os: .windows, region: east)
    static let vcpu = UsageKey(region: west, resource: .fargateVCPU)
    static let memory = UsageKey(region: west, resource: .fargateMemory)

    static let compute = SavingsPlanOffer(kind: .compute, length: .oneYear, payment: .partialUpfront)
    static let instance = SavingsPlanOffer(kind: .ec2Instance, length: .oneYear, payment: .partialUpfront)

    /// The guide's "Pricing example" table.
    static let rates = CommitmentRates(
        onDemand: [r5: 1, m5: 10, vcpu: Decimal(string: "0.04")!, memory: Decimal(string: "0.004")!],
        savingsPlan: [
            compute: [
                r5: Decimal(string: "0.70")!, m5: Decimal(string: "8.20")!, vcpu: Decimal(string: "0.03")!,
                memory: Decimal(string: "0.003")!,
            ],
            instance: [r5: Decimal(string: "0.60")!, m5: Decimal(string: "7.80")!],
        ])

    /// One hour: 4 × r5.4xlarge Linux, 1 × m5.24xlarge Windows, 400 vCPU and 1,600 GB of Fargate.
    static let hour = HourlyUsage(hours: [[r5: 4, m5: 1, vcpu: 400, memory: 1600]])
    static let lambdaOnDemand = Decimal(string: "22.70")!

    func plan(_ offer: SavingsPlanOffer, _ usd: String, family: String? = nil) -> SavingsPlan {
        SavingsPlan(
            offer: offer, hourlyCommitmentUSD: Decimal(string: usd)!, family: family,
            region: family == nil ? nil : Self.east)
    }

    func cents(_ value: Decimal) -> String { DecimalText.usd(DecimalText.roundedResult(value, scale: 2)) }

    func usage(_ bill: CommitmentBill, _ key: UsageKey) -> UsageBill { bill.usage.first { $0.key == key }! }

    @Test func withoutPlansTheHourIsTheGuidesOnDemandCharge() {
        let bill = CommitmentBilling.bill(Self.hour, portfolio: CommitmentPortfolio(), rates: Self.rates)
        // 4 × 1.00 + 10.00 + 400 × 0.04 + 1600 × 0.004 = 36.40; with Lambda's 22.70: the guide's $59.10.
        #expect(cents(bill.onDemandEquivalentUSD) == "36.40")
        #expect(cents(bill.totalUSD + Self.lambdaOnDemand) == "59.10")
    }

    /// Scenario 1: a $50.00/hour Compute Savings Plan covers everything: "$47.13".
    @Test func scenario1PlanCoversAllUsage() {
        let bill = CommitmentBilling.bill(
            Self.hour, portfolio: CommitmentPortfolio(savingsPlans: [plan(Self.compute, "50.00")]), rates: Self.rates)
        // 4 × 0.70 + 8.20 + 400 × 0.03 + 1600 × 0.003 = 27.80 of the commitment; nothing on demand.
        #expect(cents(bill.plans[0].usedUSD) == "27.80")
        #expect(bill.onDemandUSD == 0)
        // With Lambda at the plan's rates (19.125 + 0.20, within the 22.20 left): 47.125, the guide's $47.13.
        #expect(cents(bill.plans[0].usedUSD + Decimal(string: "19.325")!) == "47.13")
        // The hour costs the commitment, $50.00, whatever of it is used.
        #expect(cents(bill.totalUSD) == "50.00")
    }

    /// Scenario 2: $2.00/hour covers about 2.9 r5.4xlarge (30 %, the highest); 1.1 of them are
    /// "$1.14 of On-Demand charges", the rest "$55.10", in all "$56.24".
    @Test func scenario2PlanCoversSomeUsage() {
        let bill = CommitmentBilling.bill(
            Self.hour, portfolio: CommitmentPortfolio(savingsPlans: [plan(Self.compute, "2.00")]), rates: Self.rates)
        let r5 = usage(bill, Self.r5)
        // 2.00 / 0.70 = 2.857142… instances covered; 4 − 2.857142… = 1.142857… at 1.00.
        #expect(DecimalText.rounded(r5.computePlanQuantity, scale: 1) == Decimal(string: "2.9")!)
        #expect(cents(r5.onDemandUSD) == "1.14")
        // m5.24xlarge 10.00 + Fargate 22.40 + Lambda 22.70 = 55.10.
        #expect(cents(bill.onDemandUSD - r5.onDemandUSD + Self.lambdaOnDemand) == "55.10")
        #expect(cents(bill.onDemandUSD + Self.lambdaOnDemand) == "56.24")
        #expect(bill.plans[0].usedUSD == 2)
    }

    /// Scenario 3: $19.60/hour covers r5 (30 %), then Fargate (25 %), memory before vCPU (lower
    /// rate); m5.24xlarge and Lambda on demand: "$32.70".
    @Test func scenario3PlanCoversSomeUsageAcrossProducts() {
        let bill = CommitmentBilling.bill(
            Self.hour, portfolio: CommitmentPortfolio(savingsPlans: [plan(Self.compute, "19.60")]), rates: Self.rates)
        // 2.80 + 4.80 + 12.00 = 19.60: the commitment is met exactly.
        #expect(bill.plans[0].usedUSD == Decimal(string: "19.60")!)
        #expect(usage(bill, Self.vcpu).computePlanQuantity == 400)
        #expect(cents(bill.onDemandUSD + Self.lambdaOnDemand) == "32.70")
        #expect(cents(bill.totalUSD + Self.lambdaOnDemand) == "52.30")
    }

    /// Between two usages of equal savings, the lower Savings Plans rate first: with $10.00,
    /// after r5's 2.80, memory (0.003) takes 4.80 and vCPU (0.03) the last 2.40, 80 vCPU-hours.
    @Test func equalSavingsGoToTheLowerRateFirst() {
        let bill = CommitmentBilling.bill(
            Self.hour, portfolio: CommitmentPortfolio(savingsPlans: [plan(Self.compute, "10.00")]), rates: Self.rates)
        #expect(usage(bill, Self.memory).computePlanQuantity == 1600)
        #expect(usage(bill, Self.vcpu).computePlanQuantity == 80)
        #expect(usage(bill, Self.m5).computePlanQuantity == 0)
    }

    /// Scenario 4: two r5.4xlarge Reserved Instances cover two of the four; an $18.20/hour plan
    /// the other two and Fargate; m5.24xlarge and Lambda on demand: "$32.70".
    @Test func scenario4ReservedInstancesApplyFirst() {
        var rates = Self.rates
        let term = ReservedTerm(length: .oneYear, offeringClass: .standard, payment: .noUpfront)
        let reservation = ReservedInstances(instanceType: "r5.4xlarge", count: 2, term: term, region: Self.east)
        // Test value (the guide gives no Reserved rate): 0.62 per hour.
        rates.reservedHourly[reservation.priceKey] = Decimal(string: "0.62")!
        let bill = CommitmentBilling.bill(
            Self.hour,
            portfolio: CommitmentPortfolio(savingsPlans: [plan(Self.compute, "18.20")], reservations: [reservation]),
            rates: rates)
        #expect(usage(bill, Self.r5).reservedQuantity == 2)
        // 2 × 0.70 + 4.80 + 12.00 = 18.20.
        #expect(usage(bill, Self.r5).computePlanQuantity == 2)
        #expect(bill.plans[0].usedUSD == Decimal(string: "18.20")!)
        #expect(cents(bill.onDemandUSD + Self.lambdaOnDemand) == "32.70")
        // 18.20 + 2 × 0.62 + 10.00 = 29.44.
        #expect(cents(bill.totalUSD) == "29.44")
        #expect(bill.reservationUtilisation == 1)
    }

    /// Scenario 5: a $3.00/hour EC2 Instance plan for r5 in us-east-1 covers all r5 usage (2.40);
    /// a $16.80/hour Compute plan covers Fargate; m5.24xlarge and Lambda on demand: "$32.70".
    @Test func scenario5MultiplePlans() {
        let plans = [plan(Self.compute, "16.80"), plan(Self.instance, "3.00", family: "r5")]
        let bill = CommitmentBilling.bill(
            Self.hour, portfolio: CommitmentPortfolio(savingsPlans: plans), rates: Self.rates)
        #expect(usage(bill, Self.r5).ec2PlanQuantity == 4)
        #expect(bill.plans[1].usedUSD == Decimal(string: "2.40")!)
        #expect(bill.plans[1].utilisation == Decimal(string: "0.8")!)
        #expect(bill.plans[0].usedUSD == Decimal(string: "16.80")!)
        #expect(cents(bill.onDemandUSD + Self.lambdaOnDemand) == "32.70")
        // 3.00 + 16.80 + 10.00 = 29.80.
        #expect(cents(bill.totalUSD) == "29.80")
    }

    /// An hour's unused commitment is not carried over: a $5.00 plan over an idle hour and a
    /// busy one bills 10.00 and covers only what the busy hour's 5.00 reaches.
    @Test func unusedCommitmentIsBilledAndNotCarriedOver() {
        let usage = HourlyUsage(hours: [[:], [Self.r5: 10]])
        let bill = CommitmentBilling.bill(
            usage, portfolio: CommitmentPortfolio(savingsPlans: [plan(Self.compute, "5.00")]), rates: Self.rates)
        // Hour 2: 5.00 / 0.70 = 7.142857… covered, 2.857142… at 1.00.
        #expect(cents(bill.hourlyTotalUSD[0]) == "5.00")
        #expect(cents(bill.hourlyTotalUSD[1]) == "7.86")
        #expect(bill.plans[0].unusedUSD == 5)
        #expect(bill.savingsPlanUtilisation == Decimal(string: "0.5")!)
    }

    /// Upfront payments are amortised per hour: a partial-upfront plan pays half (the default)
    /// upfront; a reservation's fee is spread over 8760 hours (a year of 365 days).
    @Test func upfrontPaymentsAreAmortisedPerHour() {
        var rates = Self.rates
        let term = ReservedTerm(length: .oneYear, offeringClass: .standard, payment: .partialUpfront)
        let reservation = ReservedInstances(instanceType: "r5.4xlarge", count: 1, term: term, region: Self.east)
        rates.reservedHourly[reservation.priceKey] = Decimal(string: "0.30")!  // test values
        rates.reservedUpfront[reservation.priceKey] = 2628
        let usage = HourlyUsage(constant: [Self.r5: 1], hours: 720)
        let bill = CommitmentBilling.bill(
            usage,
            portfolio: CommitmentPortfolio(savingsPlans: [plan(Self.compute, "1.00")], reservations: [reservation]),
            rates: rates)
        // Plan: 1.00 × 720 = 720.00, half upfront: 360.00 amortised, 360.00 recurring.
        #expect(bill.plans[0].upfrontShareUSD == 360)
        #expect(bill.plans[0].recurringUSD == 360)
        // Reservation: 0.30 × 720 = 216.00; 2628 / 8760 = 0.30 per hour, × 720 = 216.00.
        #expect(bill.reservations[0].hourlyFeesUSD == 216)
        #expect(bill.reservations[0].upfrontShareUSD == 216)
        // The reservation covers the one r5.4xlarge: the plan is unused, nothing on demand.
        #expect(bill.totalUSD == 1152)  // 720 + 216 + 216
        #expect(bill.coverage == 1)
    }
}

/// EC2 User Guide, "How Reserved Instances are applied", examples of regional Reserved Instances.
@Suite struct ReservationSizeFlexibilityTests {
    static let region = "us-east-1"
    static let term = ReservedTerm(length: .oneYear, offeringClass: .standard, payment: .noUpfront)

    func bill(_ usage: [String: Decimal], _ reservations: [(String, Int)]) -> CommitmentBill {
        let hour = Dictionary(
            uniqueKeysWithValues: usage.map { (UsageKey.instance($0.key, region: Self.region), $0.value) })
        let portfolio = CommitmentPortfolio(
            reservations: reservations.map {
                ReservedInstances(instanceType: $0.0, count: $0.1, term: Self.term, region: Self.region)
            })
        let onDemand = Dictionary(uniqueKeysWithValues: hour.keys.map { ($0, Decimal(1)) })  // test rates
        return CommitmentBilling.bill(
            HourlyUsage(hours: [hour]), portfolio: portfolio, rates: CommitmentRates(onDemand: onDemand))
    }

    func reserved(_ bill: CommitmentBill, _ type: String) -> Decimal {
        bill.usage.first { $0.key == .instance(type, region: Self.region) }!.reservedQuantity
    }

    /// Scenario 1: four m4.large (4 × 4 = 16 units) cover two m4.xlarge (2 × 8); one c4.large (4
    /// units) covers half of a c4.xlarge (8).
    @Test func scenario1SizeFlexibilityAcrossSizes() {
        let result = bill(["m4.xlarge": 2, "c4.xlarge": 1], [("m4.large", 4), ("c4.large", 1)])
        #expect(reserved(result, "m4.xlarge") == 2)
        #expect(reserved(result, "c4.xlarge") == Decimal(string: "0.5")!)
    }

    /// Scenario 2: one m3.2xlarge (16 units) covers the two m3.large first (8), smallest size
    /// first, then one of the two m3.xlarge (8); the other is on demand.
    @Test func scenario2SmallestSizeFirst() {
        let result = bill(["m3.xlarge": 2, "m3.large": 2], [("m3.2xlarge", 1)])
        #expect(reserved(result, "m3.large") == 2)
        #expect(reserved(result, "m3.xlarge") == 1)
        #expect(result.usage.reduce(0) { $0 + $1.onDemandQuantity } == 1)
    }

    /// Windows reservations have no size flexibility: an m5.large Windows one leaves an
    /// m5.xlarge Windows on demand.
    @Test func windowsReservationsCoverTheirExactType() {
        let key = UsageKey.instance("m5.xlarge", os: .windows, region: Self.region)
        let reservation = ReservedInstances(
            instanceType: "m5.large", count: 2, term: Self.term, region: Self.region, os: .windows)
        let result = CommitmentBilling.bill(
            HourlyUsage(hours: [[key: 1]]), portfolio: CommitmentPortfolio(reservations: [reservation]),
            rates: CommitmentRates(onDemand: [key: 1]))
        #expect(result.usage[0].reservedQuantity == 0)
        #expect(result.reservationUtilisation == 0)
    }
}
