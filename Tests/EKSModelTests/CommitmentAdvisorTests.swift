import Foundation
import Testing

@testable import EKSModel

/// The recommended commitment, worked by hand on small usage profiles (test rates).
@Suite struct CommitmentAdvisorTests {
    static let key = UsageKey.instance("m5.large", region: "us-east-1")
    static let offer = SavingsPlanOffer(kind: .compute, length: .oneYear, payment: .noUpfront)
    static let rates = CommitmentRates(onDemand: [key: 1], savingsPlan: [offer: [key: Decimal(string: "0.70")!]])

    /// Ten hours of one instance and ten of three: each dollar of commitment saves 1 ÷ 0.70 =
    /// 1.43 on demand in every hour it reaches. Up to 0.70 it reaches all 20 hours (28.6 saved
    /// for 20 paid); above, only the 10 busy ones (14.3 for 20). Best: 0.70.
    /// Cost at 0: 10 × 1 + 10 × 3 = 40.00; at 0.70: 20 × 0.70 + 10 × 2 = 34.00;
    /// at 0.84 (20 % more): 16.80 + 10 × (3 − 0.84 / 0.70 = 1.8) = 34.80.
    @Test func bestCommitmentCoversTheQuietHours() {
        let usage = HourlyUsage(
            hours: Array(repeating: [Self.key: Decimal(1)], count: 10) + Array(repeating: [Self.key: 3], count: 10))
        let result = CommitmentAdvisor.recommend(
            usage, holding: CommitmentPortfolio(), rates: Self.rates, offer: Self.offer)
        #expect(result.best.hourlyCommitmentUSD == Decimal(string: "0.7")!)
        #expect(result.best.totalUSD == 34)
        #expect(result.baselineUSD == 40)
        #expect(result.best.savingsUSD == 6)
        #expect(result.best.utilisation == 1)
        let above = result.points.first { $0.hourlyCommitmentUSD == Decimal(string: "0.84")! }
        #expect(above?.totalUSD == Decimal(string: "34.8")!)
        // Coverage at the best: 20 of the 40 on-demand dollars.
        #expect(result.best.coverage == Decimal(string: "0.5")!)
    }

    /// When the plan saves less than it costs in most hours, buy none: one busy hour in ten.
    @Test func noCommitmentWhenUsageIsRare() {
        let usage = HourlyUsage(hours: [[Self.key: 5]] + Array(repeating: [:], count: 9))
        let result = CommitmentAdvisor.recommend(
            usage, holding: CommitmentPortfolio(), rates: Self.rates, offer: Self.offer)
        #expect(result.best.hourlyCommitmentUSD == 0)
        #expect(result.best.totalUSD == 5)
    }

    /// Reservations held apply first: with one m5.large reserved, the plan sees only the two
    /// extra instances of the busy hours, which it reaches in half the hours: none is worth it.
    @Test func reservationsHeldApplyFirst() {
        let usage = HourlyUsage(
            hours: Array(repeating: [Self.key: Decimal(1)], count: 10) + Array(repeating: [Self.key: 3], count: 10))
        let term = ReservedTerm(length: .oneYear, offeringClass: .standard, payment: .noUpfront)
        let reservation = ReservedInstances(instanceType: "m5.large", count: 1, term: term, region: "us-east-1")
        var rates = Self.rates
        rates.reservedHourly[reservation.priceKey] = Decimal(string: "0.60")!  // test value
        let result = CommitmentAdvisor.recommend(
            usage, holding: CommitmentPortfolio(reservations: [reservation]), rates: rates, offer: Self.offer)
        // 2 × 0.70 = 1.40 reaches 10 hours: 14.3 saved per dollar-hour against 20 paid.
        #expect(result.best.hourlyCommitmentUSD == 0)
        // 20 × 0.60 + 10 × 2 × 1.00 = 32.00.
        #expect(result.baselineUSD == 32)
    }
}
