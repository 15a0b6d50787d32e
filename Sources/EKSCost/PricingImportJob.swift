import CSVStream
import EKSInput
package import EKSModel
import EKSReport
import Foundation

/// `ekscost pricing import`: AWS Price List offer files (CSV) to a new price snapshot, written
/// atomically under the Pricing folder, or nothing at all.
package enum PricingImportJob {
    package struct Settings: Sendable {
        package var files: [String] = []
        /// Id of the snapshot to write: `Pricing/<id>.csv`.
        package var snapshot = ""
        /// Only these regions; empty for every region in the files.
        package var regions: [String] = []
        /// A snapshot (id or file) whose rows the imported prices replace or add to.
        package var base: String?
        /// The Pricing folder.
        package var pricing: String?
        /// `snapshot_date`; default the latest publication day of the files.
        package var date: CalendarDate?
        package var makeDefault = false
        /// Overwrite an existing snapshot of the same id.
        package var replace = false
        /// Threads reading each file (default: the cores there are).
        package var workers: Int?
        package var quiet = false

        package init() {}
    }

    /// Called on the calling thread, at most about ten times a second, with the file being read,
    /// the data bytes read so far and its total; once more with `done == total` at its end.
    package typealias Progress = (_ file: String, _ done: Int, _ total: Int) -> Void

    package static func run(_ settings: Settings, progress: Progress? = nil) -> CommandResult {
        if let problem = problemWithID(settings.snapshot) { return .failure([.error(problem)]) }
        let folders: PricingFolders
        switch targetFolders(settings.pricing) {
        case .success(let found): folders = found
        case .failure(let diagnostic): return .failure([diagnostic])
        }
        let directory = folders.user
        let target = directory.snapshotPath(settings.snapshot)
        if FileManager.default.fileExists(atPath: target) && !settings.replace {
            return .failure([
                .error(
                    "price snapshot \(settings.snapshot) already exists (\(target)); pass --replace to overwrite it, or choose another --snapshot"
                )
            ])
        }

        // The catalog, for the warning about unknown instance types at the end: read on a thread
        // of its own while the offers are, as it does not depend on them.
        let catalog = folders.catalogPath.map { path in
            BackgroundValue { (path: path, catalog: InstanceCatalogFile.read(path: path).catalog) }
        }

        var diagnostics: [Diagnostic] = []
        var base: PriceSnapshot?
        if let name = settings.base {
            if let path = isFile(name) ? name : folders.snapshotPath(name) {
                let (snapshot, problems) = PriceSnapshotFile.read(path: path)
                diagnostics += problems
                base = snapshot
            } else {
                let available = folders.snapshotIDs()
                diagnostics.append(
                    .error("--base: unknown price snapshot '\(name)'; available: \(available.joined(separator: ", "))"))
            }
        }

        // Savings Plans price lists are read apart; their rates join the base's rows.
        let plans = SavingsPlanImport.read(settings.files, regions: settings.regions)
        diagnostics += plans.diagnostics
        var read = readOffers(
            plans.otherFiles.map { ($0, nil) }, regions: settings.regions, workers: settings.workers, progress: progress
        )
        diagnostics += read.diagnostics
        // Moved out, so that the assembly releases each offer's prices as it takes them in.
        let offers = read.offers
        read.offers = []
        let baseRows = base?.count ?? 0
        if !plans.prices.isEmpty {
            base = SavingsPlanImport.adding(
                plans.prices, to: base, id: settings.snapshot, date: plans.latestDay ?? .today())
        }
        if !diagnostics.hasErrors && offers.allSatisfy({ $0.priceCount == 0 }) && base == nil {
            diagnostics.append(.error("the offer files give no price to write; nothing written"))
        }
        guard !diagnostics.hasErrors else { return .stopped(by: diagnostics, "no snapshot written") }

        let date =
            settings.date ?? (offers.compactMap(\.head.publicationDay) + [plans.latestDay].compactMap { $0 }).max()
            ?? .today()
        let summaries = settings.quiet ? "" : offers.map(summary).joined() + plans.summary
        let assembly = SnapshotAssembly(id: settings.snapshot, date: date, base: base, offers: offers)
        var result = CommandResult()
        result.diagnostics = diagnostics
        guard write(assembly, to: target, makeDefault: settings.makeDefault, in: directory, result: &result) else {
            return result
        }
        if !settings.quiet {
            result.stdout = summaries
            var wrote =
                "wrote \(target): \(assembly.count) prices in \(assembly.regionNames.count) region\(assembly.regionNames.count == 1 ? "" : "s"), snapshot date \(date)"
            if let base, settings.base != nil {
                wrote += "; \(assembly.fromBase - (base.count - baseRows)) kept from \(base.id)"
            }
            result.stdout += wrote + "\n"
            if settings.makeDefault { result.stdout += "\(settings.snapshot) is now the default snapshot\n" }
            result.messages += read.timings
        }
        if let (path, catalog) = catalog?.value, let catalog {
            result.diagnostics += unknownTypes(in: assembly, catalog: catalog, path: path)
        }
        return result
    }

    /// The folder snapshots are written to: `--pricing DIR`, else the user's data folder (made
    /// if missing), with the bundled folder beside it for `--base` and the catalog.
    static func targetFolders(_ pricing: String?) -> Result<PricingFolders, Diagnostic> {
        if let pricing, isDirectory(pricing) {
            return .success(PricingFolders(user: PricingDirectory(path: pricing), bundled: nil))
        }
        if let pricing { return .failure(.error("--pricing \(pricing): no such folder")) }
        let user = PricingFolders.userFolderPath()
        do {
            try FileManager.default.createDirectory(atPath: user, withIntermediateDirectories: true)
        } catch {
            return .failure(
                .error(
                    "cannot create the pricing folder \(user) (\(error.localizedDescription)); set \(PricingFolders.environmentVariable) to a folder you can write"
                ))
        }
        switch PricingFolders.locate() {
        case .success(let folders): return .success(folders)
        case .failure: return .success(PricingFolders(user: PricingDirectory(path: user), bundled: nil))
        }
    }

    /// Reads offer files (`label`: what their prices' source calls them, default the file name),
    /// with a timing line per file and a warning for a file that gives no price.
    /// `streamed`: the file is a download read as it arrives.
    static func readOffers(
        _ files: [(path: String, label: String?)], regions: [String], workers: Int?, streamed: StreamedBytes? = nil,
        progress: Progress?
    ) -> (offers: [ImportedOffer], diagnostics: [Diagnostic], timings: [String]) {
        var importSettings = OfferImporter.Settings()
        importSettings.regions = regions
        importSettings.streamed = streamed
        if let workers { importSettings.scan.workers = max(1, workers) }
        var offers: [ImportedOffer] = []
        var diagnostics: [Diagnostic] = []
        var timings: [String] = []
        for (file, label) in files {
            let started = Date()
            importSettings.label = label
            let shown = label ?? file
            let result = OfferImporter.read(
                path: file, settings: importSettings,
                progress: progress.map { report in { report(shown, $0, $1) } })
            switch result {
            case .success(let offer):
                offers.append(offer)
                let seconds = Date().timeIntervalSince(started)
                let megabytes = Double(offer.head.fileSize) / 1e6
                timings.append(
                    "\(shown): \(String(format: "%.1f", megabytes)) MB in \(String(format: "%.2f", seconds)) s (\(String(format: "%.0f", megabytes / max(seconds, 1e-9))) MB/s)"
                )
                if offer.priceCount == 0 {
                    diagnostics.append(
                        .warning(
                            "no prices found in this \(offer.head.offer.rawValue) file\(regions.isEmpty ? "" : " for \(regions.joined(separator: ", "))")",
                            at: SourceLocation(file: shown, line: 1)))
                }
            case .failure(let diagnostic):
                progress?(shown, 0, 0)
                diagnostics.append(diagnostic)
            }
        }
        return (offers, diagnostics, timings)
    }

    /// Writes the snapshot (and `default-snapshot` when asked) atomically; on failure records
    /// the error and exit status 74 and returns false.
    static func write(
        _ assembly: SnapshotAssembly, to target: String, makeDefault: Bool, in directory: PricingDirectory,
        result: inout CommandResult
    ) -> Bool {
        var files: [(path: String, content: AtomicFiles.Content)] = [(target, .stream { try assembly.write(to: $0) })]
        if makeDefault {
            let path = (directory.path as NSString).appendingPathComponent(PricingDirectory.defaultFileName)
            files.append((path, .bytes(Array("\(assembly.id)\n".utf8))))
        }
        return result.writeFiles(files)
    }

    /// Instance types a new snapshot prices that the catalog does not know, named once.
    static func unknownTypes(in assembly: SnapshotAssembly, folders: PricingFolders) -> [Diagnostic] {
        guard let path = folders.catalogPath, let catalog = InstanceCatalogFile.read(path: path).catalog else {
            return []
        }
        return unknownTypes(in: assembly, catalog: catalog, path: path)
    }

    /// The same with the catalog read already (from `path`).
    static func unknownTypes(in assembly: SnapshotAssembly, catalog: InstanceCatalog, path: String) -> [Diagnostic] {
        let unknown = assembly.instanceTypes.filter { catalog[$0] == nil }
        guard !unknown.isEmpty else { return [] }
        return [
            .warning(
                "\(unknown.count) instance type\(unknown.count == 1 ? "" : "s") priced in \(assembly.id) \(unknown.count == 1 ? "is" : "are") not in the instance catalog (\(path)) and cannot be placed: \(unknown.joined(separator: ", ")); refresh it with 'ekscost instances import' (Pricing/README.md)"
            )
        ]
    }

    /// What one file gave, for `OfferImportFormatter`.
    static func summary(_ offer: ImportedOffer) -> String {
        let head = offer.head
        return OfferImportFormatter.format(
            OfferImportFormatter.Figures(
                offer: head.offer.rawValue, path: head.path, version: head.version,
                publicationDate: head.publicationDate,
                records: offer.records, prices: offer.priceCount, foundByRegion: offer.foundByRegion,
                kindOrder: ImportedOffer.kindOrder,
                skipped: SkipReason.allCases.compactMap { reason in
                    offer.skipped[reason].map { ($0, reason.explanation) }
                },
                check: head.offer == .ec2 ? (offer.checkRows, offer.checkSum) : nil))
    }

    /// Why a snapshot id cannot be used, if it cannot.
    static func problemWithID(_ id: String) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
        guard let first = id.first, first.isLetter || first.isNumber, id.allSatisfy({ allowed.contains($0) }),
            id.count <= 100
        else {
            return
                "--snapshot must be lower-case letters, digits, '-', '_' or '.', starting with a letter or digit (it names Pricing/<snapshot>.csv), found '\(id)'"
        }
        if id + ".csv" == PricingDirectory.catalogFileName {
            return "--snapshot \(id) would overwrite the instance catalog; choose another name"
        }
        return nil
    }

    static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    static func isFile(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && !directory.boolValue
    }
}

/// A value worked out on a thread of its own from the moment it is made; `value` waits for it.
final class BackgroundValue<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Value?

    init(_ work: @escaping @Sendable () -> Value) {
        let thread = Thread { [self] in
            result = work()
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// The value, once worked out (the semaphore orders the write before the read).
    var value: Value {
        done.wait()
        done.signal()
        return result!
    }
}
