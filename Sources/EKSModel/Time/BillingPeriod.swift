public import Foundation

/// The month being priced: either a number of hours (AWS's 730-hour convention by default) or a
/// calendar month, whose hours are its days × 24.
public struct BillingPeriod: Sendable, Hashable, CustomStringConvertible {
    /// AWS's pricing calculator and Infracost bill a month as 365 × 24 / 12 = 730 hours.
    public static let defaultHoursPerMonth: Decimal = 730

    public let hours: Decimal
    /// Set when the period is a calendar month.
    public let month: CalendarMonth?

    public init(hoursPerMonth: Decimal = BillingPeriod.defaultHoursPerMonth) {
        hours = hoursPerMonth
        month = nil
    }

    public init(month: CalendarMonth) {
        hours = Decimal(month.hours)
        self.month = month
    }

    /// The 730-hour convention.
    public static let standard = BillingPeriod()

    public var description: String {
        if let month { return "\(month) (\(DecimalText.format(hours)) hours)" }
        return "\(DecimalText.format(hours)) hours per month"
    }

    /// The folder name a report for this period goes into, if any: a calendar month gets its
    /// own folder so nightly runs for different months do not overwrite each other.
    public var folderName: String? { month?.description }
}
