import Foundation
import Testing

@testable import EKSModel
@testable import EKSReport

/// Golden files of every report format that the seed and forty-pods goldens do not cover.
/// Each golden was read line by line when recorded; the figures asserted here were worked out by
/// hand, so a wrong golden cannot pass on its own.
@Suite struct GoldenReportTests {
    /// as written: EKS 0.10 × 730 = 73.00; api 6 × 500m on m5.large (1930m allocatable, 3 pods a
    /// node) = 2 nodes × 0.096 × 730 = 140.16; Fargate (BreakEvenTests' sizes) thumbnailer 4 ×
    /// (0.25 × 0.04048 + 1 × 0.004445) × 730 = 42.53, events 2 × (1 × 0.04048 + 3 × 0.004445) ×
    /// 730 = 78.57; total 334.26.
    @Test func compareMatchesItsGoldenFiles() throws {
        let comparison = ReportFixtures.comparison
        let asWritten = try #require(comparison.strategies.first { $0.kind == .asWritten })
        #expect(asWritten.totalUSD.map(DecimalText.usd) == "334.26")
        GoldenFile.check(CompareMarkdown.format(comparison), against: "fargate-mix.compare.md")
        GoldenFile.check(CompareCSV.format(comparison), against: "fargate-mix.compare.csv")
    }

    /// 383.76 → 73.00 + 210.24 + 60 GiB × 0.08 = 4.80 → 288.04: −95.72, of which the EKS price
    /// −72.00 and the ENI line's removal −32.40.
    @Test func diffMatchesItsGoldenFiles() {
        let diff = ReportFixtures.diff
        #expect(DecimalText.usd(diff.changeUSD) == "-95.72")
        #expect(DecimalText.usd(diff.priceEffectUSD) == "-72.00")
        #expect(DecimalText.usd(diff.removedUSD) == "-32.40")
        GoldenFile.check(Array(DiffMarkdown.text(diff).utf8), against: "seed-to-today.diff.md")
        GoldenFile.check(DiffCSV.format(diff), against: "seed-to-today.diff.csv")
    }

    /// The simulated days: capacity.csv's step rows, the chart, and estimate.md's range, VPA and
    /// simulated-capacity sections. The steps' costs add up to the total, and the range holds it.
    @Test func aSimulatedPeriodMatchesItsGoldenFiles() throws {
        let estimate = ReportFixtures.simulated
        #expect(estimate.capacity[0].stepCostsUSD.count == 72)
        #expect(estimate.capacity[0].stepCostsUSD.reduce(0, +) == estimate.totalUSD)
        let range = try #require(estimate.range)
        #expect(range.lowUSD <= estimate.totalUSD && estimate.totalUSD <= range.highUSD)
        #expect(estimate.vpa?.advice.map(\.workload) == ["default/worker"])
        GoldenFile.check(CapacityCSVFormatter().format(estimate), against: "office-days.capacity.csv")
        GoldenFile.check(TimelineChartFormatter().format(estimate), against: "office-days.chart.svg")
        GoldenFile.check(MarkdownEstimateFormatter().format(estimate), against: "office-days.estimate.md")
        GoldenFile.check(JSONEstimateFormatter().format(estimate), against: "office-days.estimate.json")
    }

    /// UpfrontFeeReportTests' reserved nodes and their fee line, in each format.
    @Test func reservedFeeLinesMatchTheirGoldenFiles() {
        let estimate = UpfrontFeeReportTests.estimate
        GoldenFile.check(CSVEstimateFormatter().format(estimate), against: "reserved.estimate.csv")
        GoldenFile.check(MarkdownEstimateFormatter().format(estimate), against: "reserved.estimate.md")
        GoldenFile.check(JSONEstimateFormatter().format(estimate), against: "reserved.estimate.json")
    }
}
