import EKSModel
import EKSReport
import Foundation

/// Options shared by the commands that read scenarios.
public struct RunOptions: Sendable {
    /// `--pricing`: a snapshot id, a snapshot file or a Pricing folder.
    public var pricing: String?
    public var outDirectory = "Reports"
    public var formats: [ReportFormat] = [.csv, .md]
    public var hoursPerMonth: Decimal?
    public var month: CalendarMonth?
    public var asOf: CalendarDate?
    public var budget: Decimal?
    public var quiet = false

    public init() {}
}

extension CalendarDate {
    /// Today in UTC.
    public static func today() -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}
