public import Foundation

/// Range-checked reading of numbers from input, and arithmetic that reports overflow instead
/// of trapping. Every number a user writes is checked where it is read, against a range that
/// the messages name; arithmetic on values derived from input uses these helpers, so that no
/// combination of valid-looking inputs can stop the program.
///
/// The readers of every input (scenario, eksctl, manifests, load curves, snapshots, offer
/// files, reports) share these, so the limits and their wording are the same everywhere.
public enum CheckedNumber {
    /// A whole number written in `text` within `range`, or why not: "must be a whole number
    /// from 0 to 167, found '168'".
    public static func integer(_ text: String, in range: ClosedRange<Int>) -> Result<Int, RangeProblem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let value = Int(trimmed) else {
            // Digits that do not fit an Int are out of range, not "not a number".
            let digits = trimmed.drop { $0 == "-" || $0 == "+" }
            if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
                return .failure(RangeProblem(found: text, allowed: describe(range)))
            }
            return .failure(RangeProblem(found: text, allowed: describe(range), notANumber: "a whole number"))
        }
        guard range.contains(value) else { return .failure(RangeProblem(found: text, allowed: describe(range))) }
        return .success(value)
    }

    /// A plain decimal number (no exponent) within `range`, held exactly: at most 38
    /// significant digits (what Foundation's `Decimal` holds), never rounded.
    public static func decimal(_ text: String, in range: ClosedRange<Decimal>) -> Result<Decimal, RangeProblem> {
        switch DecimalText.parseExactly(text) {
        case .failure(let problem):
            return .failure(RangeProblem(found: text, allowed: describe(range), notANumber: problem.expectation))
        case .success(let value):
            guard range.contains(value) else { return .failure(RangeProblem(found: text, allowed: describe(range))) }
            return .success(value)
        }
    }

    /// `from 0 to 167`, `at least 1`.
    public static func describe<T: Comparable & CustomStringConvertible>(_ range: ClosedRange<T>, unit: String = "")
        -> String
    {
        let suffix = unit.isEmpty ? "" : " \(unit)"
        return "from \(range.lowerBound)\(suffix) to \(range.upperBound)\(suffix)"
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
    }

    static func describe(_ range: ClosedRange<Decimal>) -> String {
        "from \(DecimalText.format(range.lowerBound)) to \(DecimalText.format(range.upperBound))"
    }

    /// A `Double` rounded to the nearest whole number and held within Int64's bounds (NaN is
    /// 0), for values derived from range-checked input that must not trap where a sum of
    /// them would not fit.
    public static func int64(clamping value: Double) -> Int64 {
        if value.isNaN { return 0 }
        return int64(rounding: value) ?? (value < 0 ? .min : .max)
    }

    /// A whole `Decimal` as an `Int64`, or nil when it is not whole or does not fit. Callers
    /// round first; NSDecimalNumber's own conversion wraps silently (8Ei became 0).
    public static func int64(exactly value: Decimal) -> Int64? {
        guard value.isFinite, value == DecimalText.truncated(value),
            value >= Decimal(Int64.min), value <= Decimal(Int64.max)
        else { return nil }
        // Decimal(Int64.max) is exact, so the comparison above is; the text round trip is exact
        // for whole numbers below 2^63.
        return Int64(DecimalText.format(value))
    }

    /// A finite `Double` rounded to the nearest whole number, as an `Int64`, or nil when it is
    /// not finite or does not fit (`Int64(x)` traps there).
    public static func int64(rounding value: Double) -> Int64? {
        let rounded = value.rounded()
        // 2^63 is exactly representable; anything at or above it does not fit.
        guard rounded.isFinite, rounded >= -9.223372036854775808e18, rounded < 9.223372036854775808e18 else {
            return nil
        }
        return Int64(rounded)
    }
}

/// A number outside the range it may take, said the way the diagnostics say it.
public struct RangeProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text as written.
    public let found: String
    /// `from 0 to 167`.
    public let allowed: String
    /// What a number must look like, when the text is not one at all.
    public let notANumber: String?

    public init(found: String, allowed: String, notANumber: String? = nil) {
        self.found = found
        self.allowed = allowed
        self.notANumber = notANumber
    }

    /// `must be a whole number from 0 to 167, found '168'`.
    public var description: String {
        if let notANumber { return "must be \(notANumber) \(allowed), found '\(found)'" }
        return "must be \(allowed), found '\(found)'"
    }
}

extension FixedWidthInteger {
    /// `self + other`, or nil when the sum does not fit.
    @inlinable public func checkedAdding(_ other: Self) -> Self? {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? nil : sum
    }

    /// `self × other`, or nil when the product does not fit.
    @inlinable public func checkedMultiplied(by other: Self) -> Self? {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? nil : product
    }

    /// `self + other`, held at the type's bounds instead of overflowing. For amounts compared
    /// against capacities: a sum too large to count is larger than any node or quota, which is
    /// what the comparison then says.
    @inlinable public func saturatingAdding(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// `self − other`, held at the type's bounds instead of overflowing.
    @inlinable public func saturatingSubtracting(_ other: Self) -> Self {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other > 0 ? .min : .max
    }

    /// `self × other`, held at the type's bounds instead of overflowing.
    @inlinable public func saturatingMultiplied(by other: Self) -> Self {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }
}

extension Sequence where Element: FixedWidthInteger {
    /// The sum, or nil when it does not fit.
    public func checkedSum() -> Element? {
        var total: Element = 0
        for value in self {
            guard let next = total.checkedAdding(value) else { return nil }
            total = next
        }
        return total
    }
}

/// The ranges numbers from input must fall in, named in the diagnostics and docs/scenario.md. They
/// are far beyond any real cluster (the largest EC2 instances have 896 vCPUs and 32 TiB), and
/// small enough that no sum or product ekscost forms from them can overflow 64 bits.
public enum InputLimits {
    /// A container's CPU: up to 1,000,000 cores, in millicores.
    public static let cpuMillicores: ClosedRange<Int64> = 0...1_000_000_000
    /// A container's memory or ephemeral storage: up to 1Pi (2^50 bytes).
    public static let bytes: ClosedRange<Int64> = 0...(1 << 50)
    /// Extended resources (GPUs, Neuron devices) per container.
    public static let deviceCount: ClosedRange<Int64> = 0...1_000_000
    /// A ResourceQuota's hard CPU (millicores) and memory (bytes), and its pod count.
    public static let quotaAmount: ClosedRange<Int64> = 0...(1 << 62)
    /// A load curve value (millicores, MiB or a metric, over the whole workload).
    public static let curveValue: ClosedRange<Decimal> = 0...1_000_000_000_000
    /// A load curve's `hour_of_week`: the hours of one week.
    public static let hourOfWeek: ClosedRange<Int> = 0...167
    /// A duration (Job run time): up to a leap year, 8784 hours.
    public static let durationSeconds: ClosedRange<Int> = 1...31_622_400
    /// Runs per month of a Job or CronJob.
    public static let runsPerMonth: ClosedRange<Decimal> = 0...1_000_000
    /// A price in USD, per its unit.
    public static let priceUSD: ClosedRange<Decimal> = 0...1_000_000_000
    /// Significant digits a decimal may have: what Foundation's `Decimal` holds exactly.
    public static let significantDigits = 38
    /// Digits after the point and before it a decimal may have (see `DecimalText.parseExactly`).
    public static let fractionDigits = 20
    public static let integerDigits = 24
}
