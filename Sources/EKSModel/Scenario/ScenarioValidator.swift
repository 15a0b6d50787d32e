/// EBS volume types and the sizes AWS accepts for them.
///
/// Source: Amazon EBS User Guide, "Amazon EBS volume types" (gp2/gp3 1 GiB–16 TiB, io1 4 GiB–
/// 16 TiB, io2 Block Express 4 GiB–64 TiB, st1/sc1 125 GiB–16 TiB, magnetic 1 GiB–1 TiB).
public enum EBSVolumeLimits {
    public static let types = ["gp3", "gp2", "io1", "io2", "st1", "sc1", "standard"]

    public static func sizeRange(_ type: String) -> ClosedRange<Int> {
        switch type {
        case "io1": 4...16_384
        case "io2": 4...65_536
        case "st1", "sc1": 125...16_384
        case "standard": 1...1_024
        default: 1...16_384
        }
    }
}

/// Checks what a scenario refers to: instance types in the catalog, the region in the price
/// snapshot, sizes that agree, names that are unique.
public enum ScenarioValidator {
    public static func validate(_ scenario: Scenario, catalog: InstanceCatalog, snapshot: PriceSnapshot?) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        func error(_ message: String, _ path: String) {
            diagnostics.append(.error(message, at: scenario.location(of: path)))
        }

        if let snapshot, !scenario.region.isEmpty, !snapshot.hasRegion(scenario.region) {
            error("price snapshot \(snapshot.id) has no prices for region \(scenario.region); it covers \(snapshot.regions.joined(separator: ", "))",
                  "region")
        }
        var clusterNames = Set<String>()
        for (clusterIndex, cluster) in scenario.clusters.enumerated() {
            let clusterPath = "clusters[\(clusterIndex)]"
            if !clusterNames.insert(cluster.name).inserted {
                error("two clusters are named \(cluster.name); names must be unique", "\(clusterPath).name")
            }
            var groupNames = Set<String>()
            for (groupIndex, group) in cluster.nodeGroups.enumerated() {
                let path = "\(clusterPath).nodeGroups[\(groupIndex)]"
                if !groupNames.insert(group.name).inserted {
                    error("cluster \(cluster.name) has two node groups named \(group.name); names must be unique", "\(path).name")
                }
                if group.instanceTypes == nil, !group.instanceType.isEmpty, catalog[group.instanceType] == nil {
                    error(unknownType(group.instanceType, group: group.name, catalog: catalog), "\(path).instanceType")
                }
                for (typeIndex, name) in (group.instanceTypes ?? []).enumerated() where catalog[name] == nil {
                    error(unknownType(name, group: group.name, catalog: catalog), "\(path).instanceTypes[\(typeIndex)]")
                }
                if let desired = group.desiredSize, let min = group.minSize, desired < min {
                    error("node group \(group.name): desiredSize \(desired) is below minSize \(min)", "\(path).desiredSize")
                }
                if let desired = group.desiredSize, let max = group.maxSize, desired > max {
                    error("node group \(group.name): desiredSize \(desired) is above maxSize \(max)", "\(path).desiredSize")
                }
                if let min = group.minSize, let max = group.maxSize, min > max {
                    error("node group \(group.name): minSize \(min) is above maxSize \(max)", "\(path).minSize")
                }
                if group.desiredSize == nil, group.minSize == nil, group.maxSize == nil, cluster.podWorkloads.isEmpty {
                    error("node group \(group.name) has no desiredSize, minSize or maxSize, and cluster \(cluster.name) has no workloads to size it from; give desiredSize: <nodes>",
                          "\(path).name")
                }
                if let volume = group.rootVolume, volume.sizeGiB > 0 {
                    let range = EBSVolumeLimits.sizeRange(volume.type)
                    if !range.contains(volume.sizeGiB) {
                        error("\(volume.type) volumes are \(range.lowerBound) to \(range.upperBound) GiB; node group \(group.name) asks for \(volume.sizeGiB) GiB",
                              "\(path).rootVolume.size")
                    }
                }
            }
            var workloadNames = Set<String>()
            for (workloadIndex, workload) in cluster.workloads.enumerated() {
                let path = "\(clusterPath).workloads[\(workloadIndex)]"
                if !workloadNames.insert("\(workload.kind.rawValue)/\(workload.qualifiedName)").inserted {
                    error("cluster \(cluster.name) has two \(workload.kind.rawValue)s named \(workload.qualifiedName)", "\(path).name")
                }
            }
        }
        return diagnostics
    }

    static func unknownType(_ name: String, group: String, catalog: InstanceCatalog) -> String {
        var message = "unknown instance type '\(name)' in node group \(group)"
        let hints = catalog.suggestions(for: name)
        if !hints.isEmpty { message += "; did you mean \(hints.joined(separator: ", "))?" }
        return message
    }
}
