import Foundation

/// A function of a `Decimal` (its report text, a quotient) worked out once per distinct value:
/// report steps repeat a few amounts thousands of times. Values are told apart by their bytes, not
/// by `==` (1.5 and 1.50 are equal but may give different texts or `Double`s), so a remembered
/// result is exactly the one the function gives.
struct DecimalMemo<Result> {
    private let function: (Decimal) -> Result
    private var known: [[UInt8]: Result] = [:]

    init(_ function: @escaping (Decimal) -> Result) { self.function = function }

    mutating func callAsFunction(_ value: Decimal) -> Result {
        let bytes = withUnsafeBytes(of: value) { Array($0) }
        if let result = known[bytes] { return result }
        let result = function(value)
        known[bytes] = result
        return result
    }
}
