public import Foundation

/// Decimal arithmetic helpers for money and quantities. Money never passes through binary
/// floating point: it is parsed from text into `Decimal`, multiplied as `Decimal`, rounded once
/// per cost line and written back as text.
public enum DecimalText {
    /// Parses a plain decimal number (`0.0960000000`, `207.36`, `-1`, `2750`). Rejects
    /// exponents, thousands separators, currency signs, anything `Decimal(string:)` would
    /// half-accept (it stops at the first bad character), and numbers `Decimal` cannot hold
    /// exactly (more than 38 significant digits, which it would round silently).
    public static func parse(_ text: String) -> Decimal? {
        try? parseExactly(text).get()
    }

    /// Why a text is not a plain decimal number `Decimal` holds exactly.
    public enum ParseProblem: Error, Sendable, Hashable {
        case notPlainDecimal
        case tooManyDigits(Int)
        case outOfDecimalRange

        /// What the number must be instead, for messages: "a plain decimal number".
        public var expectation: String {
            switch self {
            case .notPlainDecimal: "a number"
            case .tooManyDigits(let count):
                "a decimal number of at most \(InputLimits.significantDigits) significant digits (this one has \(count)),"
            case .outOfDecimalRange:
                "a decimal number of at most \(InputLimits.integerDigits) digits before the point and \(InputLimits.fractionDigits) after it,"
            }
        }
    }

    /// `parse`, saying why not.
    public static func parseExactly(_ text: String) -> Result<Decimal, ParseProblem> {
        var sawDigit = false
        var sawPoint = false
        var digits = 0
        var digitsBeforePoint = 0
        var firstNonZero = -1
        var lastNonZero = -1
        for (index, scalar) in text.unicodeScalars.enumerated() {
            switch scalar {
            case "0"..."9":
                sawDigit = true
                if scalar != "0" {
                    if firstNonZero < 0 { firstNonZero = digits }
                    lastNonZero = digits
                }
                digits += 1
                if !sawPoint { digitsBeforePoint = digits }
            case ".":
                if sawPoint { return .failure(.notPlainDecimal) }
                sawPoint = true
            case "-", "+": if index != 0 { return .failure(.notPlainDecimal) }
            default: return .failure(.notPlainDecimal)
            }
        }
        guard sawDigit else { return .failure(.notPlainDecimal) }
        guard firstNonZero >= 0 else { return .success(0) }
        let significant = lastNonZero - firstNonZero + 1
        guard significant <= InputLimits.significantDigits else { return .failure(.tooManyDigits(significant)) }
        // value = (significant digits) × 10^exponent. Decimal's exponent is -128…127, and its
        // multiplication traps where a product falls below that: keeping inputs within 20
        // decimals (and 24 digits before the point) keeps every product ekscost forms from
        // them (quantity × price × hours × …) far inside it.
        let exponent = digitsBeforePoint - 1 - lastNonZero
        guard exponent >= -InputLimits.fractionDigits,
            digitsBeforePoint - firstNonZero <= InputLimits.integerDigits
        else { return .failure(.outOfDecimalRange) }
        let negative = text.unicodeScalars.first == "-"
        if significant <= 19 {
            // Built from its digits: exact, and far cheaper than Decimal(string:) with a locale.
            var mantissa: UInt64 = 0
            var index = 0
            for scalar in text.unicodeScalars where scalar != "." && scalar != "-" && scalar != "+" {
                if index >= firstNonZero && index <= lastNonZero {
                    mantissa = mantissa * 10 + UInt64(scalar.value - 48)
                }
                index += 1
            }
            return .success(
                Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(mantissa)))
        }
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), value.isFinite else {
            return .failure(.notPlainDecimal)
        }
        return .success(value)
    }

    /// Plain text with at least `minimumFractionDigits` decimals and no more digits than the
    /// value has: 0.1 → "0.10", 0.096 → "0.096", 144 → "144.00" (with 2). No exponent, no
    /// grouping, `.` as the separator, whatever the locale.
    public static func format(_ value: Decimal, minimumFractionDigits: Int = 0) -> String {
        var text = plain(value)
        let fraction = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 } ?? 0
        if fraction < minimumFractionDigits {
            if fraction == 0 { text += "." }
            text += String(repeating: "0", count: minimumFractionDigits - fraction)
        }
        return text
    }

    /// Money as written in reports: exactly two decimals.
    public static func usd(_ value: Decimal) -> String {
        format(rounded(value, scale: 2), minimumFractionDigits: 2)
    }

    /// Rounds half away from zero (0.005 → 0.01, -0.005 → -0.01) to `scale` decimals.
    public static func rounded(_ value: Decimal, scale: Int) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, scale, .plain)
        return result
    }

    /// Rounds a computed amount to `scale` decimals, half away from zero, after dropping the
    /// noise of repeating quotients (an average of `seconds ÷ period` times the period's hours
    /// can come out as …124999…9 where the exact value is …125): 16 decimals are far beyond
    /// any price or quantity the inputs hold, and far above Decimal's 38-digit precision.
    public static func roundedResult(_ value: Decimal, scale: Int) -> Decimal {
        rounded(rounded(value, scale: 16), scale: scale)
    }

    /// Rounds up to a whole number.
    public static func ceiling(_ value: Decimal) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, 0, .up)
        return result
    }

    /// Rounds toward zero to a whole number, as Go's `int(x)` does for positive values.
    public static func truncated(_ value: Decimal) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, 0, value < 0 ? .up : .down)
        return result
    }

    /// The digits of `value` without exponent, built from its mantissa and exponent so the
    /// output never depends on Foundation's description format.
    static func plain(_ value: Decimal) -> String {
        if value.isZero { return "0" }
        // The significand is a whole number, so its description is plain digits.
        var digits = "\(value.significand.magnitude)"
        var exponent = Int(value.exponent)
        while digits.count > 1, digits.last == "0" {
            digits.removeLast()
            exponent += 1
        }
        var text: String
        if exponent >= 0 {
            text = digits + String(repeating: "0", count: exponent)
        } else if digits.count > -exponent {
            let split = digits.index(digits.endIndex, offsetBy: exponent)
            text = String(digits[..<split]) + "." + String(digits[split...])
        } else {
            text = "0." + String(repeating: "0", count: -exponent - digits.count) + digits
        }
        return value < 0 ? "-" + text : text
    }
}

extension Decimal {
    /// The value as an `Int`; callers round first. Held at `Int`'s bounds where it does not
    /// fit (NSDecimalNumber's own conversion wraps silently); callers range-check input first.
    public var intValue: Int {
        guard isFinite else { return 0 }
        if self >= Decimal(Int.max) { return .max }
        if self <= Decimal(Int.min) { return .min }
        return NSDecimalNumber(decimal: self).intValue
    }
}
