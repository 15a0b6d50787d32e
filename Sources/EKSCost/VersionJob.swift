import EKSInput
import EKSModel
import Foundation

/// `ekscost --version`: the program's version and the price snapshot it uses by default, so
/// that a bug report or a cron log says which prices a run could have used.
package enum VersionJob {
    package static let version = "0.1.0"

    package static func run() -> CommandResult {
        var result = CommandResult()
        result.stdout = "ekscost \(version)\n"
        switch PricingFolders.locate() {
        case .failure(let diagnostic):
            result.stdout += "default price snapshot: none (\(diagnostic.message))\n"
        case .success(let folders):
            result.stdout += "default price snapshot: \(snapshotText(folders))\n"
        }
        return result
    }

    /// `aws-2026-11 of 2026-11-23 (/usr/local/share/ekscost/Pricing)`.
    static func snapshotText(_ folders: PricingFolders) -> String {
        guard let id = folders.defaultSnapshotID() else {
            return "none named in \(PricingDirectory.defaultFileName) (\(folders.description))"
        }
        guard let path = folders.snapshotPath(id) else { return "\(id), not found in \(folders.description)" }
        let date = PriceSnapshotFile.date(path: path).map { " of \($0)" } ?? ", undated"
        return "\(id)\(date) (\((path as NSString).deletingLastPathComponent))"
    }
}
