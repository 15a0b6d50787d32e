public import EKSModel
import Foundation

/// Turns an estimate into the bytes of one report file. One formatter per output format.
public protocol EstimateFormatter: Sendable {
    /// `estimate.csv`, `estimate.md`, `estimate.json`.
    var fileName: String { get }
    func format(_ estimate: Estimate) -> [UInt8]
    /// Whether this estimate has anything for the file (the chart needs a simulated period).
    func applies(to estimate: Estimate) -> Bool
}

extension EstimateFormatter {
    public func applies(to estimate: Estimate) -> Bool { true }
}

/// The output formats `--format` accepts.
public enum ReportFormat: String, Sendable, CaseIterable {
    case csv, md, json

    /// The files this format writes: CSV also writes capacity.csv.
    public var formatters: [any EstimateFormatter] {
        switch self {
        case .csv: [CSVEstimateFormatter(), CapacityCSVFormatter()]
        case .md: [MarkdownEstimateFormatter(), TimelineChartFormatter(), CommitmentCurveFormatter()]
        case .json: [JSONEstimateFormatter()]
        }
    }
}

/// Shared wording of quantities and prices, so every format says the same thing.
enum Wording {
    static func count(_ quantity: Decimal, _ unit: String) -> String {
        let number = quantityValue(quantity)
        return "\(number) \(quantity == 1 ? unit : plural(unit))"
    }

    static func plural(_ unit: String) -> String {
        switch unit {
        case "GiB", "GB", "vCPU": unit
        case "address": "addresses"
        default: unit + "s"
        }
    }

    static func unitPrice(_ price: Price) -> String {
        "\(DecimalText.format(price.usd, minimumFractionDigits: 2)) USD/\(price.unit.rawValue)"
    }

    static func hours(_ hours: Decimal) -> String { "\(hoursValue(hours)) h" }

    /// Hours as reports show them: at most 6 decimals (job runs can make them repeat); costs
    /// use the exact value.
    static func hoursValue(_ hours: Decimal) -> String { DecimalText.format(DecimalText.rounded(hours, scale: 6)) }

    /// Quantities as reports show them: at most 6 decimals (averages over a simulated month
    /// repeat); costs use the exact value.
    static func quantityValue(_ quantity: Decimal) -> String {
        DecimalText.format(DecimalText.rounded(quantity, scale: 6))
    }

    /// `3 nodes × 0.096 USD/hour × 720 h`, with the proration for monthly prices.
    static func computation(_ line: CostLine) -> String {
        if line.price.unit == .upfront {
            let months = line.spreadOverMonths ?? 1
            return
                "\(count(line.quantity, line.unit)) × \(DecimalText.format(line.price.usd, minimumFractionDigits: 2)) USD upfront ÷ \(months) month\(months == 1 ? "" : "s")"
        }
        if line.price.unit.isPerQuantity { return "\(count(line.quantity, line.unit)) × \(unitPrice(line.price))" }
        var text = "\(count(line.quantity, line.unit)) × \(unitPrice(line.price)) × \(hours(line.hours))"
        if line.price.unit.isMonthly { text += " ÷ \(hours(line.hoursPerMonth))" }
        return text
    }

    /// `2160 instance-hours`, or how the quantity was reached.
    static func detail(_ line: CostLine) -> String? {
        var parts: [String] = []
        if line.component == .compute && line.price.unit == .hour {
            parts.append("\(DecimalText.format(DecimalText.roundedResult(line.unitHours, scale: 2))) instance-hours")
        }
        if let basis = line.basis { parts.append(basis) }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    static func periodLabel(_ period: BillingPeriod) -> String {
        if let month = period.month { return "\(month), \(DecimalText.format(period.hours)) hours" }
        return "\(DecimalText.format(period.hours)) hours per month"
    }
}
