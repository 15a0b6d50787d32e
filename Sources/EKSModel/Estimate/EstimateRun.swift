import Foundation

extension Estimator {
    /// The estimate, or the diagnostics that prevent it. Warnings may come with an estimate.
    /// Workloads with a VPA are priced with their requests as written and as the VPA would set
    /// them; the estimate follows each VPA's update mode and reports both. With HPAs, the low and
    /// high totals hold every HPA at its minimum and maximum.
    public static func estimate(_ inputs: EstimateInputs) -> (estimate: Estimate?, diagnostics: [Diagnostic]) {
        estimate(inputs, trajectories: TrajectoryStore(curves: inputs.scenario.curves, period: inputs.period))
    }

    /// The same estimate, its independent parts (VPA advice per workload; each variant and the
    /// low and high totals) run as child tasks on every core; the result does not depend on which
    /// finishes first.
    public static func estimate(_ inputs: EstimateInputs) async -> (estimate: Estimate?, diagnostics: [Diagnostic]) {
        await estimate(inputs, trajectories: TrajectoryStore(curves: inputs.scenario.curves, period: inputs.period))
    }

    static func estimate(_ inputs: EstimateInputs, trajectories: TrajectoryStore) -> (
        estimate: Estimate?, diagnostics: [Diagnostic]
    ) {
        var run = EstimateRun(inputs, trajectories: trajectories)
        run.settle(advice: run.adviceJobs.map { $0() })
        return run.assemble(run.variantJobs(writtenRunsBeside: false).jobs.map { $0() })
    }

    /// The same, with trajectories from (and into) `trajectories`, which later estimates of the run
    /// (a comparison's strategies) share.
    public static func estimate(_ inputs: EstimateInputs, trajectories: TrajectoryStore) async -> (
        estimate: Estimate?, diagnostics: [Diagnostic]
    ) {
        var run = EstimateRun(inputs, trajectories: trajectories)
        // The requests as written need no advice: their estimate runs beside the recommender and
        // then beside the other variants, which do not wait for it.
        let writtenJobs = run.writtenJob.map { [$0] } ?? []
        async let written = Concurrently.run(writtenJobs)
        run.settle(advice: await Concurrently.run(run.adviceJobs))
        let (jobs, writtenSlot) = run.variantJobs(writtenRunsBeside: !writtenJobs.isEmpty)
        var outcomes = await Concurrently.run(jobs)
        let writtenOutcome = await written.first
        if let writtenSlot, let writtenOutcome { outcomes[writtenSlot] = writtenOutcome }
        return run.assemble(outcomes)
    }
}

/// Runs independent jobs as child tasks and returns their results in the jobs' order, whichever
/// finishes first.
public enum Concurrently {
    public static func run<Result: Sendable>(_ jobs: [@Sendable () -> Result]) async -> [Result] {
        guard jobs.count > 1 else { return jobs.map { $0() } }
        return await run(jobs.map { job in { @Sendable () async -> Result in job() } })
    }

    public static func run<Result: Sendable>(_ jobs: [@Sendable () async -> Result]) async -> [Result] {
        await withTaskGroup(of: (Int, Result).self) { group in
            for (index, job) in jobs.enumerated() { group.addTask { (index, await job()) } }
            var results: [Result?] = Array(repeating: nil, count: jobs.count)
            for await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }
    }
}

/// One estimate's work, as independent jobs: the VPA advice per workload, then each distinct
/// variant of the scenario (requests as the update modes apply them, as written, as recommended)
/// with its low and high totals. Trajectories come from one store, filled before the jobs start,
/// so each is computed once.
struct EstimateRun {
    let inputs: EstimateInputs
    let trajectories: TrajectoryStore
    /// Whether some workload's VPA has usage to learn from, and those of them that run pods, per cluster.
    private let hasVPAVariants: Bool
    private let learning: [[Workload]]
    private var advice: [ContainerRequestsAdvice] = []
    /// The distinct variants, and which of them is the estimate, the requests as written and as
    /// recommended.
    private var variants: [EstimateInputs] = []
    private var main = 0, written = 0, recommended = 0
    /// Whether a variant gets a low and high total (the estimate, when it has HPAs).
    private var ranged: [Bool] = []

    static func learnsFromUsage(_ workload: Workload) -> Bool {
        workload.vpa != nil && (workload.load?.cpu != nil || workload.load?.memory != nil)
    }

    init(_ inputs: EstimateInputs, trajectories: TrajectoryStore) {
        self.inputs = inputs
        self.trajectories = trajectories
        hasVPAVariants = inputs.scenario.clusters.contains { $0.workloads.contains(where: Self.learnsFromUsage) }
        learning = inputs.scenario.clusters.map { $0.podWorkloads.filter(Self.learnsFromUsage) }
        // Every trajectory with the requests as written, on all cores, before anything reads them.
        for cluster in inputs.scenario.clusters {
            _ = trajectories.trajectories(
                cluster.podWorkloads, requests: cluster.podWorkloads.map(\.podRequests),
                settings: inputs.scenario.simulation.forCluster(cluster))
        }
    }

    /// The VPA recommender per learning workload.
    var adviceJobs: [@Sendable () -> [ContainerRequestsAdvice]] {
        let inputs = self.inputs
        let trajectories = self.trajectories
        return zip(inputs.scenario.clusters, learning).flatMap { cluster, workloads in
            workloads.map { workload in
                { @Sendable in
                    guard
                        case .success(let trajectory) = trajectories.trajectory(
                            workload, requests: workload.podRequests,
                            settings: inputs.scenario.simulation.forCluster(cluster))
                    else { return [] }
                    return VPAEstimation.advice(
                        for: workload, trajectory: trajectory, curves: inputs.scenario.curves, period: inputs.period)
                }
            }
        }
    }

    /// Takes the advice and works out the variants (and their trajectories).
    mutating func settle(advice adviceLists: [[ContainerRequestsAdvice]]) {
        advice = adviceLists.flatMap { $0 }
        guard hasVPAVariants else {
            variants = [inputs]
            ranged = [Self.hasHPA(inputs)]
            return
        }
        let applies = { (workload: Workload) in
            Self.learnsFromUsage(workload) && (workload.vpa?.updateMode.appliesRequests ?? false)
        }
        let candidates = [variant(applies), variant { _ in false }, variant(Self.learnsFromUsage)]
        var indices: [Int] = []
        for candidate in candidates {
            let workloads = candidate.scenario.clusters.map(\.workloads)
            if let same = variants.firstIndex(where: { $0.scenario.clusters.map(\.workloads) == workloads }) {
                indices.append(same)
            } else {
                indices.append(variants.count)
                variants.append(candidate)
            }
        }
        (main, written, recommended) = (indices[0], indices[1], indices[2])
        // Only the estimate itself has a low and high total; the others give their totals.
        ranged = variants.indices.map { $0 == main && Self.hasHPA(variants[$0]) }
        // The recommended requests' trajectories, before the variants run.
        for variant in variants {
            for cluster in variant.scenario.clusters {
                _ = trajectories.trajectories(
                    cluster.podWorkloads, requests: cluster.podWorkloads.map(\.podRequests),
                    settings: variant.scenario.simulation.forCluster(cluster))
            }
        }
    }

    /// The scenario with each workload's requests set to the VPA's targets where `rule` says so,
    /// and no VPA left.
    private func variant(_ rule: (Workload) -> Bool) -> EstimateInputs { variant(advice: advice, rule) }

    private func variant(advice: [ContainerRequestsAdvice], _ rule: (Workload) -> Bool) -> EstimateInputs {
        var changed = inputs
        for clusterIndex in changed.scenario.clusters.indices {
            changed.scenario.clusters[clusterIndex].workloads = changed.scenario.clusters[clusterIndex].workloads.map {
                workload in
                var result = rule(workload) ? VPAEstimation.applying(advice, to: workload) : workload
                result.vpa = nil
                return result
            }
        }
        return changed
    }

    static func hasHPA(_ inputs: EstimateInputs) -> Bool {
        inputs.scenario.clusters.contains { $0.workloads.contains { $0.hpa != nil } }
    }

    enum Outcome: Sendable {
        case estimate(Estimate?, [Diagnostic])
        case total(Decimal?, CommitmentReport?)
    }

    /// With VPA variants, the estimate of the requests as written (no VPA applied), which does not
    /// wait for the advice: `variant { _ in false }` below, known from the start.
    /// Costs are spread over the steps only when the written requests are the estimate itself (no VPA
    /// applies its requests); otherwise only its total and peak are reported.
    var writtenJob: (@Sendable () -> Outcome)? {
        guard hasVPAVariants else { return nil }
        let written = variant(advice: [], { _ in false })
        let trajectories = self.trajectories
        let spread = !usesRecommendation
        return {
            let (estimate, diagnostics) = Estimator.core(written, trajectories: trajectories, spreadOverSteps: spread)
            return .estimate(estimate, diagnostics)
        }
    }

    /// Whether some VPA applies its requests, so that the estimate uses the recommendation.
    var usesRecommendation: Bool {
        inputs.scenario.clusters.contains { cluster in
            cluster.workloads.contains { Self.learnsFromUsage($0) && ($0.vpa?.updateMode.appliesRequests ?? false) }
        }
    }

    /// Per variant: its estimate, then with HPAs its low and high totals. Only the estimate itself
    /// spreads its costs over the steps: of the other variants the comparison reads the total and the
    /// peak. When `writtenJob` runs beside these jobs and its estimate fits (it spreads its costs as
    /// this variant would), the requests as written get a placeholder at `writtenSlot`, which the
    /// caller fills with that job's outcome.
    func variantJobs(writtenRunsBeside: Bool) -> (jobs: [@Sendable () -> Outcome], writtenSlot: Int?) {
        let trajectories = self.trajectories
        var jobs: [@Sendable () -> Outcome] = []
        var writtenSlot: Int?
        for (index, (variant, hasRange)) in zip(variants, ranged).enumerated() {
            let spread = index == main
            if index == written, hasVPAVariants, writtenRunsBeside, spread == !usesRecommendation {
                writtenSlot = jobs.count
                jobs.append { .total(nil, nil) }
            } else {
                jobs.append {
                    let (estimate, diagnostics) = Estimator.core(
                        variant, trajectories: trajectories, spreadOverSteps: spread)
                    return .estimate(estimate, diagnostics)
                }
            }
            if hasRange {
                jobs.append {
                    let (total, report) = Estimator.pinnedTotal(variant, atMaximum: false, trajectories: trajectories)
                    return .total(total, report)
                }
                jobs.append {
                    let (total, report) = Estimator.pinnedTotal(variant, atMaximum: true, trajectories: trajectories)
                    return .total(total, report)
                }
            }
        }
        return (jobs, writtenSlot)
    }

    /// The estimate from the jobs' outcomes, in the order `variantJobs` lists them.
    func assemble(_ outcomes: [Outcome]) -> (estimate: Estimate?, diagnostics: [Diagnostic]) {
        var results: [(estimate: Estimate?, diagnostics: [Diagnostic])] = []
        var next = 0
        for hasRange in ranged {
            guard case .estimate(var estimate, let diagnostics) = outcomes[next] else {
                preconditionFailure("an estimate comes first")
            }
            next += 1
            if hasRange {
                guard case .total(let low, let lowCommitments) = outcomes[next],
                    case .total(let high, let highCommitments) = outcomes[next + 1]
                else { preconditionFailure("two totals follow") }
                next += 2
                if let total = estimate?.totalUSD {
                    estimate?.range = CostRange(lowUSD: low ?? total, expectedUSD: total, highUSD: high ?? total)
                }
                estimate?.commitments?.addRange(low: lowCommitments, high: highCommitments)
            }
            results.append((estimate, diagnostics))
        }
        guard hasVPAVariants else { return results[0] }
        let (chosen, diagnostics) = results[main]
        guard var estimate = chosen else { return (nil, diagnostics) }
        let writtenEstimate = results[written].estimate
        let recommendedEstimate = results[recommended].estimate
        estimate.vpa = VPAComparison(
            advice: advice, writtenUSD: writtenEstimate?.totalUSD ?? estimate.totalUSD,
            writtenPeakNodes: writtenEstimate?.peakNodes ?? estimate.peakNodes,
            recommendedUSD: recommendedEstimate?.totalUSD ?? estimate.totalUSD,
            recommendedPeakNodes: recommendedEstimate?.peakNodes ?? estimate.peakNodes,
            estimateUsesRecommendation: usesRecommendation)
        return (estimate, diagnostics)
    }
}
