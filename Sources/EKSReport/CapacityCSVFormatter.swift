import CSVStream
import EKSModel
import Foundation

/// `capacity.csv`: per cluster, node group and instance type, the nodes, pods, allocatable,
/// requests, utilisation, ENIs and subnet addresses; then a row per workload whose pods fit
/// nowhere. `row_type` tells the kinds of row apart; columns only ever get added at the end.
public struct CapacityCSVFormatter: EstimateFormatter {
    public static let columns = [
        "scenario", "cluster", "row_type", "node_group", "instance_type", "nodes", "pods", "daemonset_pods_per_node",
        "max_pods_per_node", "allocatable_cpu_m_per_node", "allocatable_memory_mib_per_node", "requested_cpu_m",
        "requested_memory_mib", "cpu_utilization_pct", "memory_utilization_pct", "enis", "subnet_ips", "workload",
        "unschedulable_pods", "reason",
    ]

    public var fileName: String { "capacity.csv" }

    public init() {}

    public func format(_ estimate: Estimate) -> [UInt8] {
        Self.format(scenario: estimate.scenario, capacity: estimate.capacity)
    }

    public static func format(scenario: String, capacity: [ClusterCapacity]) -> [UInt8] {
        var writer = CSVWriter()
        writer.writeRecord(Self.columns)
        for cluster in capacity {
            for plan in cluster.nodeTypes {
                let allocatable = plan.totalAllocatable
                let requested = plan.totalRequested
                writer.writeRecord([
                    scenario, cluster.cluster, "node-group", plan.groupName, plan.type.name, String(plan.nodes),
                    String(plan.pods), String(plan.daemonSetPodsPerNode), String(plan.maxPodsPerNode),
                    String(plan.allocatablePerNode.cpu), String(plan.allocatablePerNode.memoryMiB),
                    String(requested.cpuMillicores), CapacityText.mebibytes(requested.memoryBytes),
                    CapacityText.percent(requested.cpuMillicores, of: allocatable.cpuMillicores),
                    CapacityText.percent(requested.memoryBytes, of: allocatable.memoryBytes),
                    String(plan.enis), String(plan.subnetIPs), "", "", "",
                ])
            }
            for pods in cluster.unschedulable {
                writer.writeRecord([scenario, cluster.cluster, "unschedulable", "", "", "", "", "", "", "", "",
                                    "", "", "", "", "", "", pods.workload, String(pods.count), pods.explanation])
            }
        }
        return writer.bytes
    }
}

/// Numbers as capacity reports write them.
enum CapacityText {
    /// Bytes as MiB, at most two decimals (half away from zero).
    static func mebibytes(_ bytes: Int64) -> String {
        DecimalText.format(DecimalText.rounded(Decimal(bytes) / 1_048_576, scale: 2))
    }

    /// `part / whole` as a percentage with one decimal; empty when `whole` is zero.
    static func percent(_ part: Int64, of whole: Int64) -> String {
        guard whole > 0 else { return "" }
        return DecimalText.format(DecimalText.rounded(Decimal(part) * 100 / Decimal(whole), scale: 1), minimumFractionDigits: 1)
    }
}
