import CSVStream
public import EKSModel

/// `estimate.csv`: RFC 4180, one row per cost line and a final total row. The columns are
/// documented in docs/reports.md and never reordered; new ones go at the end.
public struct CSVEstimateFormatter: EstimateFormatter {
    public static let columns = [
        "scenario", "cluster", "component", "resource", "quantity", "unit", "unit_price_usd", "hours",
        "monthly_usd", "snapshot", "hours_per_month", "group", "price_unit", "region", "price_source",
        "price_source_date", "basis",
    ]

    public var fileName: String { "estimate.csv" }

    public init() {}

    public func format(_ estimate: Estimate) -> [UInt8] {
        var writer = CSVWriter()
        writer.writeRecord(Self.columns)
        let snapshot = estimate.snapshotID
        let hoursPerMonth = DecimalText.format(estimate.period.hours)
        for line in estimate.lines {
            writer.writeRecord([
                estimate.scenario, line.cluster, line.component.rawValue, line.resource,
                Wording.quantityValue(line.quantity), line.unit, DecimalText.format(line.price.usd),
                Wording.hoursValue(line.hours), DecimalText.usd(line.monthlyUSD), snapshot, hoursPerMonth,
                line.group, line.price.unit.rawValue, estimate.region, line.price.source, line.price.sourceDate,
                line.basis ?? "",
            ])
        }
        writer.writeRecord([estimate.scenario, "", "total", "", "", "", "", "", DecimalText.usd(estimate.totalUSD),
                            snapshot, hoursPerMonth, "", "", estimate.region, "", "", ""])
        return writer.bytes
    }
}
