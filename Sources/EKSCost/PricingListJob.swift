import EKSInput
import EKSModel
import Foundation

/// `ekscost pricing list`: the snapshots in the Pricing folder with their regions, dates and sources.
public enum PricingListJob {
    public static func run(pricing: String?, showSources: Bool = false) -> CommandResult {
        let directory: PricingDirectory
        switch PricingLocator.locate(explicit: pricing) {
        case .success(let found): directory = found
        case .failure(let diagnostic): return .failure([diagnostic])
        }
        let store = PricingStore(directory: directory)
        let defaultID = directory.defaultSnapshotID()
        var result = CommandResult()
        var rows: [[String]] = []
        var details = ""
        for id in directory.snapshotIDs() {
            let (snapshot, diagnostics) = store.snapshot(atPath: directory.snapshotPath(id))
            result.diagnostics += diagnostics
            guard let snapshot else {
                rows.append([id == defaultID ? "\(id) *" : id, "invalid", "", "", "see errors"])
                continue
            }
            rows.append([id == defaultID ? "\(id) *" : id, snapshot.date.description,
                         regionsText(snapshot.regions), String(snapshot.count),
                         "\(snapshot.sources.count) source\(snapshot.sources.count == 1 ? "" : "s")"])
            details += "\n\(id) regions: \(snapshot.regions.joined(separator: " "))\n"
            details += "\(id) sources:\n" + snapshot.sources.map { "  - \($0)\n" }.joined()
        }
        if rows.isEmpty {
            result.messages.append("no price snapshots in \(directory.path)")
        }
        result.stdout = TextTable.render(header: ["snapshot", "date", "regions", "prices", "sources"], rows: rows, rightAligned: [3])
        result.stdout += "\n* default snapshot (named in \(directory.path)/\(PricingDirectory.defaultFileName))\n"
        if showSources { result.stdout += details }
        if !showSources, rows.contains(where: { $0[2].contains("regions:") }) {
            result.stdout += "(--sources also lists every region of each snapshot)\n"
        }
        if result.diagnostics.hasErrors { result.status = .inputError }
        return result
    }

    /// A few regions by name; an imported snapshot of every region by count, first and last.
    static func regionsText(_ regions: [String]) -> String {
        regions.count <= 4 ? regions.joined(separator: " ") : "\(regions.count) regions: \(regions[0]) … \(regions[regions.count - 1])"
    }
}
