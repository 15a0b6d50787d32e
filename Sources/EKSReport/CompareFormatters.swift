import CSVStream
public import EKSModel
import Foundation

/// `compare.md`: the strategies ranked, the cheapest marked, each workload's share under each,
/// and where Fargate and EC2 break even.
public enum CompareMarkdown {
    public static func format(_ comparison: Comparison) -> [UInt8] { Array(text(comparison).utf8) }

    public static func text(_ comparison: Comparison) -> String {
        var out = "# \(comparison.scenario): compute strategies compared\n\n"
        out +=
            "Region \(comparison.region) · price snapshot `\(comparison.snapshotID)` · \(Wording.periodLabel(comparison.period))\n\n"
        out += "| Rank | Strategy | Monthly USD | Nodes | Fargate pods | Notes |\n|--:|---|--:|--:|--:|---|\n"
        for (index, strategy) in comparison.strategies.enumerated() {
            let cheapest = strategy.isComparable && index == 0
            let rank = strategy.isComparable ? String(index + 1) : "–"
            let title = cheapest ? "**\(strategy.title)** (cheapest)" : strategy.title
            let usd = strategy.totalUSD.map(DecimalText.usd) ?? "–"
            out +=
                "| \(rank) | \(cell(title)) | \(cheapest ? "**\(usd)**" : usd) | \(strategy.estimate == nil ? "–" : String(strategy.nodes)) | "
            out += "\(strategy.estimate == nil ? "–" : String(strategy.fargatePods)) | \(cell(strategy.note)) |\n"
        }
        let priced = comparison.strategies.filter { $0.estimate != nil }
        if !priced.isEmpty {
            out += "\n## Monthly USD per workload\n\n"
            out +=
                "Node cost is shared by requests (the average of a workload's share of allocatable CPU and memory); what no pod requests is idle. Pods that fit nowhere cost nothing because they do not run: their cells say so.\n\n"
            out += "| Workload | " + priced.map { cell(shortTitle($0)) }.joined(separator: " | ") + " |\n"
            out += "|---|" + priced.map { _ in "--:|" }.joined() + "\n"
            for name in shareNames(priced) {
                let cells = priced.map { strategy in strategy.shares.first { $0.name == name }.map(shareCell) ?? "–" }
                out += "| \(cell(name)) | " + cells.joined(separator: " | ") + " |\n"
            }
            out +=
                "| **Total** | " + priced.map { "**\(DecimalText.usd($0.totalUSD!))**" }.joined(separator: " | ")
                + " |\n"
        }
        if !comparison.breakEvens.isEmpty {
            out += "\n## Fargate or EC2: break-even\n\n"
            out +=
                "Each workload alone: N Fargate pods against N pods on dedicated nodes of the type its node group uses (instance, root volume and public address per node)."
            if comparison.breakEvens.contains(where: { $0.curve != nil }) {
                out +=
                    " For a workload whose HPA follows a load curve, the nodes are kept for its peak all day and Fargate bills the pods that run: the question becomes how many hours a day, at peak, the pods may run before the nodes are cheaper (the curve's figure is average replicas ÷ peak × 24)."
            }
            out += "\n\n"
            for breakEven in comparison.breakEvens { out += "- \(breakEven.statement)\n" }
        }
        return out
    }

    /// `12.34`; `fits nowhere (3 pods)` for a workload none of whose pods run; `12.34 (2 pods fit
    /// nowhere)` when some do not.
    static func shareCell(_ share: CostShare) -> String {
        guard share.unplacedPods > 0 else { return DecimalText.usd(share.usd) }
        let pods = "\(share.unplacedPods) pod\(share.unplacedPods == 1 ? "" : "s")"
        if share.usd == 0 { return "fits nowhere (\(pods))" }
        return "\(DecimalText.usd(share.usd)) (\(pods) fit\(share.unplacedPods == 1 ? "s" : "") nowhere)"
    }

    static func shortTitle(_ strategy: StrategyResult) -> String {
        switch strategy.kind {
        case .asWritten: "As written"
        case .onDemand: "EC2 on-demand"
        case .spot: "EC2 spot"
        case .cheapestFamily: strategy.title.replacingOccurrences(of: "Cheapest instance family: ", with: "Family ")
        case .fargate: "Fargate"
        case .withSavingsPlan: "With Savings Plan"
        }
    }

    /// Workloads first (sorted), then DaemonSets, overhead, idle.
    static func shareNames(_ strategies: [StrategyResult]) -> [String] {
        var workloads = Set<String>()
        var others: [String] = []
        for share in strategies.flatMap(\.shares) {
            if share.kind == .workload {
                workloads.insert(share.name)
            } else if !others.contains(share.name) {
                others.append(share.name)
            }
        }
        let order: [CostShare.Kind] = [.daemonSets, .overhead, .idle]
        let sortedOthers = others.sorted { a, b in
            let ka = strategies.flatMap(\.shares).first { $0.name == a }!.kind
            let kb = strategies.flatMap(\.shares).first { $0.name == b }!.kind
            return order.firstIndex(of: ka)! < order.firstIndex(of: kb)!
        }
        return workloads.sorted() + sortedOthers
    }
}

/// `compare.csv`: one `total` row per strategy, then its `workload`, `daemonsets`,
/// `cluster-overhead` and `idle` rows (they add up to the total), then `break-even` rows.
public enum CompareCSV {
    public static let columns = [
        "scenario", "strategy", "rank", "cheapest", "row_type", "name", "monthly_usd", "nodes",
        "fargate_pods", "note", "fargate_pod_monthly_usd", "node_type", "pods_per_node",
        "node_monthly_usd", "ec2_cheaper_from_replicas", "ec2_always_cheaper_from_replicas",
        "peak_replicas", "average_replicas", "break_even_hours_per_day", "hours_per_day",
        "unplaced_pods",
    ]

    public static func format(_ comparison: Comparison) -> [UInt8] {
        var writer = CSVWriter()
        writer.writeRecord(columns)
        for (index, strategy) in comparison.strategies.enumerated() {
            let rank = strategy.isComparable ? String(index + 1) : ""
            let cheapest = strategy.isComparable && index == 0 ? "true" : "false"
            let id = strategy.kind.rawValue
            writer.writeRecord(
                [
                    comparison.scenario, id, rank, cheapest, "total", strategy.title,
                    strategy.totalUSD.map(DecimalText.usd) ?? "",
                    strategy.estimate == nil ? "" : String(strategy.nodes),
                    strategy.estimate == nil ? "" : String(strategy.fargatePods), strategy.note,
                ] + blanks(6) + [""])
            for share in strategy.shares {
                writer.writeRecord(
                    [
                        comparison.scenario, id, rank, cheapest, share.kind.rawValue, share.name,
                        DecimalText.usd(share.usd),
                    ] + blanks(9) + [share.kind == .workload ? String(share.unplacedPods) : ""])
            }
        }
        for breakEven in comparison.breakEvens {
            writer.writeRecord(
                [
                    comparison.scenario, "", "", "", "break-even", breakEven.workload, "", "", "", breakEven.statement,
                    DecimalText.usd(breakEven.fargatePodUSD), breakEven.nodeType, String(breakEven.podsPerNode),
                    DecimalText.usd(breakEven.nodeUSD), breakEven.ec2CheaperFrom.map(String.init) ?? "",
                    breakEven.ec2AlwaysCheaperFrom.map(String.init) ?? "",
                ] + curveFields(breakEven.curve) + [""])
        }
        return writer.bytes
    }

    /// Empty fields up to the curve columns, which only break-even rows of curve-driven workloads fill.
    static func blanks(_ count: Int) -> [String] { Array(repeating: "", count: count + 4) }

    static func curveFields(_ curve: CurveBreakEven?) -> [String] {
        guard let curve else { return ["", "", "", ""] }
        let decimals = { (value: Decimal, scale: Int) in
            DecimalText.format(DecimalText.roundedResult(value, scale: scale))
        }
        return [
            String(curve.peakReplicas), decimals(curve.averageReplicas, 4), decimals(curve.breakEvenHoursPerDay, 2),
            decimals(curve.hoursPerDay, 2),
        ]
    }
}
