import Foundation
import Testing

@testable import EKSModel
@testable import EKSReport

@Suite struct TimelineChartTests {
    @Test func nodeTicksAreWholeNumbersUpToThePeak() {
        #expect(TimelineChartScales.nodeTicks(peak: 5) == [0, 1, 2, 3, 4, 5])
        #expect(TimelineChartScales.nodeTicks(peak: 9) == [0, 2, 4, 6, 8, 10])
        #expect(TimelineChartScales.nodeTicks(peak: 0) == [0, 1])
    }

    @Test func costTicksAreRoundAmounts() {
        #expect(
            TimelineChartScales.costTicks(peak: Decimal(string: "0.58")!) == [0, 0.2, 0.4, 0.6].map { Decimal($0) })
        #expect(TimelineChartScales.costTicks(peak: Decimal(string: "1.19")!) == [0, 0.5, 1, 1.5].map { Decimal($0) })
        #expect(TimelineChartScales.costTicks(peak: 0) == [0, Decimal(string: "0.01")!])
    }

    /// 1 November 2026 is a Sunday; a month of N hours has no dates and starts on a Monday.
    @Test func daysAreLabelledWithTheirCalendarDates() {
        let november = BillingPeriod(month: CalendarMonth("2026-11")!)
        #expect(TimelineChartScales.dayLabel(0, period: november) == "Sun 1 Nov")
        #expect(TimelineChartScales.dayLabel(29, period: november) == "Mon 30 Nov")
        #expect(TimelineChartScales.dayLabel(2, period: .standard) == "Wed day 3")
    }

    /// From 18:00 on Monday the office-days cluster runs 2 m5.large and the EKS fee: 2 × 0.096 +
    /// 0.10 = 0.292 USD per hour, every hour. The rounded steps of capacity.csv hand out the
    /// remainders as 0.30 and 0.29; the chart draws the 0.292.
    @Test func theCostLineIsDrawnFromUnroundedStepCosts() throws {
        let estimate = ReportFixtures.simulated
        let series = try #require(TimelineChartFormatter.series(estimate))
        let evening = 18...32
        #expect(evening.allSatisfy { series.nodes[$0] == 2 })
        // Decimal division leaves a residue in the 38th digit: equal steps, 0.292 to the micro-dollar.
        #expect(Set(evening.map { series.perHour[$0] }).count == 1)
        #expect(DecimalText.rounded(series.perHour[18], scale: 6) == Decimal(string: "0.292")!)
        #expect(Set(evening.map { estimate.capacity[0].stepCostsUSD[$0] }).count > 1)
    }

    /// Coordinates are written as `String(format: "%.1f")` writes them (glibc: the exact binary value
    /// rounded to the nearest tenth, ties to even): at the ties a quarter makes (0.25 → 0.2, 0.75 →
    /// 0.8, 2.25 → 2.2), just beside them, for -0 and negatives, and on random values of the
    /// chart's range and beyond.
    @Test func coordinatesAreWrittenAsPrintfWritesThem() {
        let fixed: [Double] = [
            0, -0.0, 0.05, 0.25, 0.75, 2.25, 70, 930, 0.04999999999999999, 0.15, 0.35, 1e15, 1e16, 123456.45, -1.25,
            -0.04, .nan, .infinity, 0.25.nextUp, 0.25.nextDown, 5e-324,
        ]
        #expect(TimelineChartFormatter.number(0.25) == "0.2")
        #expect(TimelineChartFormatter.number(0.75) == "0.8")
        #expect(TimelineChartFormatter.number(-0.0) == "-0.0")
        var generator = SystemRandomNumberGenerator()
        var values = fixed
        for _ in 0..<200_000 {
            values.append(Double.random(in: 0...1000, using: &generator))
            // Quarters and tenths of the chart's range, where ties and near ties sit.
            values.append(Double(Int.random(in: 0...40_000, using: &generator)) / 4)
            values.append(Double(Int.random(in: 0...10_000, using: &generator)) / 10 + 0.05)
            values.append(Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator)))
        }
        let different = values.filter { TimelineChartFormatter.number($0) != String(format: "%.1f", $0) }
        #expect(different.isEmpty, "\(different.prefix(5))")
    }
}
