import EKSInput
import EKSModel
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
        var rows: [[String]] = []
        var details = ""
        for id in folders.snapshotIDs() {
            guard let path = folders.snapshotPath(id) else { continue }
            let (snapshot, diagnostics) = store.snapshot(atPath: path)
            result.diagnostics += diagnostics
            let folder = folders.bundled.map { path.hasPrefix($0.path + "/") } == true ? "bundled" : "user"
            guard let snapshot else {
                rows.append([id == defaultID ? "\(id) *" : id, "invalid", "", "", "", "see errors", folder])
                continue
            }
            rows.append([id == defaultID ? "\(id) *" : id, snapshot.date.description,
                         regionsText(snapshot.regions), offersText(snapshot), String(snapshot.count),
                         "\(snapshot.sources.count) source\(snapshot.sources.count == 1 ? "" : "s")", folder])
            details += "\n\(id) regions: \(snapshot.regions.joined(separator: " "))\n"
            details += "\(id) sources:\n" + snapshot.sources.map { "  - \($0)\n" }.joined()
        }
        if rows.isEmpty {
            result.messages.append("no price snapshots in \(folders.description)")
        }
        result.stdout = TextTable.render(header: ["snapshot", "date", "regions", "offers", "prices", "sources", "folder"], rows: rows, rightAligned: [4])
        result.stdout += "\nuser folder: \(folders.user.path)" + (folders.bundled.map { "\nbundled folder: \($0.path)" } ?? "") + "\n"
        result.stdout += "* default snapshot (named in \(PricingDirectory.defaultFileName)); a scenario that names no snapshot uses the newest that covers its region\n"
        if showSources { result.stdout += details }
        if !showSources, rows.contains(where: { $0[2].contains("regions:") }) {
            result.stdout += "(--sources also lists every region of each snapshot)\n"
        }
        if result.diagnostics.hasErrors { result.status = .inputError }
        return result
    }

    /// The AWS offers the snapshot's prices come from (`AmazonEC2 AmazonEKS …`, from their
    /// sources), else its services (`ec2 eks vpc`) for hand-made snapshots.
    static func offersText(_ snapshot: PriceSnapshot) -> String {
        let codes = Set(snapshot.sources.compactMap { source -> String? in
            guard source.hasPrefix("AWS Price List ") else { return nil }
            let code = source.dropFirst("AWS Price List ".count).prefix { $0 != " " && $0 != "," }
            return code.hasPrefix("Amazon") || code.hasPrefix("AWS") ? String(code) : nil
        })
        if !codes.isEmpty { return codes.sorted().joined(separator: " ") }
        return Set(snapshot.allPrices.map(\.key.service)).sorted().joined(separator: " ")
    }

    /// A few regions by name; an imported snapshot of every region by count, first and last.
    static func regionsText(_ regions: [String]) -> String {
        regions.count <= 4 ? regions.joined(separator: " ") : "\(regions.count) regions: \(regions[0]) … \(regions[regions.count - 1])"
    }
}
