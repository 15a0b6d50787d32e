public import EKSModel
import Foundation

/// `estimate.md`: GitHub-flavoured Markdown, the summary first, then every cost line with how
/// it was computed, the notes and the prices used with their sources.
public struct MarkdownEstimateFormatter: EstimateFormatter {
    public var fileName: String { "estimate.md" }

    public init() {}

    public func format(_ estimate: Estimate) -> [UInt8] {
        var out = Self.summary(estimate)
        out += "\n## Cost lines\n\n"
        out += "Each line is quantity × unit price × hours (prices per GB-month × hours ÷ hours per month), "
        out += "rounded to the cent, half away from zero. The total is the sum of the rounded lines.\n\n"
        out += "| Cluster | Group | Resource | Computation | Monthly USD |\n|---|---|---|---|--:|\n"
        for line in estimate.lines {
            var computation = Wording.computation(line)
            if let detail = Wording.detail(line) { computation += " (\(detail))" }
            out +=
                "| \(cell(line.cluster)) | \(cell(line.group)) | \(cell(line.resource)) | \(cell(computation)) | \(DecimalText.usd(line.monthlyUSD)) |\n"
        }
        out += "| **Total** | | | | **\(DecimalText.usd(estimate.totalUSD))** |\n"
        out += MarkdownCapacity.section(estimate)
        out += MarkdownCapacity.vpaSection(estimate)
        out += MarkdownCommitments.section(estimate)
        if !estimate.notes.isEmpty {
            out += "\n## Notes\n\n"
            for note in estimate.notes { out += "- \(note)\n" }
        }
        out += "\n## Prices used\n\n| Price | USD | Per | Source | Date |\n|---|--:|---|---|---|\n"
        var seen = Set<PriceKey>()
        for line in estimate.lines where seen.insert(line.price.key).inserted {
            let price = line.price
            out +=
                "| \(cell(price.key.description)) | \(DecimalText.format(price.usd, minimumFractionDigits: 2)) | \(price.unit.rawValue) | \(cell(price.source)) | \(price.sourceDate) |\n"
        }
        return Array(out.utf8)
    }

    /// The title and the summary table: what `ekscost estimate` also prints on stdout.
    public static func summary(_ estimate: Estimate) -> String {
        var out = "# \(estimate.scenario): \(DecimalText.usd(estimate.totalUSD)) USD per month\n\n"
        out += "Region \(estimate.region) · price snapshot `\(estimate.snapshotID)` (\(estimate.snapshotDate)) · "
        out += "\(Wording.periodLabel(estimate.period))\n\n"
        out += "## Summary\n\n| Cluster | Component | Monthly USD |\n|---|---|--:|\n"
        for subtotal in estimate.subtotals {
            out += "| \(cell(subtotal.cluster)) | \(subtotal.component.title) | \(DecimalText.usd(subtotal.usd)) |\n"
        }
        out += "| **Total** | | **\(DecimalText.usd(estimate.totalUSD))** |\n"
        if let range = estimate.range {
            out += "\nLow / expected / high: **\(DecimalText.usd(range.lowUSD))** (every HPA at its minimum) · "
            let simulated = estimate.capacity.contains { $0.timeline != nil }
            out +=
                "**\(DecimalText.usd(range.expectedUSD))** (\(simulated ? "simulated over the period" : "replicas as deployed")) · **\(DecimalText.usd(range.highUSD))** (every HPA at its maximum) USD per month; "
            out += "peak \(estimate.peakNodes) node\(estimate.peakNodes == 1 ? "" : "s").\n"
        }
        let unplaced = estimate.capacity.reduce(0) { $0 + $1.unschedulable.reduce(0) { $0 + $1.count } }
        if unplaced > 0 {
            let verbs = unplaced == 1 ? "pod fits on no node and is" : "pods fit on no node and are"
            out += "\n**Incomplete plan:** \(unplaced) \(verbs) not in the cost (see Capacity).\n"
        }
        return out
    }
}

/// A table cell: pipes escaped, line breaks flattened.
func cell(_ text: String) -> String {
    // Most cells hold neither: no Foundation search for them.
    guard text.utf8.contains(where: { $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "\n") }) else { return text }
    return text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
}

/// The capacity part of the Markdown report.
enum MarkdownCapacity {
    static func vpaSection(_ estimate: Estimate) -> String {
        guard let vpa = estimate.vpa else { return "" }
        func requests(_ r: ResourceRequests) -> String {
            "\(r.cpuMillicores)m, \(CapacityText.mebibytes(r.memoryBytes)) MiB"
        }
        var out = "\n## Vertical Pod Autoscaler\n\n"
        out +=
            "Recommendations of the upstream VPA recommender from each workload's usage curves (P90 + 15 % margin, confidence-scaled bounds), read at the end of the period.\n\n"
        out +=
            "| Workload | Container | Requests as written | VPA target | Lower bound | Upper bound |\n|---|---|---|---|---|---|\n"
        for item in vpa.advice {
            out +=
                "| \(cell(item.workload)) | \(cell(item.container)) | \(requests(item.written)) | \(requests(item.target)) | \(requests(item.lowerBound)) | \(requests(item.upperBound)) |\n"
        }
        let difference = vpa.recommendedUSD - vpa.writtenUSD
        out += "\n| Requests | Monthly USD | Peak nodes |\n|---|--:|--:|\n"
        out += "| As written (updateMode Off) | \(DecimalText.usd(vpa.writtenUSD)) | \(vpa.writtenPeakNodes) |\n"
        out +=
            "| As VPA sets them (updateMode Auto) | \(DecimalText.usd(vpa.recommendedUSD)) | \(vpa.recommendedPeakNodes) |\n"
        out += "| Difference | \(DecimalText.usd(difference)) | \(vpa.recommendedPeakNodes - vpa.writtenPeakNodes) |\n"
        out +=
            "\nThis estimate uses \(vpa.estimateUsesRecommendation ? "the VPA's requests (its updateMode applies them)" : "the requests as written (updateMode Off only recommends)").\n"
        return out
    }

    /// For simulated clusters: nodes per type on average and at peak, replica ranges, the chart.
    static func stepText(_ seconds: Int) -> String {
        if seconds % 3600 == 0 { return seconds == 3600 ? "hourly" : "\(seconds / 3600)-hour" }
        return seconds % 60 == 0 ? "\(seconds / 60)-minute" : "\(seconds)-second"
    }

    static func simulatedSection(_ estimate: Estimate) -> String {
        let simulated = estimate.capacity.filter { $0.timeline != nil }
        guard !simulated.isEmpty else { return "" }
        let settings = simulated[0].timeline!.settings
        var out =
            "\nSimulated over the period (HPA syncs every \(settings.hpaSyncSeconds) s; \(stepText(settings.reportStepSeconds)) steps in capacity.csv):\n\n"
        out +=
            "| Cluster | Group | Type | Average nodes | Peak nodes | Node-hours | Max pods/node | Allocatable/node |\n|---|---|---|--:|--:|--:|--:|---|\n"
        for cluster in simulated {
            let timeline = cluster.timeline!
            let period = Decimal(timeline.periodSeconds)
            for key in timeline.nodeKeys {
                guard let plan = timeline.templates[key] else { continue }
                let seconds = Decimal(timeline.nodeSeconds(key))
                let peak = timeline.peakNodes(key)
                out +=
                    "| \(cell(cluster.cluster)) | \(cell(key.group)) | \(key.type) | \(DecimalText.format(DecimalText.rounded(seconds / period, scale: 2))) | "
                out +=
                    "\(peak) | \(DecimalText.format(DecimalText.rounded(seconds / 3600, scale: 2))) | \(plan.maxPodsPerNode) | "
                out += "\(plan.allocatablePerNode.cpu)m, \(plan.allocatablePerNode.memoryMiB) MiB |\n"
            }
        }
        out += "\n| Cluster | Workload | Replicas (min–max) | Changes |\n|---|---|---|--:|\n"
        for cluster in simulated {
            let timeline = cluster.timeline!
            for (name, trajectory) in zip(timeline.workloadNames, timeline.trajectories).sorted(by: { $0.0 < $1.0 }) {
                // The trajectory's minimum and maximum, in one pass without copying its counts.
                var (minimum, maximum) = (Int.max, Int.min)
                for change in trajectory.changes {
                    minimum = min(minimum, change.replicas)
                    maximum = max(maximum, change.replicas)
                }
                if trajectory.changes.isEmpty { (minimum, maximum) = (0, 0) }
                out +=
                    "| \(cell(cluster.cluster)) | \(cell(name)) | \(minimum)–\(maximum) | \(trajectory.changes.count - 1) |\n"
            }
        }
        out += "\n![Nodes and hourly cost over the period](chart.svg)\n"
        return out
    }

    static func section(_ estimate: Estimate) -> String {
        guard
            estimate.capacity.contains(where: {
                !$0.nodeTypes.isEmpty || !$0.unschedulable.isEmpty || $0.timeline != nil
            })
        else { return "" }
        var out = "\n## Capacity\n\n"
        out += "Nodes per group as placement needs them (first-fit decreasing as the Cluster Autoscaler estimates; "
        out +=
            "a managed or self-managed group with several instance types is sized from its first type, a Karpenter or Auto Mode group "
        out += "launches the cheapest type that fits; the notes say which rule each group followed). "
        out +=
            "Allocatable follows the EKS AMI (kube-reserved, 100 MiB eviction threshold); requests include DaemonSets.\n\n"
        let staticClusters = estimate.capacity.filter { $0.timeline == nil && !$0.nodeTypes.isEmpty }
        if !staticClusters.isEmpty {
            out +=
                "| Cluster | Group | Type | Nodes | Pods | Max pods/node | Allocatable/node | Requested | CPU | Memory | ENIs | Subnet IPs |\n"
            out += "|---|---|---|--:|--:|--:|---|---|--:|--:|--:|--:|\n"
        }
        for cluster in staticClusters {
            for plan in cluster.nodeTypes {
                let requested = plan.totalRequested
                let allocatable = plan.totalAllocatable
                out +=
                    "| \(cell(cluster.cluster)) | \(cell(plan.groupName)) | \(plan.type.name) | \(plan.nodes) | \(plan.pods) | "
                out +=
                    "\(plan.maxPodsPerNode) | \(plan.allocatablePerNode.cpu)m, \(plan.allocatablePerNode.memoryMiB) MiB | "
                out += "\(requested.cpuMillicores)m, \(CapacityText.mebibytes(requested.memoryBytes)) MiB | "
                out += "\(CapacityText.percent(requested.cpuMillicores, of: allocatable.cpuMillicores)) % | "
                out +=
                    "\(CapacityText.percent(requested.memoryBytes, of: allocatable.memoryBytes)) % | \(plan.enis) | \(plan.subnetIPs) |\n"
            }
        }
        out += simulatedSection(estimate)
        for cluster in estimate.capacity {
            for use in cluster.subnetUse {
                out +=
                    "\nSubnets \(use.spec.description) of \(use.groups.joined(separator: ", ")): \(use.addressesUsed) of \(use.spec.usableAddresses) usable addresses held.\n"
            }
        }
        let unplaced = estimate.capacity.flatMap { cluster in cluster.unschedulable.map { (cluster.cluster, $0) } }
        if !unplaced.isEmpty {
            out +=
                "\n### Pods that fit nowhere\n\nThe plan is incomplete: these pods are not on any node and not in the cost.\n\n"
            out += "| Cluster | Workload | Pods | Reason |\n|---|---|--:|---|\n"
            for (cluster, pods) in unplaced {
                out += "| \(cell(cluster)) | \(cell(pods.workload)) | \(pods.count) | \(cell(pods.explanation)) |\n"
            }
        }
        return out
    }
}
