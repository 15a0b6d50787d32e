import Foundation

/// A load curve: one or more series sampled at a fixed interval, each value holding until the
/// next sample, repeating after its length.
///
/// Hour-of-week curves are anchored to the week (hour 0 is Monday 00:00 UTC), so the simulated
/// month meets them on its real weekdays; timestamp curves start at the period's start.
public struct LoadCurve: Sendable {
    public enum Anchor: Sendable, Hashable {
        /// Sample 0 is Monday 00:00.
        case week
        /// Sample 0 is the start of the period.
        case periodStart
    }

    public let name: String
    public let intervalSeconds: Int
    public let anchor: Anchor
    /// Column name → samples (all the same length).
    public let columns: [String: [Double]]
    /// The column a reference without one means (a parametric shape's only column).
    public let defaultColumn: String?

    public init(
        name: String, intervalSeconds: Int, anchor: Anchor, columns: [String: [Double]], defaultColumn: String? = nil
    ) {
        self.name = name
        self.intervalSeconds = intervalSeconds
        self.anchor = anchor
        self.columns = columns
        self.defaultColumn = defaultColumn ?? (columns.count == 1 ? columns.keys.first : nil)
    }

    public var sampleCount: Int { columns.values.first?.count ?? 0 }
    public var lengthSeconds: Int { sampleCount * intervalSeconds }

    /// The samples of `column` (the default column when nil).
    public func series(_ column: String?) -> [Double]? {
        guard let name = column ?? defaultColumn else { return nil }
        return columns[name]
    }

    /// Index of the sample in force at `second` seconds after the period start, where the
    /// period starts `weekOffset` seconds after a Monday 00:00.
    public func sampleIndex(atSecond second: Int, weekOffset: Int) -> Int {
        let shifted = anchor == .week ? second + weekOffset : second
        let length = lengthSeconds
        guard length > 0 else { return 0 }
        return ((shifted % length) + length) % length / intervalSeconds
    }
}

/// A parametric daily shape: `base` outside peak hours, `peak` inside them on the given weekdays.
public struct ParametricShape: Sendable, Hashable {
    public var base: Double
    public var peak: Double
    /// Peak from this hour (inclusive) to `peakEndHour` (exclusive), 0–24.
    public var peakStartHour: Int
    public var peakEndHour: Int
    /// Days with a peak, 0 = Monday … 6 = Sunday.
    public var weekdays: Set<Int>

    public init(base: Double, peak: Double, peakStartHour: Int, peakEndHour: Int, weekdays: Set<Int> = Set(0...4)) {
        self.base = base
        self.peak = peak
        self.peakStartHour = peakStartHour
        self.peakEndHour = peakEndHour
        self.weekdays = weekdays
    }

    /// The shape as an hour-of-week curve with one column named "value".
    public func curve(name: String) -> LoadCurve {
        let values = (0..<168).map { hour -> Double in
            let day = hour / 24
            let hourOfDay = hour % 24
            return weekdays.contains(day) && hourOfDay >= peakStartHour && hourOfDay < peakEndHour ? peak : base
        }
        return LoadCurve(
            name: name, intervalSeconds: 3600, anchor: .week, columns: ["value": values], defaultColumn: "value")
    }
}

extension BillingPeriod {
    /// Seconds in the period.
    public var seconds: Int { DecimalText.truncated(hours * 3600).intValue }

    /// Seconds from the Monday 00:00 before the period's start to its start: a calendar month
    /// starts on its real weekday, a month of N hours on a Monday.
    public var weekOffsetSeconds: Int {
        guard let month else { return 0 }
        // CronSchedule.weekday: 0 = Sunday; Monday-based: (weekday + 6) % 7.
        let weekday = (CronSchedule.weekday(year: month.year, month: month.month, day: 1) + 6) % 7
        return weekday * 86400
    }
}
