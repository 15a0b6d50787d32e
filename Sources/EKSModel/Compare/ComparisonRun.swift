import Foundation

/// One comparison's work: every strategy's estimate (each family's too) as independent jobs that
/// share one trajectory store, then the ranking.
struct ComparisonRun {
    let inputs: EstimateInputs
    let trajectories: TrajectoryStore
    let asWritten: (estimate: Estimate?, diagnostics: [Diagnostic])?
    /// As written, on-demand, spot; each family; Fargate.
    let plans: [Comparer.Plan]
    let familyCount: Int
    let familyNote: String

    init(
        _ inputs: EstimateInputs, options: CompareOptions,
        asWritten: (estimate: Estimate?, diagnostics: [Diagnostic])? = nil,
        trajectories: TrajectoryStore? = nil
    ) {
        self.inputs = inputs
        self.asWritten = asWritten
        self.trajectories = trajectories ?? TrajectoryStore(curves: inputs.scenario.curves, period: inputs.period)
        let (fixed, fargate) = Comparer.plans(inputs, options: options)
        let (families, familyNote) = Comparer.familyPlans(inputs.scenario, inputs: inputs, options: options)
        plans = fixed + families + [fargate]
        familyCount = families.count
        self.familyNote = familyNote
        // The workloads are the same in every strategy: their trajectories once, before the jobs.
        for cluster in inputs.scenario.clusters {
            _ = self.trajectories.trajectories(
                cluster.podWorkloads, requests: cluster.podWorkloads.map(\.podRequests),
                settings: inputs.scenario.simulation.forCluster(cluster))
        }
    }

    /// Per plan, its estimate (nil when the plan has no prices).
    var jobs: [@Sendable () -> (estimate: Estimate?, diagnostics: [Diagnostic])?] {
        let inputs = self.inputs
        let trajectories = self.trajectories
        let asWritten = self.asWritten
        return plans.map { plan in
            { @Sendable in
                if plan.kind == .asWritten, let asWritten { return asWritten }
                guard let snapshot = plan.snapshot else { return nil }
                var variant = inputs
                variant.scenario = plan.scenario
                variant.snapshot = snapshot
                return Estimator.estimate(variant, trajectories: trajectories)
            }
        }
    }

    func assemble(_ outcomes: [(estimate: Estimate?, diagnostics: [Diagnostic])?]) -> Comparison {
        let results = zip(plans, outcomes).map { Comparer.result($0, $1) }
        let fixed = Array(results.prefix(3))
        let families = Array(results.dropFirst(3).prefix(familyCount))
        var ordered = fixed + [Comparer.cheapestFamily(families, note: familyNote), results.last!]
        if let withPlan = Comparer.withRecommendedSavingsPlan(inputs, asWritten: results[0], trajectories: trajectories)
        {
            ordered.append(withPlan)
        }
        return Comparison(
            scenario: inputs.scenario.name, region: inputs.scenario.region, snapshotID: inputs.snapshot.id,
            period: inputs.period, strategies: Comparer.rank(ordered),
            breakEvens: Comparer.breakEvens(inputs, trajectories: trajectories))
    }
}
