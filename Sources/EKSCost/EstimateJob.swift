import EKSInput
import EKSModel
import EKSReport
import Foundation

/// `ekscost estimate`: price each scenario and write its reports, or write nothing at all.
package enum EstimateJob {
    package static func run(scenarios paths: [String], options: RunOptions) async -> CommandResult {
        var preparation: ScenarioPreparation
        switch ScenarioPreparation.start(options) {
        case .success(let started): preparation = started
        case .failure(let failure): return failure.result
        }
        var estimates: [(PreparedScenario, Estimate)] = []
        // Read every scenario first (diagnostics in file order), then estimate them all at once.
        var prepared: [PreparedScenario] = []
        var diagnosticsBefore: [Int] = []
        for path in paths {
            guard let scenario = preparation.prepare(path) else { continue }
            prepared.append(scenario)
            diagnosticsBefore.append(preparation.diagnostics.count)
        }
        let outcomes = await Concurrently.run(
            prepared.map { prepared in
                { @Sendable () async -> (estimate: Estimate?, diagnostics: [Diagnostic]) in
                    await Estimator.estimate(
                        EstimateInputs(
                            scenario: prepared.scenario, snapshot: prepared.snapshot, catalog: prepared.catalog,
                            period: prepared.period, asOf: prepared.asOf))
                }
            })
        // Each scenario's estimate diagnostics follow what reading it said, as when one ran after the other.
        for index in prepared.indices.reversed() {
            preparation.diagnostics.insert(contentsOf: outcomes[index].diagnostics, at: diagnosticsBefore[index])
        }
        for (prepared, (estimate, diagnostics)) in zip(prepared, outcomes) {
            if var estimate {
                if let override = prepared.snapshotOverride { estimate.notes.append("Note: \(override).") }
                estimate.notes += prepared.inputNotes + ScenarioPreparation.reportWarnings(diagnostics)
                estimates.append((prepared, estimate))
            }
        }
        var result = CommandResult()
        result.diagnostics = preparation.diagnostics
        let folders = estimates.map { reportFolder($0.1, options: options) }
        for (index, folder) in folders.enumerated() where folders.firstIndex(of: folder) != index {
            result.diagnostics.append(
                .error(
                    "two scenarios would write to \(folder) (both are named \(estimates[index].1.scenario)); give them different metadata.name",
                    at: estimates[index].0.scenario.location(of: "metadata")))
        }
        guard !result.stopsOnErrors("no report written") else { return result }

        var files: [(path: String, bytes: [UInt8])] = []
        for ((_, estimate), folder) in zip(estimates, folders) {
            for formatter in options.formats.flatMap(\.formatters) where formatter.applies(to: estimate) {
                files.append(
                    ((folder as NSString).appendingPathComponent(formatter.fileName), formatter.format(estimate)))
            }
        }
        guard result.writeAll(files) else { return result }

        for (index, (_, estimate)) in estimates.enumerated() {
            if !options.quiet {
                if index > 0 { result.stdout += "\n" }
                result.stdout += MarkdownEstimateFormatter.summary(estimate)
            }
            if !options.quiet {
                result.messages.append(
                    "wrote \(folders[index])/ (\(options.formats.map(\.rawValue).joined(separator: ", ")))")
            }
            if let budget = options.budget, estimate.totalUSD > budget {
                result.messages.append(
                    "ekscost: \(estimate.scenario) costs \(DecimalText.usd(estimate.totalUSD)) USD per month, over the budget of \(DecimalText.usd(budget)) USD"
                )
                if result.status == .success { result.status = .overBudget }
            }
            if !estimate.isComplete {
                result.messages.append(
                    "ekscost: \(estimate.scenario): some pods fit on no node; the plan and its cost are incomplete")
                result.status = .incompletePlan
            }
        }
        return result
    }

    /// `OUT/<scenario>` or, for a calendar month, `OUT/<scenario>/<YYYY-MM>`.
    static func reportFolder(_ estimate: Estimate, options: RunOptions) -> String {
        var folder = (options.outDirectory as NSString).appendingPathComponent(estimate.scenario)
        if let month = estimate.period.folderName { folder = (folder as NSString).appendingPathComponent(month) }
        return folder
    }
}

/// `ekscost validate`: the same checks as `estimate`, including prices, without writing.
package enum ValidateJob {
    package static func run(scenarios paths: [String], options: RunOptions) async -> CommandResult {
        var preparation: ScenarioPreparation
        switch ScenarioPreparation.start(options) {
        case .success(let started): preparation = started
        case .failure(let failure): return failure.result
        }
        var result = CommandResult()
        for path in paths {
            let before = preparation.diagnostics.count
            if let prepared = preparation.prepare(path) {
                let (_, diagnostics) = await Estimator.estimate(
                    EstimateInputs(
                        scenario: prepared.scenario, snapshot: prepared.snapshot, catalog: prepared.catalog,
                        period: prepared.period, asOf: prepared.asOf))
                preparation.diagnostics += diagnostics
            }
            if !Array(preparation.diagnostics[before...]).hasErrors {
                result.stdout += "\(path): ok\n"
            }
        }
        result.diagnostics = preparation.diagnostics
        _ = result.stopsOnErrors(nil)
        return result
    }
}
