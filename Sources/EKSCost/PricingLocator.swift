package import EKSInput
package import EKSModel
package import Foundation

/// The folders prices are read from: the user's data folder, where `pricing fetch` and
/// `pricing import` write (so that an installed ekscost needs no write access to its own
/// folder), and the bundled `Pricing/` (catalog, default snapshot, bundled snapshots).
///
/// - User folder: `$EKSCOST_PRICING_DIR`, else `$XDG_DATA_HOME/ekscost/Pricing`, else
///   `~/.local/share/ekscost/Pricing` (XDG Base Directory Specification's default data home).
/// - Bundled folder: `./Pricing`, else `../share/ekscost/Pricing` from the executable's folder
///   (`make install PREFIX=/usr/local` puts the binary in `bin/` and the data there), else a
///   `Pricing/` beside or above the executable (a clone's `.build/release/ekscost`).
/// - `--pricing DIR` names the one folder read and written instead of both.
///
/// A snapshot id in both folders is read from the user folder.
package struct PricingFolders: Sendable {
    package static let environmentVariable = "EKSCOST_PRICING_DIR"

    /// Read first; written by fetch and import.
    package let user: PricingDirectory
    package let bundled: PricingDirectory?

    /// Both folders, user first.
    package var all: [PricingDirectory] { [user] + (bundled.map { [$0] } ?? []) }

    package static func locate(explicit: String? = nil) -> Result<PricingFolders, Diagnostic> {
        if let explicit {
            let directory = PricingDirectory(path: explicit)
            guard directory.exists else {
                return .failure(.error("--pricing \(explicit): no price snapshots or instance catalog there"))
            }
            return .success(PricingFolders(user: directory, bundled: nil))
        }
        let user = PricingDirectory(path: userFolderPath())
        let candidates = bundledCandidates(
            currentDirectory: FileManager.default.currentDirectoryPath,
            executable: executablePath())
        let bundled = candidates.lazy.map(PricingDirectory.init).first { $0.exists && $0.path != user.path }
        let folders = PricingFolders(user: user, bundled: bundled)
        guard folders.catalogPath != nil || !folders.snapshotIDs().isEmpty else {
            return .failure(
                .error(
                    "cannot find the Pricing folder (looked in \(user.path), \(candidates.prefix(2).joined(separator: ", ")) and beside the executable); run from the project folder, pass --pricing DIR or set \(environmentVariable)"
                ))
        }
        return .success(folders)
    }

    /// Where the bundled folder may be, in order: the working folder's `Pricing/`, an installed
    /// prefix's `share/ekscost/Pricing` (the executable in `<prefix>/bin`), then a `Pricing/`
    /// beside the executable or up to five folders above it (a clone's `.build/<triple>/release`).
    static func bundledCandidates(currentDirectory: String, executable: String) -> [String] {
        let binFolder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        var candidates = [
            URL(fileURLWithPath: currentDirectory).appendingPathComponent("Pricing").path,
            binFolder.deletingLastPathComponent().appendingPathComponent("share/ekscost/Pricing").path,
        ]
        var folder = binFolder
        for _ in 0..<6 {
            candidates.append(folder.appendingPathComponent("Pricing").path)
            folder = folder.deletingLastPathComponent()
        }
        return candidates
    }

    /// The running executable's path. `argv[0]` is only `ekscost` when the shell found it on
    /// PATH, so Linux's `/proc/self/exe` (proc(5)) comes first; elsewhere Foundation's answer.
    static func executablePath() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return Bundle.main.executablePath ?? CommandLine.arguments.first ?? ""
    }

    /// `$EKSCOST_PRICING_DIR`, `$XDG_DATA_HOME/ekscost/Pricing` or `~/.local/share/ekscost/Pricing`.
    package static func userFolderPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment[environmentVariable], !path.isEmpty { return path }
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/ekscost/Pricing" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/ekscost/Pricing"
    }

    /// Ids of the snapshots in both folders, sorted.
    package func snapshotIDs() -> [String] { Array(Set(all.flatMap { $0.snapshotIDs() })).sorted() }

    /// The file of snapshot `id`: the user folder's, else the bundled one.
    package func snapshotPath(_ id: String) -> String? {
        all.map { $0.snapshotPath(id) }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The instance catalog: the user folder's if it has one, else the bundled one.
    package var catalogPath: String? {
        all.map(\.catalogPath).first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The id in `default-snapshot`: the user folder's, else the bundled folder's.
    package func defaultSnapshotID() -> String? { all.lazy.compactMap { $0.defaultSnapshotID() }.first }

    /// `~/.local/share/ekscost/Pricing and /opt/ekscost/Pricing`, for messages.
    package var description: String { all.map(\.path).joined(separator: " and ") }
}

/// Loads price snapshots and the catalog once per run.
final class PricingStore {
    let folders: PricingFolders
    private var snapshots: [String: (PriceSnapshot?, [Diagnostic])] = [:]
    private var catalogResult: (InstanceCatalog?, [Diagnostic])?

    init(folders: PricingFolders) { self.folders = folders }

    func catalog() -> (InstanceCatalog?, [Diagnostic]) {
        if let catalogResult { return catalogResult }
        let result: (InstanceCatalog?, [Diagnostic])
        if let path = folders.catalogPath {
            result = InstanceCatalogFile.read(path: path)
        } else {
            result = (
                nil,
                [
                    .error(
                        "no instance catalog (\(PricingDirectory.catalogFileName)) in \(folders.description); generate it with 'ekscost instances import' (see Pricing/README.md)"
                    )
                ]
            )
        }
        catalogResult = result
        return result
    }

    /// A snapshot by file path.
    func snapshot(atPath path: String) -> (PriceSnapshot?, [Diagnostic]) {
        if let cached = snapshots[path] { return cached }
        let result = PriceSnapshotFile.read(path: path)
        snapshots[path] = result
        return result
    }

    func snapshot(id: String) -> (PriceSnapshot?, [Diagnostic])? {
        guard let path = folders.snapshotPath(id) else { return nil }
        return snapshot(atPath: path)
    }

    /// The newest snapshot (by its date; the user folder's first on a tie) that has prices for
    /// `region`, and how many were looked at. Snapshots are read newest first, only as far as needed.
    func newestSnapshot(covering region: String) -> (snapshot: PriceSnapshot, diagnostics: [Diagnostic])? {
        var candidates: [(date: String, rank: Int, id: String, path: String)] = []
        for (rank, folder) in folders.all.enumerated() {
            for id in folder.snapshotIDs() where !candidates.contains(where: { $0.id == id }) {
                let path = folder.snapshotPath(id)
                candidates.append((PriceSnapshotFile.date(path: path)?.description ?? "", rank, id, path))
            }
        }
        candidates.sort { ($0.date, -$0.rank, $0.id) > ($1.date, -$1.rank, $1.id) }
        for candidate in candidates {
            let (snapshot, diagnostics) = snapshot(atPath: candidate.path)
            if let snapshot, snapshot.hasRegion(region) { return (snapshot, diagnostics) }
        }
        return nil
    }
}
