import EKSInput
import EKSModel
import Foundation

/// Finds the `Pricing/` folder: `--pricing DIR`, then `$EKSCOST_PRICING_DIR`, then `./Pricing`,
/// then a `Pricing/` beside or above the executable (a clone's `.build/release/ekscost`), then
/// `share/ekscost/Pricing` of an installed prefix.
public enum PricingLocator {
    public static let environmentVariable = "EKSCOST_PRICING_DIR"

    public static func locate(explicit: String? = nil) -> Result<PricingDirectory, Diagnostic> {
        var tried: [String] = []
        var candidates: [String] = []
        if let explicit { candidates.append(explicit) }
        if let fromEnvironment = ProcessInfo.processInfo.environment[environmentVariable], !fromEnvironment.isEmpty {
            candidates.append(fromEnvironment)
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/Pricing")
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(folder.appendingPathComponent("Pricing").path)
            candidates.append(folder.appendingPathComponent("share/ekscost/Pricing").path)
            folder = folder.deletingLastPathComponent()
        }
        for candidate in candidates {
            let directory = PricingDirectory(path: candidate)
            if directory.exists { return .success(directory) }
            tried.append(candidate)
            if candidate == explicit {
                return .failure(.error("--pricing \(candidate): no price snapshots or instance catalog there"))
            }
        }
        return .failure(.error("cannot find the Pricing folder (looked in \(tried.prefix(3).joined(separator: ", ")) and beside the executable); run from the project folder, pass --pricing DIR or set \(environmentVariable)"))
    }
}

/// Loads price snapshots and the catalog once per run.
final class PricingStore {
    let directory: PricingDirectory
    private var snapshots: [String: (PriceSnapshot?, [Diagnostic])] = [:]
    private var catalogResult: (InstanceCatalog?, [Diagnostic])?

    init(directory: PricingDirectory) { self.directory = directory }

    func catalog() -> (InstanceCatalog?, [Diagnostic]) {
        if let catalogResult { return catalogResult }
        let path = directory.catalogPath
        let result: (InstanceCatalog?, [Diagnostic])
        if FileManager.default.fileExists(atPath: path) {
            result = InstanceCatalogFile.read(path: path)
        } else {
            result = (nil, [.error("no instance catalog at \(path); generate it with 'ekscost instances import' (see Pricing/README.md)")])
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
        let path = directory.snapshotPath(id)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return snapshot(atPath: path)
    }
}
