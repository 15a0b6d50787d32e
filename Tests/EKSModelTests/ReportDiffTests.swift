import Foundation
import Testing

@testable import EKSModel

@Suite struct ReportDiffTests {
    static func line(
        _ resource: String, _ component: String = "compute", group: String = "ng-1", quantity: String, price: String,
        hours: String, usd: String, unit: String = "hour", month: String = "720"
    ) -> ReportLine {
        ReportLine(
            cluster: "workshop", component: component, group: group, resource: resource,
            quantity: Decimal(string: quantity)!,
            unit: "node", unitPriceUSD: Decimal(string: price)!, hours: Decimal(string: hours)!,
            monthlyUSD: Decimal(string: usd)!,
            priceUnit: unit, hoursPerMonth: Decimal(string: month)!, line: 2)
    }

    static func report(_ lines: [ReportLine], month: String = "720") -> EstimateReport {
        EstimateReport(
            path: "r.csv", scenario: "s", snapshot: "x", hoursPerMonth: Decimal(string: month)!, lines: lines,
            totalUSD: lines.reduce(0) { $0 + $1.monthlyUSD })
    }

    @Test func theSeedClusterFrom2019ToTodaySplitsIntoPriceAndHours() throws {
        // EKS 0.20 → 0.10 per hour over 720 → 730 hours: price (0.10 − 0.20) × 720 = −72.00,
        // usage 0.10 × 10 = +1.00; m5.large 3 × 0.096 × 10 more hours = +2.88, no price change;
        // ENIs 0.015 → 0: (0 − 0.015) × 3 × 720 = −32.40. Total 383.76 → 283.24 = −100.52.
        let old = Self.report([
            Self.line(
                "EKS cluster", "control-plane", group: "", quantity: "1", price: "0.20", hours: "720", usd: "144.00"),
            Self.line("m5.large on-demand", quantity: "3", price: "0.096", hours: "720", usd: "207.36"),
            Self.line("ENI (VPC CNI)", "network", quantity: "3", price: "0.015", hours: "720", usd: "32.40"),
        ])
        let new = Self.report(
            [
                Self.line(
                    "EKS cluster", "control-plane", group: "", quantity: "1", price: "0.10", hours: "730", usd: "73.00",
                    month: "730"),
                Self.line(
                    "m5.large on-demand", quantity: "3", price: "0.096", hours: "730", usd: "210.24", month: "730"),
                Self.line(
                    "ENI (VPC CNI)", "network", quantity: "3", price: "0", hours: "730", usd: "0.00", month: "730"),
            ], month: "730")
        let diff = ReportDiff.compare(old, new)
        #expect(diff.changes.map(\.priceEffectUSD) == [Decimal(string: "-72.00")!, 0, Decimal(string: "-32.40")!])
        #expect(diff.changes.map(\.usageEffectUSD) == [Decimal(string: "1.00")!, Decimal(string: "2.88")!, 0])
        #expect(diff.changes.map(\.reason) == [.priceAndUsage, .usage, .price])
        #expect(diff.priceEffectUSD == Decimal(string: "-104.40")! && diff.usageEffectUSD == Decimal(string: "3.88")!)
        #expect(diff.changeUSD == Decimal(string: "-100.52")!)
    }

    @Test func addedRemovedAndUnchangedLines() {
        let volume = Self.line(
            "gp3 root volume", "storage", quantity: "60", price: "0.08", hours: "730", usd: "4.80", unit: "GB-month",
            month: "730")
        let old = Self.report(
            [
                Self.line(
                    "m5.large on-demand", quantity: "3", price: "0.096", hours: "730", usd: "210.24", month: "730"),
                volume,
            ],
            month: "730")
        let new = Self.report(
            [
                Self.line(
                    "m5.large on-demand", quantity: "3", price: "0.096", hours: "730", usd: "210.24", month: "730"),
                Self.line(
                    "m6g.large on-demand", quantity: "2", price: "0.077", hours: "730", usd: "112.42", month: "730"),
            ],
            month: "730")
        let diff = ReportDiff.compare(old, new)
        #expect(diff.unchanged == 1)
        #expect(diff.changes.map(\.reason) == [.added, .removed])
        #expect(diff.addedUSD == Decimal(string: "112.42")! && diff.removedUSD == Decimal(string: "-4.80")!)
        #expect(diff.changeUSD == Decimal(string: "107.62")!)
    }

    @Test func aMonthlyPriceIsProratedByTheOldMonth() {
        // 60 GiB of gp3 from 0.08 to 0.10 per GB-month over 730 of 730 hours: +1.20, all price.
        let old = Self.report([
            Self.line(
                "gp3", "storage", quantity: "60", price: "0.08", hours: "730", usd: "4.80", unit: "GB-month",
                month: "730")
        ])
        let new = Self.report([
            Self.line(
                "gp3", "storage", quantity: "60", price: "0.10", hours: "730", usd: "6.00", unit: "GB-month",
                month: "730")
        ])
        let change = ReportDiff.compare(old, new).changes[0]
        #expect(change.priceEffectUSD == Decimal(string: "1.20")! && change.usageEffectUSD == 0)
        // Twice the volume at the new price: price effect still 60 × 0.02 = 1.20; usage 60 × 0.10 = 6.00.
        let bigger = Self.report([
            Self.line(
                "gp3", "storage", quantity: "120", price: "0.10", hours: "730", usd: "12.00", unit: "GB-month",
                month: "730")
        ])
        let both = ReportDiff.compare(old, bigger).changes[0]
        #expect(both.priceEffectUSD == Decimal(string: "1.20")! && both.usageEffectUSD == Decimal(string: "6.00")!)
    }
}
