import EKSInput
import EKSModel
import Foundation

/// A scenario read, checked and matched with its prices, ready to estimate.
struct PreparedScenario: Sendable {
    let path: String
    let scenario: Scenario
    let snapshot: PriceSnapshot
    let catalog: InstanceCatalog
    let period: BillingPeriod
    let asOf: CalendarDate
    /// Set when `--pricing` replaced the snapshot the scenario names, or when the snapshot was
    /// chosen as the newest covering the region: says which and why.
    let snapshotOverride: String?
    /// What reading the inputs noted (manifest kinds skipped, replicas set by HPAs), for the report.
    var inputNotes: [String] = []
}

/// Reads and checks scenarios, collecting every problem of every file.
struct ScenarioPreparation {
    let options: RunOptions
    let store: PricingStore
    var diagnostics: [Diagnostic] = []
    private var catalogReported = false

    init(options: RunOptions, store: PricingStore) {
        self.options = options
        self.store = store
    }

    /// A preparation on the store `--pricing` names, or the failed result saying why there is none.
    static func start(_ options: RunOptions) -> Result<ScenarioPreparation, CommandFailure> {
        switch store(for: options) {
        case .success(let store): return .success(ScenarioPreparation(options: options, store: store))
        case .failure(let diagnostic): return .failure(CommandFailure(result: .failure([diagnostic])))
        }
    }

    /// Builds the store from `--pricing`, or fails with the reason.
    static func store(for options: RunOptions) -> Result<PricingStore, Diagnostic> {
        var explicitDirectory: String?
        if let pricing = options.pricing {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: pricing, isDirectory: &isDirectory), isDirectory.boolValue {
                explicitDirectory = pricing
            }
        }
        return PricingFolders.locate(explicit: explicitDirectory).map(PricingStore.init)
    }

    mutating func prepare(_ path: String) -> PreparedScenario? {
        let firstNew = diagnostics.count
        let (loaded, loadDiagnostics) =
            options.readsKubernetesSources
            ? KubernetesSources.scenario(eksctl: options.eksctl, manifests: options.manifests)
            : ScenarioLoader.load(path: path)
        diagnostics += loadDiagnostics
        let (catalog, catalogDiagnostics) = store.catalog()
        if !catalogReported {
            diagnostics += catalogDiagnostics
            catalogReported = true
        }
        guard var scenario = loaded, let catalog else { return nil }
        var regionNote: String?
        if let region = options.region {
            // `--region`: the same cluster priced as if it stood in another region.
            let written = scenario.region.isEmpty ? "no region" : scenario.region
            if region != scenario.region {
                regionNote = "Priced as if in \(region) (--region); the input says \(written)."
            }
            scenario.region = region
        }

        let (snapshot, override) = resolveSnapshot(for: scenario)
        diagnostics += ScenarioValidator.validate(scenario, catalog: catalog, snapshot: snapshot)
        guard let snapshot, !Array(diagnostics[firstNew...]).hasErrors else { return nil }
        let period: BillingPeriod
        if let month = options.month {
            period = BillingPeriod(month: month)
        } else if let hours = options.hoursPerMonth {
            period = BillingPeriod(hoursPerMonth: hours)
        } else {
            period = scenario.period ?? .standard
        }
        let asOf = options.asOf ?? scenario.asOf ?? .today()
        var prepared = PreparedScenario(
            path: path, scenario: scenario, snapshot: snapshot, catalog: catalog,
            period: period, asOf: asOf, snapshotOverride: override)
        prepared.inputNotes =
            (regionNote.map { [$0] } ?? [])
            + loadDiagnostics.filter { $0.severity == .note }.map { note in
                note.message.prefix(1).uppercased() + note.message.dropFirst() + "."
            }
        prepared.inputNotes += Self.reportWarnings(
            loadDiagnostics + Array(diagnostics[firstNew...]).filter { !loadDiagnostics.contains($0) })
        return prepared
    }

    /// Warnings as report notes, so that a run with `--quiet` (which prints only errors) keeps
    /// them: "Warning (k8s/api.yaml:12:5): …".
    static func reportWarnings(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.filter { $0.severity == .warning }.map { warning in
            let place = warning.location.map { " (\($0)\($0.document.map { ", document \($0)" } ?? ""))" } ?? ""
            return "Warning\(place): \(warning.message)."
        }
    }

    /// The snapshot named by `--pricing`, else by the scenario, else the folder's default.
    mutating func resolveSnapshot(for scenario: Scenario) -> (PriceSnapshot?, String?) {
        let location = scenario.location(of: "pricing")
        if let pricing = options.pricing {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: pricing, isDirectory: &isDirectory)
            if exists && !isDirectory.boolValue {
                let (snapshot, problems) = store.snapshot(atPath: pricing)
                diagnostics += problems
                return (snapshot, override(scenario, snapshot?.id))
            }
            if !exists {
                return (load(id: pricing, location: nil, flag: true), override(scenario, pricing))
            }
        }
        if let id = scenario.pricingSnapshot {
            return (load(id: id, location: location, flag: false), nil)
        }
        // No snapshot named: the newest that covers the region, said in the report.
        if !scenario.region.isEmpty, let (snapshot, problems) = store.newestSnapshot(covering: scenario.region) {
            diagnostics += problems
            return (
                snapshot,
                "price snapshot \(snapshot.id) (\(snapshot.date)) is the newest snapshot that covers \(scenario.region)"
            )
        }
        guard let id = store.folders.defaultSnapshotID() else {
            diagnostics.append(
                .error(
                    "the scenario names no price snapshot, none in \(store.folders.description) covers \(scenario.region.isEmpty ? "its region" : scenario.region) and there is no default-snapshot file; run 'ekscost pricing fetch \(scenario.region.isEmpty ? "REGION" : scenario.region)', add 'pricing: <snapshot>' to spec or pass --pricing",
                    at: scenario.origin))
            return (nil, nil)
        }
        return (load(id: id, location: scenario.origin, flag: false), nil)
    }

    func override(_ scenario: Scenario, _ id: String?) -> String? {
        guard let named = scenario.pricingSnapshot, let id, named != id else { return nil }
        return "price snapshot \(id) from --pricing replaces \(named) named in the scenario"
    }

    mutating func load(id: String, location: SourceLocation?, flag: Bool) -> PriceSnapshot? {
        guard let (snapshot, problems) = store.snapshot(id: id) else {
            let available = store.folders.snapshotIDs()
            var message = "unknown price snapshot '\(id)'"
            if flag { message = "--pricing: " + message }
            message +=
                available.isEmpty
                ? "; \(store.folders.description) has none" : "; available: \(available.joined(separator: ", "))"
            if let hint = EditDistance.closest(to: id, in: available) { message += " (did you mean \(hint)?)" }
            diagnostics.append(.error(message, at: location))
            return nil
        }
        diagnostics += problems
        return snapshot
    }
}

/// A command's result when it ends before doing its work.
struct CommandFailure: Error {
    let result: CommandResult
}
