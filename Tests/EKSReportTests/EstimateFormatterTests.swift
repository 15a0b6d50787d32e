import CSVStream
import EKSModel
import Foundation
import Testing

@testable import EKSReport

/// The seed example, built from literals: 3 × m5.large at 0.096 over 720 h = 207.36, the
/// EKS fee 0.20 × 720 = 144.00, 3 ENIs × 0.015 × 720 = 32.40, total 383.76.
enum SeedEstimate {
    static func price(_ service: String, _ item: String, _ usd: String, _ unit: PriceUnit = .hour) -> Price {
        Price(
            key: PriceKey(region: "us-east-1", service: service, item: item), unit: unit, usd: Decimal(string: usd)!,
            source: "Seed notes, 2019 EKS workshop cluster", sourceDate: "2019-12")
    }

    static let estimate = Estimate(
        scenario: "eks-workshop-2019", region: "us-east-1", snapshotID: "aws-2019-12",
        snapshotDate: CalendarDate("2019-12-01")!, period: BillingPeriod(hoursPerMonth: 720),
        lines: [
            CostLine(
                cluster: "workshop", component: .controlPlane, resource: "EKS cluster, standard support",
                quantity: 1, unit: "cluster", price: price("eks", "cluster", "0.20"), hours: 720, hoursPerMonth: 720,
                kind: .controlPlane),
            CostLine(
                cluster: "workshop", component: .compute, group: "ng-1", resource: "m5.large on-demand",
                quantity: 3, unit: "node", price: price("ec2", "m5.large", "0.096"), hours: 720, hoursPerMonth: 720,
                kind: .instances(type: "m5.large")),
            CostLine(
                cluster: "workshop", component: .network, group: "ng-1", resource: "ENI (VPC CNI)",
                quantity: 3, unit: "ENI", price: price("vpc", "eni", "0.015"), hours: 720, hoursPerMonth: 720,
                basis: "3 nodes × 1 ENI each", kind: .eni),
        ],
        notes: ["workshop: Kubernetes 1.14: standard price."])
}

@Suite struct EstimateFormatterTests {
    @Test func csvMatchesItsGoldenFile() {
        GoldenFile.check(
            CSVEstimateFormatter().format(SeedEstimate.estimate), against: "eks-workshop-2019.estimate.csv")
    }

    @Test func markdownMatchesItsGoldenFile() {
        GoldenFile.check(
            MarkdownEstimateFormatter().format(SeedEstimate.estimate), against: "eks-workshop-2019.estimate.md")
    }

    @Test func jsonMatchesItsGoldenFile() {
        GoldenFile.check(
            JSONEstimateFormatter().format(SeedEstimate.estimate), against: "eks-workshop-2019.estimate.json")
    }

    @Test func csvLinesSumToTheTotalRow() throws {
        let rows = try CSVReader(bytes: CSVEstimateFormatter().format(SeedEstimate.estimate)).readAll().map(\.fields)
        let header = rows[0]
        let cost = try #require(header.firstIndex(of: "monthly_usd"))
        let component = try #require(header.firstIndex(of: "component"))
        let lines = rows.dropFirst().filter { $0[component] != "total" }
        let total = try #require(rows.last)
        #expect(total[component] == "total")
        #expect(lines.map { $0[cost] } == ["144.00", "207.36", "32.40"])
        let sum = lines.map { Decimal(string: $0[cost])! }.reduce(0, +)
        #expect(sum == Decimal(string: total[cost]))
        #expect(total[cost] == "383.76")
    }

    @Test func csvStartsWithTheDocumentedColumns() throws {
        let header = try CSVReader(bytes: CSVEstimateFormatter().format(SeedEstimate.estimate)).readAll()[0].fields
        #expect(
            Array(header.prefix(11)) == [
                "scenario", "cluster", "component", "resource", "quantity", "unit",
                "unit_price_usd", "hours", "monthly_usd", "snapshot", "hours_per_month",
            ])
    }

    @Test func markdownShowsHowEachLineIsComputed() {
        let text = String(decoding: MarkdownEstimateFormatter().format(SeedEstimate.estimate), as: UTF8.self)
        #expect(text.contains("| 3 nodes × 0.096 USD/hour × 720 h (2160 instance-hours) | 207.36 |"))
        #expect(text.contains("| 1 cluster × 0.20 USD/hour × 720 h | 144.00 |"))
    }

    @Test func markdownEscapesPipesInCells() {
        var estimate = SeedEstimate.estimate
        estimate.lines[0].resource = "a | b"
        let text = String(decoding: MarkdownEstimateFormatter().format(estimate), as: UTF8.self)
        #expect(text.contains("a \\| b"))
    }
}

@Suite struct UpfrontFeeReportTests {
    /// 3 nodes on a 1yr partial-upfront term: 0.0285 × 3 × 730 = 62.415 → 62.42, and the 250
    /// USD fee per node spread over 12 months: 3 × 250 ÷ 12 = 62.50.
    static let estimate = Estimate(
        scenario: "reserved", region: "us-east-1", snapshotID: "imported", snapshotDate: CalendarDate("2025-09-12")!,
        period: BillingPeriod(hoursPerMonth: 730),
        lines: [
            CostLine(
                cluster: "c", component: .compute, group: "ng-1",
                resource: "m5.large reserved 1yr standard partial-upfront",
                quantity: 3, unit: "node", price: SeedEstimate.price("ec2", "m5.large", "0.0285"), hours: 730,
                hoursPerMonth: 730,
                kind: .instances(type: "m5.large")),
            CostLine(
                cluster: "c", component: .compute, group: "ng-1",
                resource: "m5.large reserved 1yr standard partial-upfront upfront fee",
                quantity: 3, unit: "node", price: SeedEstimate.price("ec2", "m5.large", "250", .upfront), hours: 730,
                hoursPerMonth: 730, basis: "upfront fee spread over 12 months", spreadOverMonths: 12,
                kind: .instances(type: "m5.large")),
        ],
        notes: [])

    @Test func theFeeIsItsOwnLineWithItsComputation() {
        let markdown = String(decoding: MarkdownEstimateFormatter().format(Self.estimate), as: UTF8.self)
        #expect(
            markdown.contains(
                "| c | ng-1 | m5.large reserved 1yr standard partial-upfront upfront fee | 3 nodes × 250.00 USD upfront ÷ 12 months (upfront fee spread over 12 months) | 62.50 |"
            ))
        #expect(
            markdown.contains(
                "| c | ng-1 | m5.large reserved 1yr standard partial-upfront | 3 nodes × 0.0285 USD/hour × 730 h (2190 instance-hours) | 62.42 |"
            ))
        let rows = String(decoding: CSVEstimateFormatter().format(Self.estimate), as: UTF8.self).split(
            separator: "\r\n")
        #expect(
            rows[2].hasPrefix(
                "reserved,c,compute,m5.large reserved 1yr standard partial-upfront upfront fee,3,node,250,730,62.50,"))
        #expect(rows[3].hasPrefix("reserved,,total,,,,,,124.92,"))
    }
}
