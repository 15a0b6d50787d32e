public import Foundation

/// A Kubernetes CronJob schedule: five fields (minute hour day-of-month month day-of-week) with
/// `*`, lists, ranges, steps and month / weekday names, or a macro (`@hourly` … `@yearly`).
///
/// Kubernetes parses schedules with robfig/cron's standard parser: when both day-of-month and
/// day-of-week are restricted, a day matches if either does (as in Vixie cron). Times are UTC
/// unless the CronJob sets `timeZone`, which ekscost ignores (counts per month do not change).
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    /// 0 = Sunday.
    let daysOfWeek: Set<Int>
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    public var description: String { text }

    static let macros = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]
    static let monthNames = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
        "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    ]
    static let dayNames = ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]

    /// Parses `text`, or says what is wrong with it.
    public static func parse(_ text: String) -> Result<CronSchedule, CronError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var expression = macros[trimmed.lowercased()] ?? trimmed
        if trimmed.lowercased().hasPrefix("cron_tz=") || trimmed.lowercased().hasPrefix("tz=") {
            // A time zone prefix: the counts per month are the same in any zone.
            expression = String(trimmed.drop { $0 != " " }).trimmingCharacters(in: .whitespaces)
        }
        if expression.hasPrefix("@") {
            return .failure(
                CronError(text: text, problem: "unknown macro; use @hourly, @daily, @weekly, @monthly or @yearly"))
        }
        let fields = expression.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 5 else {
            return .failure(
                CronError(
                    text: text,
                    problem: "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)"))
        }
        do {
            let minutes = try parseField(fields[0], 0...59, names: [:], what: "minute")
            let hours = try parseField(fields[1], 0...23, names: [:], what: "hour")
            let days = try parseField(fields[2], 1...31, names: [:], what: "day of month")
            let months = try parseField(fields[3], 1...12, names: monthNames, what: "month")
            var weekdays = try parseField(fields[4], 0...7, names: dayNames, what: "day of week")
            if weekdays.contains(7) {
                weekdays.remove(7)
                weekdays.insert(0)
            }  // 7 is Sunday too
            return .success(
                CronSchedule(
                    text: text, minutes: minutes, hours: hours, daysOfMonth: days, months: months,
                    daysOfWeek: weekdays, dayOfMonthRestricted: !fields[2].hasPrefix("*") && fields[2] != "?",
                    dayOfWeekRestricted: !fields[4].hasPrefix("*") && fields[4] != "?"))
        } catch let error as CronError {
            return .failure(CronError(text: text, problem: error.problem))
        } catch {
            return .failure(CronError(text: text, problem: "\(error)"))
        }
    }

    static func parseField(_ field: String, _ range: ClosedRange<Int>, names: [String: Int], what: String) throws
        -> Set<Int>
    {
        var values = Set<Int>()
        for part in field.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard pieces.count <= 2 else { throw CronError(text: field, problem: "bad step in \(what) '\(part)'") }
            var step = 1
            if pieces.count == 2 {
                guard let value = Int(pieces[1]), value > 0 else {
                    throw CronError(text: field, problem: "bad step in \(what) '\(part)'")
                }
                step = value
            }
            var low: Int
            var high: Int
            if pieces[0] == "*" || pieces[0] == "?" {
                low = range.lowerBound
                high = range.upperBound == 7 ? 6 : range.upperBound
            } else {
                let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
                guard bounds.count <= 2, let first = value(bounds[0], names) else {
                    throw CronError(text: field, problem: "bad \(what) '\(part)'")
                }
                low = first
                if bounds.count == 2 {
                    guard let last = value(bounds[1], names) else {
                        throw CronError(text: field, problem: "bad \(what) '\(part)'")
                    }
                    high = last
                } else {
                    high = pieces.count == 2 ? range.upperBound : first  // "5/15" means 5-max/15
                }
            }
            guard range.contains(low), range.contains(high), low <= high else {
                throw CronError(
                    text: field, problem: "\(what) '\(part)' is outside \(range.lowerBound)-\(range.upperBound)")
            }
            values.formUnion(stride(from: low, through: high, by: step))
        }
        return values
    }

    static func value(_ text: String, _ names: [String: Int]) -> Int? {
        Int(text) ?? names[text.lowercased()]
    }

    /// Whether the schedule fires on this day (the cron OR rule for day-of-month and weekday).
    func firesOn(year: Int, month: Int, day: Int) -> Bool {
        guard months.contains(month) else { return false }
        let weekday = CronSchedule.weekday(year: year, month: month, day: day)
        let dayOfMonth = daysOfMonth.contains(day)
        let dayOfWeek = daysOfWeek.contains(weekday)
        if dayOfMonthRestricted && dayOfWeekRestricted { return dayOfMonth || dayOfWeek }
        return dayOfMonth && dayOfWeek
    }

    /// Runs in a calendar month.
    public func runs(in month: CalendarMonth) -> Int {
        let perDay = minutes.count * hours.count
        return (1...month.days).filter { firesOn(year: month.year, month: month.month, day: $0) }.count * perDay
    }

    /// Runs in a 365-day reference year (2025, starting on a Wednesday).
    public var runsPerYear: Int {
        (1...12).reduce(0) { $0 + runs(in: CalendarMonth(year: 2025, month: $1)!) }
    }

    /// Runs in a period: exact for a calendar month; for a month of N hours, the yearly count
    /// × N / 8760 (so 730 hours is a twelfth of a year).
    public func runs(in period: BillingPeriod) -> Decimal {
        if let month = period.month { return Decimal(runs(in: month)) }
        return Decimal(runsPerYear) * period.hours / 8760
    }

    /// 0 = Sunday (Sakamoto's method).
    static func weekday(year: Int, month: Int, day: Int) -> Int {
        let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = month < 3 ? year - 1 : year
        return (y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day) % 7
    }
}

public struct CronError: Error, Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public let problem: String
    public var description: String { "'\(text)' is not a cron schedule: \(problem)" }
}

/// Durations written like Go's and Kubernetes': `90s`, `10m`, `1h30m`, `2h`.
public enum DurationText {
    /// Whole seconds, or nil (also when the sum would not fit an Int).
    public static func seconds(_ text: String) -> Int? {
        var total = 0
        var number = ""
        var sawUnit = false
        for character in text {
            if character.isASCII && character.isNumber {
                number.append(character)
            } else {
                guard let value = Int(number) else { return nil }
                let unit: Int
                switch character {
                case "h": unit = 3600
                case "m": unit = 60
                case "s": unit = 1
                default: return nil
                }
                guard let part = value.checkedMultiplied(by: unit), let sum = total.checkedAdding(part) else {
                    return nil
                }
                total = sum
                number = ""
                sawUnit = true
            }
        }
        guard number.isEmpty, sawUnit else { return nil }
        return total
    }

    /// A duration within `InputLimits.durationSeconds` (1 s to 8784 h), or what is wrong:
    /// "must be a duration from 1s to 8784h, such as 90s, 10m or 1h30m, found '9999999h'".
    public static func checkedSeconds(_ text: String) -> Result<Int, RangeProblem> {
        let range = InputLimits.durationSeconds
        guard let value = seconds(text), range.contains(value) else {
            let allowed = "from 1s to 8784h (a year), such as 90s, 10m or 1h30m"
            return .failure(RangeProblem(found: text, allowed: allowed, notANumber: "a duration"))
        }
        return .success(value)
    }
}
