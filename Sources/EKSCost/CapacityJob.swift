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
                        path: "clusters[\(index)].nodeGroups[\(groupIndex)]", in: scenario, snapshot: prepared.snapshot,
                        catalog: prepared.catalog)
                }
                let plan = CapacityPlanner.plan(
                    cluster, catalog: prepared.catalog,
                    price: CapacityPlanner.prices(from: prepared.snapshot, region: scenario.region))
                preparation.diagnostics += CapacityPlanner.diagnostics(
                    for: plan, cluster: cluster, clusterPath: "clusters[\(index)]", in: scenario)
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
            files.append(
                (
                    (folder as NSString).appendingPathComponent("capacity.csv"),
                    CapacityCSVFormatter.format(scenario: scenario.name, capacity: clusters)
                ))
        }
        guard result.writeAll(files) else { return result }
        for (index, (scenario, clusters)) in plans.enumerated() {
            if !options.quiet {
                if index > 0 { result.stdout += "\n" }
                result.stdout += CapacityTableFormatter.format(scenario: scenario.name, clusters: clusters)
                result.messages.append("wrote \(files[index].path)")
            }
            if clusters.contains(where: { !$0.isComplete }) { result.status = .incompletePlan }
        }
        return result
    }
}
