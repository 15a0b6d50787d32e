import Foundation

/// Decimal arithmetic helpers for money and quantities. Money never passes through binary
/// floating point: it is parsed from text into `Decimal`, multiplied as `Decimal`, rounded once
/// per cost line and written back as text.
public enum DecimalText {
    /// Parses a plain decimal number (`0.0960000000`, `207.36`, `-1`, `2750`). Rejects
    /// exponents, thousands separators, currency signs and anything `Decimal(string:)` would
    /// half-accept (it stops at the first bad character).
    public static func parse(_ text: String) -> Decimal? {
        var sawDigit = false
        var sawPoint = false
        for (index, scalar) in text.unicodeScalars.enumerated() {
            switch scalar {
            case "0"..."9": sawDigit = true
            case ".": if sawPoint { return nil }; sawPoint = true
            case "-", "+": if index != 0 { return nil }
            default: return nil
            }
        }
        guard sawDigit else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
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
    /// The value as an `Int`; callers round first.
    public var intValue: Int { NSDecimalNumber(decimal: self).intValue }
}
