import Foundation
import Testing

@testable import EKSModel

/// Issue 13: numbers from input are range-checked where read; arithmetic on them reports
/// overflow instead of trapping; decimals are never rounded silently.
@Suite struct CheckedNumbersTests {
    @Test func wholeNumbersOutsideTheirRangeNameTheRange() throws {
        #expect(throws: RangeProblem.self) { try CheckedNumber.integer("168", in: 0...167).get() }
        // Digits beyond Int are out of range, not "not a number".
        let problem = CheckedNumber.integer("99999999999999999999999", in: 0...167)
        #expect(problem == .failure(RangeProblem(found: "99999999999999999999999", allowed: "from 0 to 167")))
        #expect("\(RangeProblem(found: "168", allowed: "from 0 to 167"))" == "must be from 0 to 167, found '168'")
        #expect(try CheckedNumber.integer("167", in: 0...167).get() == 167)
    }

    @Test func decimalsOfMoreThan38SignificantDigitsAreRefusedNotRounded() {
        // 39 significant digits: Foundation's Decimal would keep 38 and drop the last in silence.
        let text = "0.123456789012345678901234567890123456789"
        #expect(DecimalText.parse(text) == nil)
        #expect(DecimalText.parseExactly(text) == .failure(.tooManyDigits(39)))
        // 38 are kept exactly: the text reads back as written.
        let exact = "1234567890123456789.0123456789012345678"
        #expect(DecimalText.parse(exact).map { DecimalText.format($0) } == exact)
        // Trailing and leading zeros are not significant.
        #expect(DecimalText.parse("000120.0000000000") == Decimal(120))
    }

    @Test func decimalsOutsideTwentyDecimalsOrTwentyFourDigitsAreRefused() {
        // Foundation's Decimal traps when a product falls below 10^-128; inputs stay far above.
        #expect(
            DecimalText.parseExactly("0." + String(repeating: "0", count: 20) + "1") == .failure(.outOfDecimalRange))
        #expect(DecimalText.parseExactly("1" + String(repeating: "0", count: 24)) == .failure(.outOfDecimalRange))
        #expect(DecimalText.parse("0.00000000000000000001") == Decimal(sign: .plus, exponent: -20, significand: 1))
    }

    @Test func digitBuiltDecimalsEqualFoundationsReading() {
        for text in ["0.0960000000", "207.36", "-1.50", "2750", "0.000111", "144", ".5", "+3.25", "0"] {
            #expect(
                DecimalText.parse(text)
                    == Decimal(
                        string: text.hasPrefix(".") ? "0" + text : text, locale: Locale(identifier: "en_US_POSIX")))
        }
    }

    @Test func overflowIsReportedOrHeldAtTheBound() {
        #expect(Int64.max.checkedAdding(1) == nil)
        #expect(Int64(4).checkedMultiplied(by: 5) == 20)
        #expect(Int64(1 << 50).checkedMultiplied(by: 1 << 20) == nil)
        #expect(Int64.max.saturatingAdding(1) == .max)
        #expect(Int64.min.saturatingSubtracting(1) == .min)
        #expect(Int64(-3).saturatingMultiplied(by: .max) == .min)
        #expect([Int64.max, 1].checkedSum() == nil)
        // 1Pi of memory × a million replicas is past 2^63: held, not wrapped to a small number.
        let pod = ResourceRequests(cpuMillicores: 1_000_000_000, memoryBytes: 1 << 50)
        let all = pod.scaled(by: 1_000_000)
        #expect(all.memoryBytes == .max && all.cpuMillicores == 1_000_000_000_000_000)
        #expect((all + pod).memoryBytes == .max)
    }

    @Test func doublesBecomeInt64OnlyWhenTheyFit() {
        #expect(CheckedNumber.int64(rounding: 9.3e18) == nil)
        #expect(CheckedNumber.int64(rounding: .nan) == nil)
        #expect(CheckedNumber.int64(rounding: 2.5) == 3)
        #expect(CheckedNumber.int64(clamping: 1e30) == .max)
        #expect(CheckedNumber.int64(exactly: Decimal(string: "9223372036854775808")!) == nil)
        #expect(CheckedNumber.int64(exactly: Decimal(string: "9223372036854775807")!) == .max)
    }

    @Test func quantitiesBeyondTheLimitsNameTheRangeInsteadOfWrapping() throws {
        // memory: 8Ei is 2^63 bytes; NSDecimalNumber's conversion wrapped it to 0, which fit
        // on every node.
        let huge = try ResourceQuantity.parse("8Ei").get()
        #expect(huge.value == .max)
        #expect(huge.amount(of: "memory") == .failure(RangeProblem(found: "8Ei", allowed: "from 0 to 1Pi")))
        #expect(try ResourceQuantity.parse("1Pi").get().amount(of: "memory") == .success(1 << 50))
        #expect(
            try ResourceQuantity.parse("1000001").get().amount(of: "cpu")
                == .failure(RangeProblem(found: "1000001", allowed: "from 0 to 1000000 (cores)")))
        #expect(try ResourceQuantity.parse("500m").get().amount(of: "cpu") == .success(500))
    }

    /// Fuzzing regression (FuzzQuantity, crash 1): a 153-digit quantity; Decimal's product with
    /// 1000 is NaN, which compares as below zero, so milliValue came out as Int64.min.
    @Test func aQuantityTooLargeForDecimalProductsNeverComesOutNegative() {
        let text = "66666666666666666666" + String(repeating: "0", count: 120) + "6666666665050"
        // More than 38 significant digits: refused outright now.
        #expect(throws: QuantityError.self) { try ResourceQuantity.parse(text).get() }
        let large = ResourceQuantity(amount: Decimal(sign: .plus, exponent: 120, significand: 6), text: "6e120")
        #expect(large.milliValue == .max && large.value == .max)
    }

    /// Fuzzing regression (FuzzQuantity, crash 2): `.000…00017892350u` (120 zeros): Foundation's
    /// Decimal multiplication traps when the product's exponent falls below -128.
    @Test func aTinyQuantityWithASuffixDoesNotTrap() throws {
        let text = "." + String(repeating: "0", count: 120) + "17892350u"
        #expect(throws: QuantityError.self) { try ResourceQuantity.parse(text).get() }
        #expect(try ResourceQuantity.parse("0.00000000000000000001n").get().milliValue == 1)
    }

    /// Fuzzing regression (FuzzQuantity, crash 3): an exponent of Int.min; `abs` of it traps.
    @Test func anExponentOfIntMinIsRefused() {
        #expect(throws: QuantityError.self) { try ResourceQuantity.parse("4E-09223372036854775808").get() }
        #expect(throws: QuantityError.self) { try ResourceQuantity.parse("4e31").get() }
    }

    @Test func durationsThatOverflowAreRefused() throws {
        #expect(DurationText.seconds("99999999999999999h") == nil)
        #expect(DurationText.seconds("1h30m") == 5400)
        #expect(throws: RangeProblem.self) { try DurationText.checkedSeconds("8785h").get() }
        #expect(try DurationText.checkedSeconds("8784h").get() == 31_622_400)
    }
}
