import CSVStream
public import EKSModel

/// `estimate.csv`: RFC 4180, one row per cost line and a final total row. The columns and their
/// order are `EstimateCSVColumn`'s (documented in docs/reports.md), shared with the reader that
/// `ekscost diff` uses.
public struct CSVEstimateFormatter: EstimateFormatter {
    public static let columns = EstimateCSVColumn.allCases.map(\.rawValue)

    public var fileName: String { "estimate.csv" }

    public init() {}

    public func format(_ estimate: Estimate) -> [UInt8] {
        var writer = CSVWriter()
        writer.writeRecord(Self.columns)
        for line in estimate.lines {
            writer.writeRecord(EstimateCSVColumn.allCases.map { Self.field($0, of: line, in: estimate) })
        }
        writer.writeRecord(EstimateCSVColumn.allCases.map { Self.totalField($0, of: estimate) })
        return writer.bytes
    }

    /// One cost line's value in `column`.
    static func field(_ column: EstimateCSVColumn, of line: CostLine, in estimate: Estimate) -> String {
        switch column {
        case .scenario: estimate.scenario
        case .cluster: line.cluster
        case .component: line.component.rawValue
        case .resource: line.resource
        case .quantity: Wording.quantityValue(line.quantity)
        case .unit: line.unit
        case .unitPriceUSD: DecimalText.format(line.price.usd)
        case .hours: Wording.hoursValue(line.hours)
        case .monthlyUSD: DecimalText.usd(line.monthlyUSD)
        case .snapshot: estimate.snapshotID
        case .hoursPerMonth: DecimalText.format(estimate.period.hours)
        case .group: line.group
        case .priceUnit: line.price.unit.rawValue
        case .region: estimate.region
        case .priceSource: line.price.source
        case .priceSourceDate: line.price.sourceDate
        case .basis: line.basis ?? ""
        }
    }

    /// The total row: scenario, `total`, the total, snapshot, month length and region.
    static func totalField(_ column: EstimateCSVColumn, of estimate: Estimate) -> String {
        switch column {
        case .scenario: estimate.scenario
        case .component: "total"
        case .monthlyUSD: DecimalText.usd(estimate.totalUSD)
        case .snapshot: estimate.snapshotID
        case .hoursPerMonth: DecimalText.format(estimate.period.hours)
        case .region: estimate.region
        case .cluster, .resource, .quantity, .unit, .unitPriceUSD, .hours, .group, .priceUnit, .priceSource,
            .priceSourceDate, .basis:
            ""
        }
    }
}
