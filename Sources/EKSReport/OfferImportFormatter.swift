public import EKSModel
public import Foundation

/// What `ekscost pricing import` (and `pricing fetch`) prints about each AWS offer file it read:
/// prices found per region and kind, rows skipped per reason, and for AmazonEC2 the check
/// figures a plain query of the file gives.
public enum OfferImportFormatter {
    /// One file's figures.
    public struct Figures: Sendable {
        /// The offer code (`AmazonEC2`), the file, its version and publication date.
        public var offer: String
        public var path: String
        public var version: String
        public var publicationDate: String
        /// Data rows read and prices found.
        public var records: Int
        public var prices: Int
        /// Prices found per region, by kind; regions sorted.
        public var foundByRegion: [(region: String, counts: [(kind: String, count: Int)])]
        /// Every kind of price in column order.
        public var kindOrder: [String]
        /// Rows that gave no price: how many, and why, in the order of the reasons.
        public var skipped: [(count: Int, reason: String)]
        /// AmazonEC2 only: On-Demand Linux rows on shared tenancy and the sum of their prices.
        public var check: (rows: Int, sumUSD: Decimal)?

        public init(
            offer: String, path: String, version: String, publicationDate: String, records: Int, prices: Int,
            foundByRegion: [(region: String, counts: [(kind: String, count: Int)])], kindOrder: [String],
            skipped: [(count: Int, reason: String)], check: (rows: Int, sumUSD: Decimal)?
        ) {
            self.offer = offer
            self.path = path
            self.version = version
            self.publicationDate = publicationDate
            self.records = records
            self.prices = prices
            self.foundByRegion = foundByRegion
            self.kindOrder = kindOrder
            self.skipped = skipped
            self.check = check
        }
    }

    public static func format(_ figures: Figures) -> String {
        var out =
            "\(figures.offer) \(figures.path) (version \(figures.version), published \(figures.publicationDate)): \(figures.records) rows, \(figures.prices) prices\n"
        let found = figures.foundByRegion
        let kinds = figures.kindOrder.filter { kind in found.contains { $0.counts.contains { $0.kind == kind } } }
        if !found.isEmpty {
            out += "  found, by region:\n"
            var rows = found.map { entry in
                [entry.region]
                    + kinds.map { kind in entry.counts.first { $0.kind == kind }.map { String($0.count) } ?? "" }
            }
            rows.append(
                ["total"]
                    + kinds.map { kind in
                        String(found.reduce(0) { $0 + ($1.counts.first { $0.kind == kind }?.count ?? 0) })
                    })
            out += TextTable.render(header: ["region"] + kinds, rows: rows, rightAligned: Set(1...kinds.count))
                .split(separator: "\n").map { "    " + $0 + "\n" }.joined()
        }
        if !figures.skipped.isEmpty {
            out += "  skipped, by reason:\n"
            let width = String(figures.skipped.map(\.count).max() ?? 0).count
            for (count, reason) in figures.skipped {
                let number = String(count)
                out += "    " + String(repeating: " ", count: width - number.count) + number + "  " + reason + "\n"
            }
        }
        if let check = figures.check {
            out +=
                "  check: \(check.rows) On-Demand Linux rows on Shared tenancy (any software, licence or capacity status), prices summing to \(DecimalText.format(check.sumUSD))\n"
        }
        return out
    }
}
