public import Foundation

/// One cost line of an `estimate.csv`, as `ekscost diff` reads it back.
public struct ReportLine: Sendable, Hashable {
    public var cluster: String
    public var component: String
    public var group: String
    public var resource: String
    public var quantity: Decimal
    public var unit: String
    public var unitPriceUSD: Decimal
    public var hours: Decimal
    public var monthlyUSD: Decimal
    /// `hour`, `GB-month`, `upfront`, …; empty in files that predate the column.
    public var priceUnit: String
    public var hoursPerMonth: Decimal
    /// The line's row in its file, for messages.
    public var line: Int

    public init(
        cluster: String, component: String, group: String, resource: String, quantity: Decimal, unit: String,
        unitPriceUSD: Decimal, hours: Decimal, monthlyUSD: Decimal, priceUnit: String, hoursPerMonth: Decimal, line: Int
    ) {
        self.cluster = cluster
        self.component = component
        self.group = group
        self.resource = resource
        self.quantity = quantity
        self.unit = unit
        self.unitPriceUSD = unitPriceUSD
        self.hours = hours
        self.monthlyUSD = monthlyUSD
        self.priceUnit = priceUnit
        self.hoursPerMonth = hoursPerMonth
        self.line = line
    }

    /// Lines of two reports are the same line when they bill the same thing in the same place.
    public var key: String { [cluster, component, group, resource].joined(separator: "\u{1F}") }
}

/// An `estimate.csv` read back: its scenario, snapshot, month length, lines and total.
public struct EstimateReport: Sendable {
    public var path: String
    public var scenario: String
    public var snapshot: String
    public var hoursPerMonth: Decimal
    public var lines: [ReportLine]
    public var totalUSD: Decimal

    public init(
        path: String, scenario: String, snapshot: String, hoursPerMonth: Decimal, lines: [ReportLine], totalUSD: Decimal
    ) {
        self.path = path
        self.scenario = scenario
        self.snapshot = snapshot
        self.hoursPerMonth = hoursPerMonth
        self.lines = lines
        self.totalUSD = totalUSD
    }
}

/// How one line's monthly cost moved between two reports, split into what the price change
/// explains and what the usage change (quantity, hours) explains.
public struct LineChange: Sendable, Hashable {
    public enum Reason: String, Sendable {
        case price, usage, priceAndUsage = "price and usage", added, removed
        /// A commitment line (`component` commitments): its fees, or the usage it covered.
        case commitment
    }

    public var old: ReportLine?
    public var new: ReportLine?
    public var oldUSD: Decimal { old?.monthlyUSD ?? 0 }
    public var newUSD: Decimal { new?.monthlyUSD ?? 0 }
    public var changeUSD: Decimal { newUSD - oldUSD }
    /// The old usage at the new price minus the old cost, rounded to the cent.
    public var priceEffectUSD: Decimal
    /// A commitment line's whole change: what buying, dropping or resizing a commitment did,
    /// apart from price and usage changes.
    public var commitmentEffectUSD: Decimal { isCommitment ? changeUSD : 0 }
    /// The rest of the change, so the parts add up to it exactly.
    public var usageEffectUSD: Decimal { changeUSD - priceEffectUSD - commitmentEffectUSD }

    public var isCommitment: Bool { describing.component == CostComponent.commitments.rawValue }

    public var reason: Reason {
        if isCommitment { return .commitment }
        if old == nil { return .added }
        if new == nil { return .removed }
        switch (priceEffectUSD != 0, usageEffectUSD != 0) {
        case (true, true): return .priceAndUsage
        case (true, false): return .price
        default: return .usage
        }
    }

    public var describing: ReportLine { new ?? old! }
}

/// What changed between two estimate reports.
public struct ReportDiff: Sendable {
    public var old: EstimateReport
    public var new: EstimateReport
    /// Every line whose cost, price or usage changed, in the new report's order, then the
    /// removed lines in the old report's order.
    public var changes: [LineChange]
    /// Lines that are the same in both.
    public var unchanged: Int

    public var changeUSD: Decimal { new.totalUSD - old.totalUSD }
    public var priceEffectUSD: Decimal { changes.reduce(0) { $0 + $1.priceEffectUSD } }
    /// Usage changes of lines in both reports.
    public var usageEffectUSD: Decimal {
        changes.filter { $0.old != nil && $0.new != nil && !$0.isCommitment }.reduce(0) { $0 + $1.usageEffectUSD }
    }
    public var addedUSD: Decimal { changes.filter { $0.old == nil && !$0.isCommitment }.reduce(0) { $0 + $1.newUSD } }
    public var removedUSD: Decimal { changes.filter { $0.new == nil && !$0.isCommitment }.reduce(0) { $0 - $1.oldUSD } }
    /// Commitment lines' changes (fees, usage covered), added and removed ones included.
    public var commitmentEffectUSD: Decimal { changes.reduce(0) { $0 + $1.commitmentEffectUSD } }

    /// Matches lines by cluster, component, group and resource. The price effect of a line in
    /// both reports is its old usage priced at the new rate minus its old cost: for hourly
    /// prices `(new price − old price) × old quantity × old hours`; for monthly prices the
    /// same ÷ the old month's hours; for prices per GB `(new − old) × old GB`; for upfront fees the old cost scaled by the price ratio.
    /// The usage effect is the rest of the change (quantity and hours), so the parts add up to
    /// the change of the rounded line costs, and the lines to the change of the total.
    public static func compare(_ old: EstimateReport, _ new: EstimateReport) -> ReportDiff {
        var oldByKey: [String: ReportLine] = [:]
        for line in old.lines where oldByKey[line.key] == nil { oldByKey[line.key] = line }
        var changes: [LineChange] = []
        var unchanged = 0
        var matched = Set<String>()
        for line in new.lines {
            guard let before = oldByKey[line.key], !matched.contains(line.key) else {
                changes.append(LineChange(old: nil, new: line, priceEffectUSD: 0))
                continue
            }
            matched.insert(line.key)
            // A commitment line's change is the commitment's, whatever moved in it.
            let isCommitment = line.component == CostComponent.commitments.rawValue
            let change = LineChange(
                old: before, new: line, priceEffectUSD: isCommitment ? 0 : priceEffect(from: before, to: line))
            if change.changeUSD == 0 && before.unitPriceUSD == line.unitPriceUSD && before.quantity == line.quantity
                && before.hours == line.hours
            {
                unchanged += 1
            } else {
                changes.append(change)
            }
        }
        var seen = Set<String>()
        for line in old.lines where !matched.contains(line.key) && seen.insert(line.key).inserted {
            changes.append(LineChange(old: line, new: nil, priceEffectUSD: 0))
        }
        return ReportDiff(old: old, new: new, changes: changes, unchanged: unchanged)
    }

    static func priceEffect(from old: ReportLine, to new: ReportLine) -> Decimal {
        let step = new.unitPriceUSD - old.unitPriceUSD
        guard step != 0 else { return 0 }
        // Usage unchanged: the price explains the whole change, rounding included.
        if old.quantity == new.quantity && old.hours == new.hours { return new.monthlyUSD - old.monthlyUSD }
        let exact: Decimal
        switch old.priceUnit {
        case "upfront":
            guard old.unitPriceUSD != 0 else { return 0 }
            exact = old.monthlyUSD * step / old.unitPriceUSD
        case PriceUnit.gb.rawValue:
            exact = step * old.quantity
        case let unit where unit.hasSuffix("-month"):
            exact = old.hoursPerMonth == 0 ? 0 : step * old.quantity * old.hours / old.hoursPerMonth
        default:
            exact = step * old.quantity * old.hours
        }
        return DecimalText.roundedResult(exact, scale: 2)
    }
}
