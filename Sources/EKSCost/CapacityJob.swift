import EKSInput
import EKSModel
import EKSReport
import Foundation

/// `ekscost capacity`: nodes per group, pods per node, allocatable, placement and subnet use,
/// printed as a table and written to `OUT/<scenario>/capacity.csv`. Needs prices only where a
/// group chooses among several instance types.
package enum CapacityJob {
    package static func run(scenarios paths: [String], options: RunOptions) -> CommandResult {
        var preparation: ScenarioPreparation
        switch ScenarioPreparation.start(options) {
        case .success(let started): preparation = started
        case .failure(let failure): return failure.result
        }
        var plans: [(Scenario, [ClusterCapacity])] = []
        for path in paths {
            guard let prepared = preparation.prepare(path) else { continue }
            let scenario = prepared.scenario
            var clusters: [ClusterCapacity] = []
            for (index, cluster) in scenario.clusters.enumerated() {
                // A group choosing among types chooses by their prices at its operating system's
                // rate (on-demand or Spot, as the planner does): a missing one is an error.
                for (groupIndex, group) in cluster.nodeGroups.enumerated() {
                    preparation.diagnostics += ListedTypePrices.problems(
                        of: group, term: group.capacityType == .spot ? PriceKey.spot : PriceKey.onDemand,
                        path: "clusters[\(index)].nodeGroups[\(groupIndex)]", in: scenario, snapshot: prepared.snapshot, catalog: prepared.catalog)
                }
                let plan = CapacityPlanner.plan(cluster, catalog: prepared.catalog,
                                                price: CapacityPlanner.prices(from: prepared.snapshot, region: scenario.region))
                preparation.diagnostics += CapacityPlanner.diagnostics(for: plan, cluster: cluster, clusterPath: "clusters[\(index)]", in: scenario)
                clusters.append(plan)
            }
            plans.append((scenario, clusters))
        }
        var result = CommandResult()
        result.diagnostics = preparation.diagnostics
        guard !result.stopsOnErrors("no report written") else { return result }
        var files: [(path: String, bytes: [UInt8])] = []
        for (scenario, clusters) in plans {
            let folder = (options.outDirectory as NSString).appendingPathComponent(scenario.name)
            files.append(((folder as NSString).appendingPathComponent("capacity.csv"),
                          CapacityCSVFormatter.format(scenario: scenario.name, capacity: clusters)))
        }
        guard result.writeAll(files) else { return result }
        for (index, (scenario, clusters)) in plans.enumerated() {
            if !options.quiet {
                if index > 0 { result.stdout += "\n" }
                result.stdout += table(scenario: scenario.name, clusters: clusters)
                result.messages.append("wrote \(files[index].path)")
            }
            if clusters.contains(where: { !$0.isComplete }) { result.status = .incompletePlan }
        }
        return result
    }

    static func table(scenario: String, clusters: [ClusterCapacity]) -> String {
        var out = ""
        for cluster in clusters {
            out += "\(scenario) / cluster \(cluster.cluster): \(cluster.nodeCount) node\(cluster.nodeCount == 1 ? "" : "s")\n\n"
            let header = ["group", "type", "nodes", "pods", "max pods", "allocatable/node", "requested", "cpu", "memory", "ENIs", "subnet IPs"]
            let rows = cluster.nodeTypes.map { plan -> [String] in
                let requested = plan.totalRequested
                let allocatable = plan.totalAllocatable
                return [plan.groupName, plan.type.name, String(plan.nodes), String(plan.pods), String(plan.maxPodsPerNode),
                        "\(plan.allocatablePerNode.cpu)m, \(plan.allocatablePerNode.memoryMiB) MiB",
                        "\(requested.cpuMillicores)m, \(DecimalText.format(DecimalText.rounded(Decimal(requested.memoryBytes) / 1_048_576, scale: 2))) MiB",
                        percent(requested.cpuMillicores, allocatable.cpuMillicores),
                        percent(requested.memoryBytes, allocatable.memoryBytes), String(plan.enis), String(plan.subnetIPs)]
            }
            out += TextTable.render(header: header, rows: rows, rightAligned: [2, 3, 4, 7, 8, 9, 10])
            for use in cluster.subnetUse {
                out += "subnets \(use.spec.description) (\(use.groups.joined(separator: ", "))): \(use.addressesUsed) of \(use.spec.usableAddresses) usable addresses held\n"
            }
            for pods in cluster.unschedulable {
                out += "UNSCHEDULABLE \(pods.workload): \(pods.count) pod\(pods.count == 1 ? "" : "s"): \(pods.explanation)\n"
            }
            out += "\n"
        }
        return out
    }

    static func percent(_ part: Int64, _ whole: Int64) -> String {
        guard whole > 0 else { return "-" }
        return DecimalText.format(DecimalText.rounded(Decimal(part) * 100 / Decimal(whole), scale: 1), minimumFractionDigits: 1) + " %"
    }
}
