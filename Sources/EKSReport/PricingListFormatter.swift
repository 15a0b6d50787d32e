public import EKSModel
import Foundation

/// `ekscost pricing list`: a table of the snapshots (date, regions, offers, prices, sources,
/// folder), the folders, and with `showSources` every snapshot's regions and sources.
public enum PricingListFormatter {
    /// One snapshot of the folders; `snapshot` is nil when it could not be read (the errors
    /// say why).
    public struct Entry: Sendable {
        public var id: String
        /// Whether it is the default snapshot (named in `default-snapshot`).
        public var isDefault: Bool
        /// In the bundled folder rather than the user's.
        public var bundled: Bool
        public var snapshot: PriceSnapshot?

        public init(id: String, isDefault: Bool, bundled: Bool, snapshot: PriceSnapshot?) {
            self.id = id
            self.isDefault = isDefault
            self.bundled = bundled
            self.snapshot = snapshot
        }
    }

    public static func format(
        _ entries: [Entry], userFolder: String, bundledFolder: String?, defaultFileName: String,
        showSources: Bool
    ) -> String {
        var rows: [[String]] = []
        var details = ""
        for entry in entries {
            let id = entry.id
            let folder = entry.bundled ? "bundled" : "user"
            guard let snapshot = entry.snapshot else {
                rows.append([entry.isDefault ? "\(id) *" : id, "invalid", "", "", "", "see errors", folder])
                continue
            }
            rows.append([
                entry.isDefault ? "\(id) *" : id, snapshot.date.description,
                regionsText(snapshot.regions), offersText(snapshot), String(snapshot.count),
                "\(snapshot.sources.count) source\(snapshot.sources.count == 1 ? "" : "s")", folder,
            ])
            details += "\n\(id) regions: \(snapshot.regions.joined(separator: " "))\n"
            details += "\(id) sources:\n" + snapshot.sources.map { "  - \($0)\n" }.joined()
        }
        var out = TextTable.render(
            header: ["snapshot", "date", "regions", "offers", "prices", "sources", "folder"], rows: rows,
            rightAligned: [4])
        out += "\nuser folder: \(userFolder)" + (bundledFolder.map { "\nbundled folder: \($0)" } ?? "") + "\n"
        out +=
            "* default snapshot (named in \(defaultFileName)); a scenario that names no snapshot uses the newest that covers its region\n"
        if showSources { out += details }
        if !showSources, rows.contains(where: { $0[2].contains("regions:") }) {
            out += "(--sources also lists every region of each snapshot)\n"
        }
        return out
    }

    /// The AWS offers the snapshot's prices come from (`AmazonEC2 AmazonEKS …`, from their
    /// sources), else its services (`ec2 eks vpc`) for hand-made snapshots.
    static func offersText(_ snapshot: PriceSnapshot) -> String {
        let codes = Set(
            snapshot.sources.compactMap { source -> String? in
                guard source.hasPrefix("AWS Price List ") else { return nil }
                let code = source.dropFirst("AWS Price List ".count).prefix { $0 != " " && $0 != "," }
                return code.hasPrefix("Amazon") || code.hasPrefix("AWS") ? String(code) : nil
            })
        if !codes.isEmpty { return codes.sorted().joined(separator: " ") }
        return Set(snapshot.allPrices.map(\.key.service)).sorted().joined(separator: " ")
    }

    /// A few regions by name; an imported snapshot of every region by count, first and last.
    static func regionsText(_ regions: [String]) -> String {
        regions.count <= 4
            ? regions.joined(separator: " ") : "\(regions.count) regions: \(regions[0]) … \(regions[regions.count - 1])"
    }
}
