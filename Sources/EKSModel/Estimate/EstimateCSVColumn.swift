/// The columns of `estimate.csv`, in file order: the one definition that the writer
/// (EKSReport's `CSVEstimateFormatter`) and the reader `ekscost diff` uses (EKSInput's
/// `EstimateCSVFile`) share. Documented in docs/reports.md; never reordered, new ones go at the
/// end (a reader finds columns by name, so reports with fewer still read).
public enum EstimateCSVColumn: String, CaseIterable, Sendable {
    case scenario, cluster, component, resource, quantity, unit
    case unitPriceUSD = "unit_price_usd"
    case hours
    case monthlyUSD = "monthly_usd"
    case snapshot
    case hoursPerMonth = "hours_per_month"
    case group
    case priceUnit = "price_unit"
    case region
    case priceSource = "price_source"
    case priceSourceDate = "price_source_date"
    case basis

    /// The columns of the first version of the file, which every estimate.csv has; the later
    /// ones (from `group` on) may be missing in older reports.
    public static let required: [EstimateCSVColumn] = [
        .scenario, .cluster, .component, .resource, .quantity, .unit, .unitPriceUSD, .hours, .monthlyUSD, .snapshot,
        .hoursPerMonth,
    ]
}
