import CSVStream
public import EKSModel
import Foundation

/// `ekscost diff` as Markdown: the totals, the change split into price and usage, and every
/// line that moved with what moved.
public enum DiffMarkdown {
    public static func text(_ diff: ReportDiff) -> String {
        let old = diff.old
        let new = diff.new
        var out =
            "# \(name(old)) → \(name(new)): \(DecimalText.usd(old.totalUSD)) → \(DecimalText.usd(new.totalUSD)) USD per month (\(signed(diff.changeUSD)))\n\n"
        out +=
            "Old: `\(old.path)` (snapshot `\(old.snapshot)`, \(DecimalText.format(old.hoursPerMonth)) hours per month) · "
        out +=
            "new: `\(new.path)` (snapshot `\(new.snapshot)`, \(DecimalText.format(new.hoursPerMonth)) hours per month)\n\n"
        out += "| Why | USD |\n|---|--:|\n"
        out += "| Price changes | \(signed(diff.priceEffectUSD)) |\n"
        out += "| Usage changes (quantity, hours) | \(signed(diff.usageEffectUSD)) |\n"
        out += "| Lines added | \(signed(diff.addedUSD)) |\n"
        out += "| Lines removed | \(signed(diff.removedUSD)) |\n"
        if diff.changes.contains(where: \.isCommitment) {
            out +=
                "| Commitments (Savings Plans, Reserved Instances: fees and usage covered) | \(signed(diff.commitmentEffectUSD)) |\n"
        }
        out += "| **Change** | **\(signed(diff.changeUSD))** |\n"
        if diff.changes.isEmpty {
            return out + "\nNo line changed (\(diff.unchanged) line\(diff.unchanged == 1 ? "" : "s")).\n"
        }
        out +=
            "\nA price effect is the old usage at the new price minus the old cost; the usage effect is the rest.\n\n"
        out +=
            "| Cluster | Group | Resource | Old USD | New USD | Change | Price effect | Usage effect | What moved |\n"
        out += "|---|---|---|--:|--:|--:|--:|--:|---|\n"
        for change in diff.changes {
            let line = change.describing
            out += "| \(cell(line.cluster)) | \(cell(line.group)) | \(cell(line.resource)) | "
            out +=
                "\(change.old.map { DecimalText.usd($0.monthlyUSD) } ?? "–") | \(change.new.map { DecimalText.usd($0.monthlyUSD) } ?? "–") | "
            out +=
                "\(signed(change.changeUSD)) | \(signed(change.priceEffectUSD)) | \(signed(change.usageEffectUSD)) | \(cell(whatMoved(change))) |\n"
        }
        out += "\n\(diff.unchanged) line\(diff.unchanged == 1 ? "" : "s") unchanged.\n"
        return out
    }

    static func name(_ report: EstimateReport) -> String { report.scenario.isEmpty ? report.path : report.scenario }

    /// `+2.88`, `-71.00`, `0.00`.
    static func signed(_ usd: Decimal) -> String { (usd > 0 ? "+" : "") + DecimalText.usd(usd) }

    /// `price 0.2 → 0.1 USD/hour; hours 720 → 730`.
    static func whatMoved(_ change: LineChange) -> String {
        let what = change.isCommitment ? "commitment: " : ""
        guard let old = change.old else { return what + "new line" }
        guard let new = change.new else { return what + "line gone" }
        var parts: [String] = []
        if old.unitPriceUSD != new.unitPriceUSD {
            let per = new.priceUnit.isEmpty ? "" : " USD/\(new.priceUnit)"
            parts.append(
                "price \(DecimalText.format(old.unitPriceUSD)) → \(DecimalText.format(new.unitPriceUSD))\(per)")
        }
        if old.quantity != new.quantity {
            parts.append(
                "\(old.unit.isEmpty ? "quantity" : old.unit + "s") \(DecimalText.format(old.quantity)) → \(DecimalText.format(new.quantity))"
            )
        }
        if old.hours != new.hours {
            parts.append("hours \(DecimalText.format(old.hours)) → \(DecimalText.format(new.hours))")
        }
        return what + (parts.isEmpty ? "rounding" : parts.joined(separator: "; "))
    }
}

/// `ekscost diff --format csv`: one row per changed line and a total row, plain numbers.
public enum DiffCSV {
    public static let columns = [
        "cluster", "component", "group", "resource", "old_monthly_usd", "new_monthly_usd", "change_usd",
        "price_effect_usd", "usage_effect_usd", "reason", "old_unit_price_usd", "new_unit_price_usd",
        "old_quantity", "new_quantity", "old_hours", "new_hours", "commitment_effect_usd",
    ]

    public static func format(_ diff: ReportDiff) -> [UInt8] {
        var writer = CSVWriter()
        writer.writeRecord(columns)
        let number = { (value: Decimal?) in value.map { DecimalText.format($0) } ?? "" }
        for change in diff.changes {
            let line = change.describing
            writer.writeRecord([
                line.cluster, line.component, line.group, line.resource, DecimalText.usd(change.oldUSD),
                DecimalText.usd(change.newUSD), DecimalText.usd(change.changeUSD),
                DecimalText.usd(change.priceEffectUSD),
                DecimalText.usd(change.usageEffectUSD), change.reason.rawValue,
                number(change.old?.unitPriceUSD), number(change.new?.unitPriceUSD),
                number(change.old?.quantity), number(change.new?.quantity),
                number(change.old?.hours), number(change.new?.hours), DecimalText.usd(change.commitmentEffectUSD),
            ])
        }
        writer.writeRecord([
            "", "total", "", "", DecimalText.usd(diff.old.totalUSD), DecimalText.usd(diff.new.totalUSD),
            DecimalText.usd(diff.changeUSD), DecimalText.usd(diff.priceEffectUSD),
            DecimalText.usd(diff.changeUSD - diff.priceEffectUSD - diff.commitmentEffectUSD), "", "", "", "", "", "",
            "",
            DecimalText.usd(diff.commitmentEffectUSD),
        ])
        return writer.bytes
    }
}
