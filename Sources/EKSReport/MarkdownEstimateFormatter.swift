import EKSModel

/// `estimate.md`: GitHub-flavoured Markdown, the summary first, then every cost line with how
/// it was computed, the notes and the prices used with their sources.
public struct MarkdownEstimateFormatter: EstimateFormatter {
    public var fileName: String { "estimate.md" }

    public init() {}

    public func format(_ estimate: Estimate) -> [UInt8] {
        var out = Self.summary(estimate)
        out += "\n## Cost lines\n\n"
        out += "Each line is quantity × unit price × hours (prices per GB-month × hours ÷ hours per month), "
        out += "rounded to the cent, half away from zero. The total is the sum of the rounded lines.\n\n"
        out += "| Cluster | Group | Resource | Computation | Monthly USD |\n|---|---|---|---|--:|\n"
        for line in estimate.lines {
            var computation = Wording.computation(line)
            if let detail = Wording.detail(line) { computation += " (\(detail))" }
            out += "| \(cell(line.cluster)) | \(cell(line.group)) | \(cell(line.resource)) | \(cell(computation)) | \(DecimalText.usd(line.monthlyUSD)) |\n"
        }
        out += "| **Total** | | | | **\(DecimalText.usd(estimate.totalUSD))** |\n"
        if !estimate.notes.isEmpty {
            out += "\n## Notes\n\n"
            for note in estimate.notes { out += "- \(note)\n" }
        }
        out += "\n## Prices used\n\n| Price | USD | Per | Source | Date |\n|---|--:|---|---|---|\n"
        var seen = Set<PriceKey>()
        for line in estimate.lines where seen.insert(line.price.key).inserted {
            let price = line.price
            out += "| \(cell(price.key.description)) | \(DecimalText.format(price.usd, minimumFractionDigits: 2)) | \(price.unit.rawValue) | \(cell(price.source)) | \(price.sourceDate) |\n"
        }
        return Array(out.utf8)
    }

    /// The title and the summary table: what `ekscost estimate` also prints on stdout.
    public static func summary(_ estimate: Estimate) -> String {
        var out = "# \(estimate.scenario): \(DecimalText.usd(estimate.totalUSD)) USD per month\n\n"
        out += "Region \(estimate.region) · price snapshot `\(estimate.snapshotID)` (\(estimate.snapshotDate)) · "
        out += "\(Wording.periodLabel(estimate.period))\n\n"
        out += "## Summary\n\n| Cluster | Component | Monthly USD |\n|---|---|--:|\n"
        for subtotal in estimate.subtotals {
            out += "| \(cell(subtotal.cluster)) | \(subtotal.component.title) | \(DecimalText.usd(subtotal.usd)) |\n"
        }
        out += "| **Total** | | **\(DecimalText.usd(estimate.totalUSD))** |\n"
        return out
    }
}

/// A table cell: pipes escaped, line breaks flattened.
func cell(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
}
