import Autoscaling

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
    public static func validate(_ scenario: Scenario, catalog: InstanceCatalog, snapshot: PriceSnapshot?)
        -> [Diagnostic]
    {
        var diagnostics: [Diagnostic] = []
        func error(_ message: String, _ path: String) {
            diagnostics.append(.error(message, at: scenario.location(of: path)))
        }

        if let snapshot, !scenario.region.isEmpty, !snapshot.hasRegion(scenario.region) {
            error(
                MissingPrice.regionMessage(scenario.region, in: snapshot),
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
                    error(
                        "cluster \(cluster.name) has two node groups named \(group.name); names must be unique",
                        "\(path).name")
                }
                if group.instanceTypes == nil, !group.instanceType.isEmpty, catalog[group.instanceType] == nil {
                    error(unknownType(group.instanceType, group: group.name, catalog: catalog), "\(path).instanceType")
                }
                for (typeIndex, name) in (group.instanceTypes ?? []).enumerated() where catalog[name] == nil {
                    error(unknownType(name, group: group.name, catalog: catalog), "\(path).instanceTypes[\(typeIndex)]")
                }
                if let desired = group.desiredSize, let min = group.minSize, desired < min {
                    error(
                        "node group \(group.name): desiredSize \(desired) is below minSize \(min)",
                        "\(path).desiredSize")
                }
                if let desired = group.desiredSize, let max = group.maxSize, desired > max {
                    error(
                        "node group \(group.name): desiredSize \(desired) is above maxSize \(max)",
                        "\(path).desiredSize")
                }
                if let min = group.minSize, let max = group.maxSize, min > max {
                    error("node group \(group.name): minSize \(min) is above maxSize \(max)", "\(path).minSize")
                }
                if group.desiredSize == nil, group.minSize == nil, group.maxSize == nil, cluster.podWorkloads.isEmpty {
                    error(
                        "node group \(group.name) has no desiredSize, minSize or maxSize, and cluster \(cluster.name) has no workloads to size it from; give desiredSize: <nodes>",
                        "\(path).name")
                }
                if let volume = group.rootVolume, volume.sizeGiB > 0 {
                    let range = EBSVolumeLimits.sizeRange(volume.type)
                    if !range.contains(volume.sizeGiB) {
                        error(
                            "\(volume.type) volumes are \(range.lowerBound) to \(range.upperBound) GiB; node group \(group.name) asks for \(volume.sizeGiB) GiB",
                            "\(path).rootVolume.size")
                    }
                }
            }
            var workloadNames = Set<String>()
            for (workloadIndex, workload) in cluster.workloads.enumerated() {
                let path = "\(clusterPath).workloads[\(workloadIndex)]"
                if !workloadNames.insert("\(workload.kind.rawValue)/\(workload.qualifiedName)").inserted {
                    error(
                        "cluster \(cluster.name) has two \(workload.kind.rawValue)s named \(workload.qualifiedName)",
                        "\(path).name")
                }
                diagnostics += validateLoad(workload, path: path, scenario: scenario)
                if let behavior = workload.hpa?.behavior,
                    behavior.scaleUp?.tolerance != nil || behavior.scaleDown?.tolerance != nil,
                    !SimulationSettings.honoursHPATolerance(kubernetesVersion: cluster.kubernetesVersion)
                {
                    diagnostics.append(
                        .warning(
                            "workload \(workload.name): its HPA's behavior tolerance is ignored: the HPAConfigurableTolerance feature gate is off before Kubernetes 1.35 and cluster \(cluster.name) runs \(cluster.kubernetesVersion ?? "")",
                            at: scenario.location(of: "\(path).hpa")))
                }
            }
        }
        return diagnostics
    }

    /// Load references name existing curves and columns, and every HPA metric has a curve.
    static func validateLoad(_ workload: Workload, path: String, scenario: Scenario) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        func check(_ reference: CurveReference?, _ key: String) {
            guard let reference, !scenario.unreadableCurves.contains(reference.curve) else { return }
            guard let curve = scenario.curves[reference.curve] else {
                var message = "workload \(workload.name): no load curve named '\(reference.curve)'"
                if let hint = EditDistance.closest(to: reference.curve, in: scenario.curves.keys) {
                    message += "; did you mean '\(hint)'?"
                } else if scenario.curves.isEmpty {
                    message += " (spec.loadCurves defines none)"
                }
                diagnostics.append(.error(message, at: scenario.location(of: "\(path).load.\(key)")))
                return
            }
            if curve.series(reference.column) == nil {
                let columns = curve.columns.keys.sorted().joined(separator: ", ")
                let message =
                    reference.column == nil
                    ? "workload \(workload.name): load curve '\(reference.curve)' has several columns (\(columns)); write \(reference.curve)/<column>"
                    : "workload \(workload.name): load curve '\(reference.curve)' has no column '\(reference.column!)'; it has \(columns)"
                diagnostics.append(.error(message, at: scenario.location(of: "\(path).load.\(key)")))
            }
        }
        if let load = workload.load {
            check(load.cpu, "cpu")
            check(load.memory, "memory")
            for name in load.metrics.keys.sorted() { check(load.metrics[name], "metrics") }
        }
        if workload.vpa != nil && workload.load?.cpu == nil && workload.load?.memory == nil {
            diagnostics.append(
                .warning(
                    "workload \(workload.name): its VPA has no usage to recommend from (no load.cpu or load.memory); its requests are priced as written",
                    at: scenario.location(of: "\(path).vpa")))
        }
        // Without load curves an HPA keeps the deployed replicas; with them it must find a curve
        // for every metric it follows.
        guard let hpa = workload.hpa, workload.load != nil else { return diagnostics }
        for metric in hpa.effectiveMetrics {
            let needed: (String, Bool)
            switch metric {
            case .resource(.cpu, let target):
                needed = ("load.cpu (total CPU millicores the pods use)", workload.load?.cpu != nil)
                if case .utilization = target, workload.podRequests.cpuMillicores == 0 {
                    diagnostics.append(
                        .error(
                            "workload \(workload.name): its HPA targets CPU utilization, which needs CPU requests on its containers",
                            at: scenario.location(of: "\(path).hpa")))
                }
            case .resource(.memory, let target):
                needed = ("load.memory (total MiB the pods use)", workload.load?.memory != nil)
                if case .utilization = target, workload.podRequests.memoryBytes == 0 {
                    diagnostics.append(
                        .error(
                            "workload \(workload.name): its HPA targets memory utilization, which needs memory requests on its containers",
                            at: scenario.location(of: "\(path).hpa")))
                }
            case .pods(let name, _), .object(let name, _), .external(let name, _):
                needed = ("load.metrics.\(name)", workload.load?.metrics[name] != nil)
            }
            if !needed.1 {
                diagnostics.append(
                    .error(
                        "workload \(workload.name): its HPA needs \(needed.0) to follow; add it under load",
                        at: scenario.location(of: "\(path).hpa")))
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
