public import EKSModel
import Foundation

/// The commitments part of estimate.md and estimate.json: what the commitments held did
/// (utilisation, coverage) and the Savings Plan commitment to buy, with the range.
enum CommitmentText {
    static func percent(_ value: Decimal?) -> String {
        value.map { "\(DecimalText.format(DecimalText.rounded($0 * 100, scale: 1))) %" } ?? "–"
    }

    static func usd(_ value: Decimal) -> String { DecimalText.usd(DecimalText.roundedResult(value, scale: 2)) }

    static func share(_ part: Decimal, of bill: CommitmentBill) -> Decimal? {
        bill.onDemandEquivalentUSD > 0 ? part / bill.onDemandEquivalentUSD : nil
    }

    /// `Compute Savings Plan 1yr no-upfront` or `EC2 Instance Savings Plan m5 3yr all-upfront`.
    static func offerTitle(_ recommendation: CommitmentRecommendation) -> String {
        let offer = recommendation.offer
        return offer.kind.title + (recommendation.family.map { " \($0)" } ?? "")
            + " \(offer.length.rawValue) \(offer.payment.rawValue)"
    }

    /// The month's total with a plan whose point saves `point.savingsUSD` against `total`.
    static func total(_ total: Decimal, with point: CommitmentPoint) -> Decimal {
        total - DecimalText.roundedResult(point.savingsUSD, scale: 2)
    }

    static func basis(_ report: CommitmentReport) -> String {
        report.simulated
            ? "the \(report.hours) hours of this period as simulated from the scenario's load curves (HPA, Cluster Autoscaler or Karpenter)"
            : "the \(report.hours) hours of this period with the plan's nodes and pods running throughout (nothing in the scenario varies over time)"
    }
}

/// The Markdown section.
enum MarkdownCommitments {
    static func section(_ estimate: Estimate) -> String {
        guard let report = estimate.commitments else { return "" }
        var out = "\n## Commitments\n"
        if let bill = report.held {
            out +=
                "\nApplied to \(CommitmentText.basis(report)), hour by hour as AWS bills them: Reserved Instances first "
            out +=
                "(size-flexible within their family), then EC2 Instance Savings Plans, then Compute Savings Plans, each to the usage with the "
            out +=
                "highest savings first; an hour's unused commitment is still billed. Eligible usage: on-demand EC2 instances and Fargate "
            out +=
                "(Spot, the EKS fee, EBS and the network are not). estimate.csv shows each commitment's fees and takes the on-demand cost of "
            out += "what they covered off again.\n\n"
            out +=
                "| Commitment | Fees USD | Utilisation | Coverage | On-demand cost covered USD |\n|---|--:|--:|--:|--:|\n"
            for plan in bill.plans {
                out +=
                    "| \(cell(plan.plan.title)) | \(CommitmentText.usd(plan.committedUSD)) | \(CommitmentText.percent(plan.utilisation)) | "
                out +=
                    "\(CommitmentText.percent(CommitmentText.share(plan.coveredOnDemandEquivalentUSD, of: bill))) | \(CommitmentText.usd(plan.coveredOnDemandEquivalentUSD)) |\n"
            }
            for reservation in bill.reservations {
                out +=
                    "| \(cell(reservation.reservation.title)) | \(CommitmentText.usd(reservation.feesUSD)) | \(CommitmentText.percent(reservation.utilisation)) | "
                out +=
                    "\(CommitmentText.percent(CommitmentText.share(reservation.coveredOnDemandEquivalentUSD, of: bill))) | \(CommitmentText.usd(reservation.coveredOnDemandEquivalentUSD)) |\n"
            }
            out +=
                "| **All** | **\(CommitmentText.usd(bill.commitmentUSD))** | | **\(CommitmentText.percent(bill.coverage))** | |\n"
            out +=
                "\nEligible usage on demand: \(CommitmentText.usd(bill.onDemandEquivalentUSD)) USD; with the commitments: "
            out +=
                "\(CommitmentText.usd(bill.totalUSD)) USD (\(CommitmentText.usd(bill.commitmentUSD)) in fees, \(CommitmentText.usd(bill.onDemandUSD)) still on demand); "
            out += "they save \(CommitmentText.usd(bill.savingsUSD)) USD this month.\n"
        }
        guard !report.recommendations.isEmpty else { return out }
        out += "\n### The Savings Plan commitment to buy\n\n"
        out +=
            "Per plan type, term and payment, the hourly commitment that minimises this month's total\(report.held == nil ? "" : " on top of the commitments above"), "
        out +=
            "worked out from \(CommitmentText.basis(report)). A plan commits you for its whole term: a month busier than the years ahead "
        out +=
            "makes it look better than it is (see the range below). Utilisation is the share of the commitment used; coverage the share of the eligible usage's on-demand cost covered.\n\n"
        out +=
            "| Plan | Commitment USD/hour | Month's total USD | Savings USD | Utilisation | Coverage |\n|---|--:|--:|--:|--:|--:|\n"
        for recommendation in report.recommendations {
            let best = recommendation.best
            out +=
                "| \(cell(CommitmentText.offerTitle(recommendation))) | \(DecimalText.format(best.hourlyCommitmentUSD)) | "
            out +=
                "\(DecimalText.usd(CommitmentText.total(estimate.totalUSD, with: best))) | \(CommitmentText.usd(best.savingsUSD)) | "
            out += "\(CommitmentText.percent(best.utilisation)) | \(CommitmentText.percent(best.coverage)) |\n"
        }
        guard let headline = report.headline else { return out }
        out += "\n#### \(CommitmentText.offerTitle(headline)) around its best\n\n"
        out +=
            "| Commitment USD/hour | Month's total USD | Savings USD | Utilisation | Coverage |\n|--:|--:|--:|--:|--:|\n"
        for point in headline.points {
            let mark = point.hourlyCommitmentUSD == headline.best.hourlyCommitmentUSD ? "**" : ""
            out +=
                "| \(mark)\(DecimalText.format(point.hourlyCommitmentUSD))\(mark) | \(DecimalText.usd(CommitmentText.total(estimate.totalUSD, with: point))) | "
            out +=
                "\(CommitmentText.usd(point.savingsUSD)) | \(CommitmentText.percent(point.utilisation)) | \(CommitmentText.percent(point.coverage)) |\n"
        }
        if headline.curve.count > 1 {
            out += "\n![Month's total against the hourly commitment](commitment-curve.svg)\n"
        }
        if !report.range.isEmpty, let range = estimate.range {
            out += "\nWith another load (every HPA held at its minimum or maximum all month):\n\n"
            out +=
                "| Load | Best commitment USD/hour | Month's total USD | With \(DecimalText.format(headline.best.hourlyCommitmentUSD)) USD/hour: total USD | Its utilisation |\n|---|--:|--:|--:|--:|\n"
            for point in report.range {
                let total = point.load == "low" ? range.lowUSD : range.highUSD
                out +=
                    "| \(point.load) | \(DecimalText.format(point.best.hourlyCommitmentUSD)) | \(DecimalText.usd(CommitmentText.total(total, with: point.best))) | "
                out +=
                    "\(DecimalText.usd(CommitmentText.total(total, with: point.expectedCommitment))) | \(CommitmentText.percent(point.expectedCommitment.utilisation)) |\n"
            }
        }
        return out
    }
}

/// The JSON object (docs/estimate.schema.json, `commitments`). A share that does not exist (the
/// utilisation of no commitment) is left out.
enum JSONCommitments {
    static func number(_ value: Decimal) -> JSONValue { .number(DecimalText.format(value)) }
    static func money(_ value: Decimal) -> JSONValue {
        .number(DecimalText.usd(DecimalText.roundedResult(value, scale: 2)))
    }
    static func ratio(_ value: Decimal?) -> JSONValue? {
        value.map { .number(DecimalText.format(DecimalText.rounded($0, scale: 4))) }
    }
    static func object(_ fields: [(String, JSONValue?)]) -> JSONValue {
        .object(fields.compactMap { key, value in value.map { (key, $0) } })
    }

    static func point(_ point: CommitmentPoint, total: Decimal) -> JSONValue {
        object([
            ("hourlyCommitmentUSD", number(point.hourlyCommitmentUSD)),
            ("monthlyUSD", .number(DecimalText.usd(CommitmentText.total(total, with: point)))),
            ("savingsUSD", money(point.savingsUSD)),
            ("utilisation", ratio(point.utilisation)), ("coverage", ratio(point.coverage)),
        ])
    }

    static func held(_ title: String, fees: Decimal, utilisation: Decimal?, covered: Decimal, of bill: CommitmentBill)
        -> JSONValue
    {
        object([
            ("commitment", .string(title)), ("feesUSD", money(fees)), ("utilisation", ratio(utilisation)),
            ("coverage", ratio(CommitmentText.share(covered, of: bill))), ("coveredOnDemandUSD", money(covered)),
        ])
    }

    static func value(_ estimate: Estimate) -> JSONValue? {
        guard let report = estimate.commitments else { return nil }
        // A JSON boolean: JSONValue writes a number's text as it is.
        var fields: [(String, JSONValue?)] = [
            ("hours", .number(String(report.hours))), ("simulated", .number(report.simulated ? "true" : "false")),
            ("basis", .string(CommitmentText.basis(report))),
        ]
        if let bill = report.held {
            let held =
                bill.plans.map {
                    Self.held(
                        $0.plan.title, fees: $0.committedUSD, utilisation: $0.utilisation,
                        covered: $0.coveredOnDemandEquivalentUSD, of: bill)
                }
                + bill.reservations.map {
                    Self.held(
                        $0.reservation.title, fees: $0.feesUSD, utilisation: $0.utilisation,
                        covered: $0.coveredOnDemandEquivalentUSD, of: bill)
                }
            fields += [
                ("held", .array(held)), ("eligibleOnDemandUSD", money(bill.onDemandEquivalentUSD)),
                ("eligibleWithCommitmentsUSD", money(bill.totalUSD)), ("coverage", ratio(bill.coverage)),
            ]
        }
        fields.append(
            (
                "recommendations",
                .array(
                    report.recommendations.map { recommendation in
                        object([
                            ("plan", .string(CommitmentText.offerTitle(recommendation))),
                            ("type", .string(recommendation.offer.kind.rawValue)),
                            ("term", .string(recommendation.offer.length.rawValue)),
                            ("payment", .string(recommendation.offer.payment.rawValue)),
                            ("family", recommendation.family.map { .string($0) }),
                            ("best", point(recommendation.best, total: estimate.totalUSD)),
                            ("points", .array(recommendation.points.map { point($0, total: estimate.totalUSD) })),
                            (
                                "curve",
                                recommendation.curve.isEmpty
                                    ? nil : .array(recommendation.curve.map { point($0, total: estimate.totalUSD) })
                            ),
                        ])
                    })
            ))
        if let range = estimate.range, !report.range.isEmpty, let headline = report.headline {
            fields.append(
                (
                    "range",
                    .array(
                        report.range.map { item in
                            let total = item.load == "low" ? range.lowUSD : range.highUSD
                            return object([
                                ("load", .string(item.load)), ("best", point(item.best, total: total)),
                                ("expectedBestHourlyCommitmentUSD", number(headline.best.hourlyCommitmentUSD)),
                                ("atExpectedBest", point(item.expectedCommitment, total: total)),
                            ])
                        })
                ))
        }
        return object(fields)
    }
}

/// `commitment-curve.svg`: the month's total against the headline plan's hourly commitment,
/// from 0 to twice the best, the best marked.
public struct CommitmentCurveFormatter: EstimateFormatter {
    public var fileName: String { "commitment-curve.svg" }

    public init() {}

    public func applies(to estimate: Estimate) -> Bool { (estimate.commitments?.headline?.curve.count ?? 0) > 1 }

    public func format(_ estimate: Estimate) -> [UInt8] {
        guard let headline = estimate.commitments?.headline, headline.curve.count > 1 else { return [] }
        let totals = headline.curve.map { CommitmentText.total(estimate.totalUSD, with: $0) }
        let commitments = headline.curve.map(\.hourlyCommitmentUSD)
        let (low, high) = (totals.min()!, totals.max()!)
        let span = high == low ? 1 : high - low
        let maxCommitment = commitments.last! == 0 ? 1 : commitments.last!
        let (left, top, width, height) = (80.0, 40.0, 560.0, 240.0)
        func double(_ value: Decimal) -> Double { Double(truncating: value as NSDecimalNumber) }
        func x(_ commitment: Decimal) -> Double { left + width * double(commitment / maxCommitment) }
        func y(_ total: Decimal) -> Double { top + height * (1 - double((total - low) / span)) }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"700\" height=\"340\" viewBox=\"0 0 700 340\" font-family=\"sans-serif\" font-size=\"12\">\n"
        svg += "<title>\(CommitmentText.offerTitle(headline)): month's total against the hourly commitment</title>\n"
        svg += "<rect width=\"700\" height=\"340\" fill=\"white\"/>\n"
        svg +=
            "<text x=\"20\" y=\"24\" font-size=\"14\">\(CommitmentText.offerTitle(headline)): the month's total, USD</text>\n"
        svg +=
            "<line x1=\"\(f(left))\" y1=\"\(f(top + height))\" x2=\"\(f(left + width))\" y2=\"\(f(top + height))\" stroke=\"#444\"/>\n"
        svg +=
            "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + height))\" stroke=\"#444\"/>\n"
        for (value, label) in [(low, DecimalText.usd(low)), (high, DecimalText.usd(high))] {
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(value) + 4))\" text-anchor=\"end\">\(label)</text>\n"
        }
        for value in [Decimal(0), headline.best.hourlyCommitmentUSD, commitments.last!] {
            svg +=
                "<text x=\"\(f(x(value)))\" y=\"\(f(top + height + 16))\" text-anchor=\"middle\">\(DecimalText.format(value))</text>\n"
        }
        let path = zip(commitments, totals).enumerated().map { index, pair in
            "\(index == 0 ? "M" : "L")\(f(x(pair.0))),\(f(y(pair.1)))"
        }
        svg += "<path d=\"\(path.joined(separator: " "))\" fill=\"none\" stroke=\"#2a8a3a\" stroke-width=\"2\"/>\n"
        let best = CommitmentText.total(estimate.totalUSD, with: headline.best)
        svg +=
            "<circle cx=\"\(f(x(headline.best.hourlyCommitmentUSD)))\" cy=\"\(f(y(best)))\" r=\"4\" fill=\"#1f5fbf\"/>\n"
        svg +=
            "<text x=\"\(f(x(headline.best.hourlyCommitmentUSD) + 8))\" y=\"\(f(y(best) - 8))\">best: \(DecimalText.format(headline.best.hourlyCommitmentUSD)) USD/hour, \(DecimalText.usd(best)) USD</text>\n"
        svg +=
            "<text x=\"\(f(left + width / 2))\" y=\"\(f(top + height + 36))\" text-anchor=\"middle\">hourly commitment, USD (from the simulated hourly usage; 0 = no plan)</text>\n"
        svg += "</svg>\n"
        return Array(svg.utf8)
    }
}
