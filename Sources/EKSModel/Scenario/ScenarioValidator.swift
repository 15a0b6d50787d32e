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
                if !group.instanceType.isEmpty, catalog[group.instanceType] == nil {
                    var message = "unknown instance type '\(group.instanceType)' in node group \(group.name)"
                    let hints = catalog.suggestions(for: group.instanceType)
                    if !hints.isEmpty { message += "; did you mean \(hints.joined(separator: ", "))?" }
                    error(message, "\(path).instanceType")
                }
                if let min = group.minSize, group.desiredSize < min {
                    error("node group \(group.name): desiredSize \(group.desiredSize) is below minSize \(min)", "\(path).desiredSize")
                }
                if let max = group.maxSize, group.desiredSize > max {
                    error("node group \(group.name): desiredSize \(group.desiredSize) is above maxSize \(max)", "\(path).desiredSize")
                }
                if let min = group.minSize, let max = group.maxSize, min > max {
                    error("node group \(group.name): minSize \(min) is above maxSize \(max)", "\(path).minSize")
                }
                if let volume = group.rootVolume, volume.sizeGiB > 0 {
                    let range = EBSVolumeLimits.sizeRange(volume.type)
                    if !range.contains(volume.sizeGiB) {
                        error("\(volume.type) volumes are \(range.lowerBound) to \(range.upperBound) GiB; node group \(group.name) asks for \(volume.sizeGiB) GiB",
                              "\(path).rootVolume.size")
                    }
                }
            }
        }
        return diagnostics
    }
}
