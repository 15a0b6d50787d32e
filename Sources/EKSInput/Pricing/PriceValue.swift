import CSVStream
import EKSModel
import Foundation

/// A price as the offer file writes it, kept exactly: `mantissa × 10^exponent`, with no
/// trailing zeros in the mantissa (`0.0960000000` is 96 × 10⁻³).
struct PriceValue: Sendable, Hashable {
    var mantissa: UInt64
    var exponent: Int16

    /// Parses a plain non-negative decimal (`0.0960000000`, `2750`, `.5`); nil for anything
    /// else (signs, exponents, thousands separators, more than 19 significant digits).
    static func parse(_ bytes: Span<UInt8>) -> PriceValue? {
        var digits = 0
        var point: Int?
        var lastNonZero = -1  // index among digits of the last non-zero digit
        var firstNonZero = -1
        for at in bytes.indices {
            let byte = bytes[at]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if byte != UInt8(ascii: "0") {
                    if firstNonZero < 0 { firstNonZero = digits }
                    lastNonZero = digits
                }
                digits += 1
            case UInt8(ascii: "."):
                if point != nil { return nil }
                point = digits
            default:
                return nil
            }
        }
        guard digits > 0 else { return nil }
        let fractionDigits = digits - (point ?? digits)
        guard firstNonZero >= 0 else { return PriceValue(mantissa: 0, exponent: 0) }
        guard lastNonZero - firstNonZero < 19 else { return nil }
        var mantissa: UInt64 = 0
        var index = 0
        for at in bytes.indices where bytes[at] != UInt8(ascii: ".") {
            let byte = bytes[at]
            if index >= firstNonZero && index <= lastNonZero {
                mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
            }
            index += 1
        }
        // Digits after `lastNonZero` are zeros dropped from the mantissa. As for every decimal
        // read (DecimalText.parseExactly): at most 20 decimals and 24 digits before the point,
        // so a field of thousands of zeros neither traps here nor in a product later.
        let exponent = (digits - 1 - lastNonZero) - fractionDigits
        guard exponent >= -InputLimits.fractionDigits,
            digits - fractionDigits - firstNonZero <= InputLimits.integerDigits
        else { return nil }
        return PriceValue(mantissa: mantissa, exponent: Int16(exponent))
    }

    var decimal: Decimal {
        Decimal(sign: .plus, exponent: Int(exponent), significand: Decimal(mantissa))
    }

    /// Digits in the mantissa (1 for 0).
    private var digitCount: Int {
        var count = 1
        var value = mantissa
        while value >= 10 {
            value /= 10
            count += 1
        }
        return count
    }

    /// Bytes of `text`.
    var textCount: Int {
        if mantissa == 0 { return 1 }
        let count = digitCount
        let e = Int(exponent)
        if e >= 0 { return count + e }
        return count > -e ? count + 1 : 2 - e
    }

    /// Writes `text`'s bytes at `out` (`textCount` of them) without making a string: a snapshot
    /// writes one per price.
    func writeText(to out: UnsafeMutablePointer<UInt8>) {
        let zero = UInt8(ascii: "0")
        if mantissa == 0 {
            out[0] = zero
            return
        }
        let count = digitCount
        let e = Int(exponent)
        // Where the digits go: after "0." and the zeros for a value below 1, and the point
        // among them for one with decimals.
        let lead = e < 0 && count <= -e ? 2 - e - count : 0
        let point = e < 0 && count > -e ? count + e : -1
        let end = lead + count + (point >= 0 ? 1 : 0)
        var value = mantissa
        var at = end
        var written = 0
        while written < count {
            at -= 1
            if at == point {
                out[at] = UInt8(ascii: ".")
                continue
            }
            out[at] = zero + UInt8(value % 10)
            value /= 10
            written += 1
        }
        if lead > 0 {
            out[0] = zero
            out[1] = UInt8(ascii: ".")
            for index in 2..<lead { out[index] = zero }
        }
        if e > 0 { for index in end..<(end + e) { out[index] = zero } }
    }

    /// Appends `text`'s bytes.
    func appendText(to bytes: inout [UInt8]) {
        let count = textCount
        bytes.append(contentsOf: repeatElement(0, count: count))
        bytes.withUnsafeMutableBufferPointer { writeText(to: $0.baseAddress! + ($0.count - count)) }
    }

    /// The same text `DecimalText.format` gives for the value: `0.096`, `2750`, `0`.
    var text: String {
        var bytes: [UInt8] = []
        appendText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A sum of prices, exact and cheap: mantissas are added as integers, one sum per exponent,
/// and made a `Decimal` once at the end (a Decimal addition per row would cost more than the
/// rest of the row's checks).
struct PriceSum: Sendable {
    private var parts: [PriceValue] = []
    /// What overflowed a part's 64 bits so far.
    private var carried = Decimal(0)

    mutating func add(_ value: PriceValue) {
        for index in parts.indices where parts[index].exponent == value.exponent {
            let (sum, overflow) = parts[index].mantissa.addingReportingOverflow(value.mantissa)
            if overflow {
                carried += parts[index].decimal
                parts[index].mantissa = value.mantissa
            } else {
                parts[index].mantissa = sum
            }
            return
        }
        parts.append(value)
    }

    static func + (left: PriceSum, right: PriceSum) -> PriceSum {
        var sum = left
        sum.carried += right.carried
        for part in right.parts { sum.add(part) }
        return sum
    }

    var decimal: Decimal { parts.reduce(carried) { $0 + $1.decimal } }
}
