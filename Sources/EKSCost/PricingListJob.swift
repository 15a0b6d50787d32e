import EKSInput
import EKSModel
import EKSReport
import Foundation

/// `ekscost pricing list`: the snapshots in the Pricing folder with their regions, dates and sources.
package enum PricingListJob {
    package static func run(pricing: String?, showSources: Bool = false) -> CommandResult {
        let folders: PricingFolders
        switch PricingFolders.locate(explicit: pricing) {
        case .success(let found): folders = found
        case .failure(let diagnostic): return .failure([diagnostic])
        }
        let store = PricingStore(folders: folders)
        let defaultID = folders.defaultSnapshotID()
        var result = CommandResult()
        var entries: [PricingListFormatter.Entry] = []
        for id in folders.snapshotIDs() {
            guard let path = folders.snapshotPath(id) else { continue }
            let (snapshot, diagnostics) = store.snapshot(atPath: path)
            result.diagnostics += diagnostics
            let bundled = folders.bundled.map { path.hasPrefix($0.path + "/") } == true
            entries.append(
                PricingListFormatter.Entry(id: id, isDefault: id == defaultID, bundled: bundled, snapshot: snapshot))
        }
        if entries.isEmpty {
            result.messages.append("no price snapshots in \(folders.description)")
        }
        result.stdout = PricingListFormatter.format(
            entries, userFolder: folders.user.path, bundledFolder: folders.bundled?.path,
            defaultFileName: PricingDirectory.defaultFileName, showSources: showSources)
        if result.diagnostics.hasErrors { result.status = .inputError }
        return result
    }
}
