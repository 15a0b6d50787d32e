/// What a comparison strategy changed from the scenario as written, in words, for its note.
enum StrategyChanges {
    static func describe(from written: Scenario, to variant: Scenario) -> String {
        var parts: [String] = []
        var toNodes: [String] = []
        var toFargate: [String] = []
        var toSpot: [String] = []
        var toOnDemand: [String] = []
        var unreserved: [String] = []
        for (cluster, changed) in zip(written.clusters, variant.clusters) {
            for (workload, after) in zip(
                cluster.podWorkloads + cluster.jobWorkloads, changed.podWorkloads + changed.jobWorkloads)
            {
                let before = cluster.fargateProfile(for: workload) != nil
                let now = changed.fargateProfile(for: after) != nil
                if before && !now { toNodes.append(workload.qualifiedName) }
                if !before && now { toFargate.append(workload.qualifiedName) }
            }
            for (group, after) in zip(cluster.nodeGroups, changed.nodeGroups) {
                if group.capacityType == .onDemand && after.capacityType == .spot { toSpot.append(group.name) }
                if group.capacityType == .spot && after.capacityType == .onDemand { toOnDemand.append(group.name) }
                if group.reserved != nil && after.reserved == nil { unreserved.append(group.name) }
            }
        }
        if !toNodes.isEmpty {
            parts.append(
                "no Fargate: \(toNodes.joined(separator: ", ")) moved from Fargate profiles to the node groups")
        }
        if !toFargate.isEmpty { parts.append("moved to Fargate: \(toFargate.joined(separator: ", "))") }
        if !toSpot.isEmpty { parts.append("on Spot instead of on-demand: \(toSpot.joined(separator: ", "))") }
        if !toOnDemand.isEmpty { parts.append("on on-demand instead of Spot: \(toOnDemand.joined(separator: ", "))") }
        if !unreserved.isEmpty {
            parts.append(
                "Reserved terms not applied (they cover the written type on-demand): \(unreserved.joined(separator: ", "))"
            )
        }
        return parts.joined(separator: "; ")
    }
}
