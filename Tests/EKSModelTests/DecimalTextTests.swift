import Foundation
import Testing

@testable import EKSModel

@Suite struct DecimalTextTests {
    @Test(arguments: [
        ("0.0960000000", "0.096"), ("2750", "2750"), ("207.36", "207.36"), ("0.000111", "0.000111"),
        ("-1.50", "-1.5"), ("100000000000000000000", "100000000000000000000"), ("0", "0"),
    ])
    func formatsWithoutExponentOrTrailingZeros(input: String, expected: String) {
        #expect(DecimalText.format(DecimalText.parse(input)!) == expected)
    }

    @Test func padsToTheMinimumFractionDigits() {
        #expect(DecimalText.format(Decimal("0.1"), minimumFractionDigits: 2) == "0.10")
        #expect(DecimalText.format(Decimal("144"), minimumFractionDigits: 2) == "144.00")
        #expect(DecimalText.format(Decimal("0.004445"), minimumFractionDigits: 2) == "0.004445")
    }

    @Test func roundsHalfAwayFromZeroToTheCent() {
        #expect(DecimalText.usd(Decimal("0.005")) == "0.01")
        #expect(DecimalText.usd(Decimal("1.005")) == "1.01")
        #expect(DecimalText.usd(Decimal("1.0049999")) == "1.00")
        #expect(DecimalText.usd(Decimal("-0.005")) == "-0.01")
    }

    @Test(arguments: ["1e3", "1,000", "$5", "0.1.2", "", "-", "12abc", " 1"])
    func rejectsWhatIsNotAPlainDecimal(input: String) {
        #expect(DecimalText.parse(input) == nil)
    }

    @Test func multipliesPricesExactly() {
        // 0.096 × 24 × 30 × 3 = 207.36 exactly, which binary floating point cannot hold.
        let cost = DecimalText.parse("0.096")! * 24 * 30 * 3
        #expect(cost == Decimal("207.36"))
    }

    @Test func averagesOverThePeriodRoundAsTheirExactValue() {
        // 6,343,650 node-seconds over a 720-hour month: 2.4473958333… nodes × 720 h is exactly
        // 1762.125 node-hours; the quotient's last digit must not turn the half cent down.
        let average = Decimal(6_343_650) / Decimal(720 * 3600)
        #expect(DecimalText.roundedResult(average * 720, scale: 2) == Decimal(string: "1762.13")!)
        #expect(
            DecimalText.roundedResult(average * 720 * Decimal(string: "0.096")!, scale: 2) == Decimal(string: "169.16")!
        )
        #expect(DecimalText.roundedResult(Decimal(string: "0.005")!, scale: 2) == Decimal(string: "0.01")!)
    }
}
