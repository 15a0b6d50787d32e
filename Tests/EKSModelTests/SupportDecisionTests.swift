import Testing

@testable import EKSModel

/// Dates from the EKS Kubernetes release calendar.
@Suite struct SupportDecisionTests {
    private func tier(_ version: String?, _ date: String, policy: SupportPolicy = .extended) -> SupportDecision.Tier {
        SupportDecision.decide(version: version, policy: policy, asOf: CalendarDate(date)!).tier
    }

    @Test func standardUntilTheEndOfStandardSupport() {
        #expect(tier("1.34", "2026-12-01") == .standard)
        // Billing for extended support starts at the beginning of the end-of-standard day.
        #expect(tier("1.34", "2026-12-02") == .extended)
    }

    @Test func extendedAfterStandardSupportEnds() {
        #expect(tier("1.31", "2026-11-23") == .extended)
        #expect(tier("1.31.3", "2026-11-23") == .extended)
    }

    @Test func upgradePolicyStandardNeverPaysExtended() {
        #expect(tier("1.31", "2026-11-23", policy: .standard) == .standard)
    }

    @Test func nothingWasBilledAsExtendedBeforeApril2024() {
        #expect(tier("1.14", "2019-12-15") == .standard)
        #expect(tier("1.24", "2024-03-31") == .standard)
        #expect(tier("1.24", "2024-04-01") == .extended)
    }

    @Test func warnsWhenPastExtendedSupport() {
        let decision = SupportDecision.decide(version: "1.28", policy: .extended, asOf: CalendarDate("2026-01-01")!)
        #expect(decision.tier == .extended)
        #expect(decision.warning?.contains("2025-11-26") == true)
    }

    @Test func versionsNewerThanTheCalendarAreStandard() {
        #expect(tier("1.36", "2026-11-23") == .standard)
    }

    @Test func noVersionMeansStandard() {
        #expect(tier(nil, "2026-11-23") == .standard)
    }
}
