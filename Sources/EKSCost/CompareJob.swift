import EKSInput
package import EKSModel
import EKSReport
import Foundation

/// `ekscost compare`: the scenario's workloads under several compute strategies, ranked,
/// written to `OUT/<scenario>/compare.csv` and `compare.md`, the Markdown also on stdout.
package enum CompareJob {
    package static func run(scenario path: String, options: RunOptions, compare: CompareOptions) async -> CommandResult
    {
        var preparation: ScenarioPreparation
        switch ScenarioPreparation.start(options) {
        case .success(let started): preparation = started
        case .failure(let failure): return failure.result
        }
        guard let prepared = preparation.prepare(path) else {
            return .stopped(by: preparation.diagnostics, "no report written")
        }
        let inputs = EstimateInputs(
            scenario: prepared.scenario, snapshot: prepared.snapshot, catalog: prepared.catalog,
            period: prepared.period, asOf: prepared.asOf)
        // The scenario as written must itself be valid: its errors are the user's to fix first. Its
        // estimate is the first strategy's, and its trajectories serve every strategy.
        let trajectories = TrajectoryStore(curves: inputs.scenario.curves, period: inputs.period)
        let asWritten = await Estimator.estimate(inputs, trajectories: trajectories)
        var result = CommandResult()
        result.diagnostics = preparation.diagnostics + asWritten.diagnostics.filter { $0.severity == .error }
        guard !result.stopsOnErrors("no report written") else { return result }
        let comparison = await Comparer.compare(
            inputs, options: compare, asWritten: asWritten, trajectories: trajectories)
        let folder = (options.outDirectory as NSString).appendingPathComponent(prepared.scenario.name)
        guard
            result.writeAll([
                ((folder as NSString).appendingPathComponent("compare.csv"), CompareCSV.format(comparison)),
                ((folder as NSString).appendingPathComponent("compare.md"), CompareMarkdown.format(comparison)),
            ])
        else { return result }
        if !options.quiet {
            result.stdout = CompareMarkdown.text(comparison)
            result.messages.append("wrote \(folder)/ (compare.csv, compare.md)")
        }
        if comparison.cheapest == nil {
            result.messages.append("ekscost: no strategy could place every pod")
            result.status = .incompletePlan
        }
        return result
    }
}
