public import EKSModel
import Foundation

/// `ekscost capacity` on the terminal: per cluster, a table of node types (nodes, pods,
/// allocatable, what is requested of it, ENIs, subnet addresses), then subnet use and the pods
/// that found no node. The same plan goes to capacity.csv through `CapacityCSVFormatter`.
public enum CapacityTableFormatter {
    public static func format(scenario: String, clusters: [ClusterCapacity]) -> String {
        var out = ""
        for cluster in clusters {
            out +=
                "\(scenario) / cluster \(cluster.cluster): \(cluster.nodeCount) node\(cluster.nodeCount == 1 ? "" : "s")\n\n"
            let header = [
                "group", "type", "nodes", "pods", "max pods", "allocatable/node", "requested", "cpu", "memory", "ENIs",
                "subnet IPs",
            ]
            let rows = cluster.nodeTypes.map { plan -> [String] in
                let requested = plan.totalRequested
                let allocatable = plan.totalAllocatable
                return [
                    plan.groupName, plan.type.name, String(plan.nodes), String(plan.pods), String(plan.maxPodsPerNode),
                    "\(plan.allocatablePerNode.cpu)m, \(plan.allocatablePerNode.memoryMiB) MiB",
                    "\(requested.cpuMillicores)m, \(DecimalText.format(DecimalText.rounded(Decimal(requested.memoryBytes) / 1_048_576, scale: 2))) MiB",
                    percent(requested.cpuMillicores, allocatable.cpuMillicores),
                    percent(requested.memoryBytes, allocatable.memoryBytes), String(plan.enis), String(plan.subnetIPs),
                ]
            }
            out += TextTable.render(header: header, rows: rows, rightAligned: [2, 3, 4, 7, 8, 9, 10])
            for use in cluster.subnetUse {
                out +=
                    "subnets \(use.spec.description) (\(use.groups.joined(separator: ", "))): \(use.addressesUsed) of \(use.spec.usableAddresses) usable addresses held\n"
            }
            for pods in cluster.unschedulable {
                out +=
                    "UNSCHEDULABLE \(pods.workload): \(pods.count) pod\(pods.count == 1 ? "" : "s"): \(pods.explanation)\n"
            }
            out += "\n"
        }
        return out
    }

    static func percent(_ part: Int64, _ whole: Int64) -> String {
        guard whole > 0 else { return "-" }
        return DecimalText.format(
            DecimalText.rounded(Decimal(part) * 100 / Decimal(whole), scale: 1), minimumFractionDigits: 1) + " %"
    }
}
