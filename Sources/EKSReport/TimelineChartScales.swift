import EKSModel
import Foundation

/// The chart's axes: whole-number node ticks, round-cent cost ticks and day labels with
/// their calendar dates.
enum TimelineChartScales {
    /// Ticks from 0 for whole nodes, at most six: a step of ceil(peak ÷ 5), up to the first
    /// multiple of it at or above the peak (5 nodes: 0 1 2 3 4 5; 9 nodes: 0 2 4 6 8 10).
    static func nodeTicks(peak: Int) -> [Int] {
        let step = max(1, (peak + 4) / 5)
        let top = max(1, (peak + step - 1) / step) * step
        return Array(stride(from: 0, through: top, by: step))
    }

    /// Ticks from 0 in USD at the first step of 1, 2 or 5 × 10ⁿ cents that reaches `peak` in at
    /// most five steps (0.58 per hour: 0 0.20 0.40 0.60; 1.19: 0 0.50 1.00 1.50).
    static func costTicks(peak: Decimal) -> [Decimal] {
        // 0.01 → 0.02 → 0.05 → 0.10 → 0.20 → 0.50 → 1.00 …
        let multipliers = [Decimal(2), Decimal(string: "2.5")!, Decimal(2)]
        var step = Decimal(string: "0.01")!
        var index = 0
        while step * 5 < peak {
            step *= multipliers[index % multipliers.count]
            index += 1
        }
        var ticks: [Decimal] = [0]
        while ticks.last! < peak { ticks.append(ticks.last! + step) }
        return ticks.count == 1 ? [0, step] : ticks
    }

    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The label at the start of day `day` (0-based) of the period: `Sun 1 Nov` in a calendar
    /// month; `Mon day 1` in a month of N hours, which has no dates and starts on a Monday
    /// (`BillingPeriod.weekOffsetSeconds`).
    static func dayLabel(_ day: Int, period: BillingPeriod) -> String {
        let weekday = weekdays[(period.weekOffsetSeconds / 86400 + day) % 7]
        guard let month = period.month else { return "\(weekday) day \(day + 1)" }
        return "\(weekday) \(day + 1) \(months[month.month - 1])"
    }

    /// Every how many days a label goes (the others get a tick): about ten labels at most.
    static func labelEvery(days: Int) -> Int {
        switch days {
        case ...10: 1
        case ...20: 2
        case ...31: 3
        default: 7
        }
    }

    /// `November 2026 (UTC)` or `a 730-hour month from a Monday (no calendar month given)`.
    static func periodCaption(_ period: BillingPeriod) -> String {
        let names = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        guard let month = period.month else {
            return "a \(DecimalText.format(period.hours))-hour month from a Monday (no calendar month given)"
        }
        return "\(names[month.month - 1]) \(month.year) (UTC)"
    }
}
