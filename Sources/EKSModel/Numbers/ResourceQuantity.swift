public import Foundation

/// A Kubernetes resource quantity (`500m`, `2Gi`, `512Mi`, `1.5`, `1e3`), held exactly.
///
/// Grammar and rounding follow k8s.io/apimachinery/pkg/api/resource/quantity.go: a signed
/// decimal number followed by a binary suffix (Ki … Ei), a decimal suffix (n, u, m, k, M, G, T,
/// P, E) or a decimal exponent (e3, E-2). `milliValue` and `value` round up, as
/// `Quantity.MilliValue()` and `Quantity.Value()` do.
public struct ResourceQuantity: Sendable, Hashable, CustomStringConvertible {
    /// The amount in base units (cores for CPU, bytes for memory and storage).
    public let amount: Decimal
    /// The text as written.
    public let text: String

    public var description: String { text }

    public init(amount: Decimal, text: String) {
        self.amount = amount
        self.text = text
    }

    /// Thousandths of the base unit, rounded up (CPU millicores); held at Int64's bounds where
    /// it does not fit (readers check `amount(of:)` first, so input never gets there).
    public var milliValue: Int64 { clamped(DecimalText.ceiling(amount * 1000)) }

    /// Whole base units, rounded up (bytes); held at Int64's bounds where it does not fit.
    public var value: Int64 { clamped(DecimalText.ceiling(amount)) }

    /// `whole` as an Int64, else the bound on the quantity's side of zero (a product too large
    /// for Decimal is NaN, and NaN compares as below zero).
    func clamped(_ whole: Decimal) -> Int64 {
        if let exact = CheckedNumber.int64(exactly: whole) { return exact }
        return amount < 0 ? .min : .max
    }

    /// The amount of `resource` as ekscost counts it (millicores for `cpu`, bytes for
    /// `memory` and `ephemeral-storage`, a count for anything else), rounded up as
    /// Kubernetes does, or why it is outside `InputLimits`: "must be from 0 to 1Pi, found '8Ei'".
    public func amount(of resource: String) -> Result<Int64, RangeProblem> {
        let (range, rounded, allowed): (ClosedRange<Int64>, Decimal, String)
        switch resource {
        case "cpu", "requests.cpu", "limits.cpu":
            (range, rounded, allowed) = (
                InputLimits.cpuMillicores, DecimalText.ceiling(amount * 1000), "from 0 to 1000000 (cores)"
            )
        case "memory", "ephemeral-storage", "requests.memory", "limits.memory", "requests.ephemeral-storage",
            "limits.ephemeral-storage",
            _ where resource.hasPrefix("hugepages-"):
            (range, rounded, allowed) = (InputLimits.bytes, DecimalText.ceiling(amount), "from 0 to 1Pi")
        default:
            (range, rounded, allowed) = (InputLimits.deviceCount, DecimalText.ceiling(amount), "from 0 to 1000000")
        }
        guard let whole = CheckedNumber.int64(exactly: rounded), range.contains(whole) else {
            return .failure(RangeProblem(found: text, allowed: allowed))
        }
        return .success(whole)
    }

    static let binarySuffixes: [String: Int] = ["Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60]
    static let decimalSuffixes: [String: Int] = [
        "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
    ]

    /// Parses `text`, or says what was expected.
    public static func parse(_ text: String) -> Result<ResourceQuantity, QuantityError> {
        let trimmed = text
        var chars = Substring(trimmed)
        var sign: Decimal = 1
        if let first = chars.first, first == "+" || first == "-" {
            if first == "-" { sign = -1 }
            chars = chars.dropFirst()
        }
        let numberEnd = chars.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? chars.endIndex
        let number = chars[..<numberEnd]
        let suffix = String(chars[numberEnd...])
        // At most 38 significant digits: Decimal would round more without a word.
        guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1,
            case .success(let magnitude) = DecimalText.parseExactly(
                String(number.hasPrefix(".") ? "0" + number : number))
        else { return .failure(QuantityError(text: text)) }

        var amount = sign * magnitude
        if let power = binarySuffixes[suffix] {
            amount *= pow(Decimal(2), power)
        } else if let exponent = decimalSuffixes[suffix] {
            amount *= pow10(exponent)
        } else if let first = suffix.first, first == "e" || first == "E",
            let exponent = Int(suffix.dropFirst()), (-30...30).contains(exponent)
        {  // abs(Int.min) traps
            amount *= pow10(exponent)
        } else {
            return .failure(QuantityError(text: text))
        }
        return .success(ResourceQuantity(amount: amount, text: text))
    }

    static func pow10(_ exponent: Int) -> Decimal {
        exponent >= 0 ? pow(Decimal(10), exponent) : 1 / pow(Decimal(10), -exponent)
    }
}

/// A quantity that does not follow the Kubernetes grammar.
public struct QuantityError: Error, Sendable, Hashable, CustomStringConvertible {
    public let text: String

    public var description: String {
        var message =
            "'\(text)' is not a Kubernetes quantity: expected a number with an optional suffix (m, k, M, G, T, Ki, Mi, Gi, Ti), such as 500m, 1.5, 512Mi or 2Gi"
        let upper = text.uppercased()
        for unit in ["KB", "MB", "GB", "TB"] where upper.hasSuffix(unit) {
            let number = text.dropLast(2)
            let prefix = unit.first!
            let decimal = prefix == "K" ? "k" : String(prefix)
            message +=
                "; for \(unit) write \(number)\(decimal) (powers of 1000) or \(number)\(prefix)i (powers of 1024)"
            break
        }
        return message
    }
}
