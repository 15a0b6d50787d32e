public import Foundation

extension Comparer {
    /// The scenario as written plus the Compute Savings Plan (1 year, no upfront) its estimate
    /// recommends; nil when the snapshot has no Savings Plans rates for its usage.
    static func withRecommendedSavingsPlan(
        _ inputs: EstimateInputs, asWritten: StrategyResult,
        trajectories: TrajectoryStore
    ) -> StrategyResult? {
        guard let recommendation = asWritten.estimate?.commitments?.headline else { return nil }
        let commitment = recommendation.best.hourlyCommitmentUSD
        var variant = inputs
        if commitment > 0 {
            variant.scenario.commitments.savingsPlans.append(recommendation.plan(hourlyCommitmentUSD: commitment))
        }
        let note =
            commitment > 0
            ? "as written, plus a \(recommendation.offer.kind.title) (\(recommendation.offer.length.rawValue), \(recommendation.offer.payment.rawValue)) of \(DecimalText.format(commitment)) USD/hour, the commitment that minimises this month"
            : "as written: no \(recommendation.offer.kind.title) commitment lowers this month"
        let plan = Plan(
            kind: .withSavingsPlan, title: "As written, with the recommended Savings Plan", scenario: variant.scenario,
            snapshot: inputs.snapshot, note: note)
        return result(
            plan, commitment > 0 ? Estimator.estimate(variant, trajectories: trajectories) : (asWritten.estimate, []))
    }
}
