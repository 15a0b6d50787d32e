public import EKSModel
import Foundation
import Yams

/// Joins what an eksctl file and Kubernetes manifests describe with a scenario.
///
/// The rule, documented in docs/eksctl-and-manifests.md ("How sources join a scenario"):
/// - The sources go into one cluster of the scenario: the one named like the eksctl file's
///   `metadata.name`, else the first; a scenario without clusters gets one named
///   `metadata.name`.
/// - Region: the scenario's `spec.region` if written (a different eksctl region is a warning),
///   else the eksctl file's. Kubernetes version: the cluster's `kubernetesVersion` if written,
///   else the eksctl file's.
/// - Node groups and Fargate profiles: the cluster's own first, then the eksctl file's
///   (unmanaged, then managed). Workloads: the cluster's own first, then the manifests', in
///   file order and document order. Names must stay unique, as for hand-written ones.
/// - Networking, support policy and memory overhead come from the scenario; where it does not
///   give them, the eksctl file's NAT gateways, `upgradePolicy` and control plane tier apply.
public enum KubernetesSources {
    /// The scenario `ekscost … --eksctl FILE --manifests PATH…` prices: named after the
    /// cluster, in its region, on the default price snapshot and the standard month.
    public static func scenario(eksctl: String?, manifests: [String]) -> (
        scenario: Scenario?, diagnostics: [Diagnostic]
    ) {
        guard let eksctl else {
            return (
                nil,
                [
                    .error(
                        "--manifests needs --eksctl (the cluster's region and node groups), or a scenario whose spec.sources names the manifests"
                    )
                ]
            )
        }
        let (cluster, eksctlDiagnostics) = EksctlReader.read(path: eksctl)
        var diagnostics = eksctlDiagnostics
        guard let cluster else { return (nil, diagnostics) }
        var name = cluster.name
        if !ScenarioLoader.isValidName(name) && ScenarioLoader.isValidName(name.lowercased()) {
            name = name.lowercased()
        }
        if !name.isEmpty && !ScenarioLoader.isValidName(name) {
            diagnostics.append(
                .error(
                    "metadata.name \"\(cluster.name)\" cannot name the report folder: use lower-case letters, digits, '-', '_' or '.', starting with a letter or digit",
                    at: cluster.locations["metadata.name"] ?? cluster.origin))
            name = "cluster"
        }
        if name.isEmpty { name = "cluster" }  // metadata.name missing: already an error
        var scenario = Scenario(name: name, region: "", clusters: [], origin: cluster.origin)
        let (manifestSet, manifestDiagnostics) = ManifestReader.read(manifests.map { ManifestPath($0) })
        diagnostics += manifestDiagnostics
        diagnostics += merge(
            eksctl: cluster, manifests: manifests.isEmpty ? nil : manifestSet, into: &scenario,
            regionWritten: false)
        return (scenario, diagnostics)
    }

    /// `spec.sources` and `spec.loads` of a scenario file: reads the files they name (paths
    /// relative to the scenario's folder) and joins them to `scenario`.
    static func apply(_ spec: MappingReader, to scenario: inout Scenario, file: String, context: YAMLDiagnostics) {
        if let sources = spec.mapping("sources", what: "sources", allowedKeys: ["eksctl", "manifests"]) {
            let folder = (file as NSString).deletingLastPathComponent
            func resolve(_ path: String) -> String {
                path.hasPrefix("/") || folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
            }
            var eksctl: EksctlCluster?
            if let path = sources.string("eksctl") {
                if FileManager.default.fileExists(atPath: resolve(path)) {
                    let (cluster, diagnostics) = EksctlReader.read(path: resolve(path))
                    eksctl = cluster
                    context.diagnostics += diagnostics
                } else {
                    context.error(
                        "cannot open eksctl file '\(resolve(path))': no such file", at: sources.value("eksctl")!)
                }
            }
            var manifests: ManifestSet?
            if let node = sources.value("manifests") {
                var paths: [ManifestPath] = []
                if let text = node.scalarText {
                    paths = [ManifestPath(resolve(text), namedAt: context.location(node))]
                } else if let items = sources.list("manifests") {
                    for (_, item) in items {
                        guard let text = item.scalarText else {
                            context.error(
                                "manifests in sources must list files or folders, found \(item.kindDescription)",
                                at: item)
                            continue
                        }
                        paths.append(ManifestPath(resolve(text), namedAt: context.location(item)))
                    }
                }
                let (set, diagnostics) = ManifestReader.read(paths)
                manifests = set
                context.diagnostics += diagnostics
            }
            if sources.has("eksctl") || sources.has("manifests") {
                let regionWritten = !scenario.region.isEmpty
                if eksctl != nil || manifests != nil {
                    context.diagnostics += merge(
                        eksctl: eksctl, manifests: manifests, into: &scenario, regionWritten: regionWritten,
                        sourcesLocation: context.location(sources.node))
                }
                if scenario.region.isEmpty && eksctl == nil && !context.diagnostics.hasErrors {
                    spec.missing("region", "the AWS region code, such as us-east-1 (no eksctl file gives it)")
                }
            } else {
                context.error("sources must name an eksctl file, manifests, or both", at: sources.node)
            }
        }
        if let loads = spec.value("loads") {
            applyLoads(loads, to: &scenario, context: context)
        }
    }

    /// Joins `eksctl` and `manifests` into the scenario by the rule above. `regionWritten`: the
    /// scenario gave its own region.
    static func merge(
        eksctl: EksctlCluster?, manifests: ManifestSet?, into scenario: inout Scenario, regionWritten: Bool,
        sourcesLocation: SourceLocation? = nil
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        if let eksctl {
            if !regionWritten, let region = eksctl.region {
                scenario.region = region
                scenario.locations["region"] = eksctl.locations["metadata.region"]
            } else if let region = eksctl.region, region != scenario.region {
                diagnostics.append(
                    .warning(
                        "the eksctl file's region \(region) differs from the scenario's \(scenario.region); the scenario's is used",
                        at: eksctl.locations["metadata.region"]))
            }
            if scenario.region.isEmpty {
                diagnostics.append(
                    .error(
                        "no region: give spec.region in the scenario or metadata.region in the eksctl file",
                        at: eksctl.locations["metadata"] ?? eksctl.origin))
            }
        }
        var index: Int
        if let name = eksctl?.name, let named = scenario.clusters.firstIndex(where: { $0.name == name }) {
            index = named
        } else if !scenario.clusters.isEmpty {
            index = 0
        } else if let eksctl {
            scenario.clusters.append(Cluster(name: eksctl.name.isEmpty ? "cluster" : eksctl.name))
            index = scenario.clusters.count - 1
            scenario.locations["clusters[\(index)]"] = eksctl.origin
            scenario.locations["clusters[\(index)].name"] = eksctl.locations["metadata.name"]
        } else {
            diagnostics.append(
                .error(
                    "manifests need a cluster to run in: name an eksctl file in sources, or add a cluster under clusters",
                    at: sourcesLocation))
            return diagnostics
        }
        let clusterPath = "clusters[\(index)]"
        var cluster = scenario.clusters[index]

        if let eksctl {
            if cluster.kubernetesVersion == nil, let version = eksctl.kubernetesVersion {
                cluster.kubernetesVersion = version
                scenario.locations["\(clusterPath).kubernetesVersion"] = eksctl.locations["metadata.version"]
            } else if let version = eksctl.kubernetesVersion, let written = cluster.kubernetesVersion,
                version != written
            {
                diagnostics.append(
                    .warning(
                        "the eksctl file's version \(version) differs from kubernetesVersion \(written) of cluster \(cluster.name); \(written) is used",
                        at: eksctl.locations["metadata.version"]))
            }
            applySettings(
                eksctl, to: &cluster, clusterPath: clusterPath, scenario: &scenario, diagnostics: &diagnostics)
            let groupOffset = cluster.nodeGroups.count
            let profileOffset = cluster.fargateProfiles.count
            cluster.nodeGroups += eksctl.nodeGroups
            cluster.fargateProfiles += eksctl.fargateProfiles
            for (key, location) in eksctl.locations {
                if let rebased = rebase(key, collection: "nodeGroups", offset: groupOffset, clusterPath: clusterPath)
                    ?? rebase(key, collection: "fargateProfiles", offset: profileOffset, clusterPath: clusterPath)
                {
                    scenario.locations[rebased] = location
                }
            }
        }
        if let manifests {
            let offset = cluster.workloads.count
            cluster.workloads += manifests.workloads
            for (number, location) in manifests.loadBalancerLocations.enumerated() {
                scenario.locations["\(clusterPath).loadBalancers[\(cluster.loadBalancers.count + number)]"] = location
            }
            for (number, location) in manifests.volumeClaimLocations.enumerated() {
                scenario.locations["\(clusterPath).volumeClaims[\(cluster.volumeClaims.count + number)]"] = location
            }
            cluster.loadBalancers += manifests.loadBalancers
            cluster.volumeClaims += manifests.volumeClaims
            cluster.storageClasses += manifests.storageClasses
            for (number, locations) in manifests.workloadLocations.enumerated() {
                let base = "\(clusterPath).workloads[\(offset + number)]"
                for (key, location) in locations {
                    scenario.locations[key.isEmpty ? base : "\(base).\(key)"] = location
                }
            }
        }
        scenario.clusters[index] = cluster
        return diagnostics
    }

    /// The eksctl file's upgrade policy, control plane tier and NAT gateways, where the scenario's
    /// cluster does not give its own; its notes (no NAT gateway, capabilities) for the report.
    static func applySettings(
        _ eksctl: EksctlCluster, to cluster: inout Cluster, clusterPath: String,
        scenario: inout Scenario, diagnostics: inout [Diagnostic]
    ) {
        let settings = eksctl.settings
        if let policy = settings.supportPolicy, scenario.locations["\(clusterPath).supportType"] == nil {
            cluster.supportPolicy = policy
            scenario.locations["\(clusterPath).supportType"] = eksctl.locations["upgradePolicy.supportType"]
        }
        if cluster.controlPlaneTier == nil, let tier = settings.controlPlaneTier {
            cluster.controlPlaneTier = tier
            scenario.locations["\(clusterPath).controlPlaneTier"] = eksctl.locations["controlPlaneScalingConfig.tier"]
        }
        if cluster.networking.natGateways == nil, let nat = settings.natGateways {
            cluster.networking.natGateways = nat
            scenario.locations["\(clusterPath).networking.natGateways"] =
                eksctl.locations["vpc.nat.gateway"]
                ?? eksctl.locations["vpc"] ?? eksctl.origin
        }
        diagnostics += settings.notes.map { Diagnostic(.note, "\(cluster.name): \($0)") }
    }

    /// `nodeGroups[3].instanceType` → `clusters[0].nodeGroups[5].instanceType` with offset 2.
    static func rebase(_ key: String, collection: String, offset: Int, clusterPath: String) -> String? {
        let prefix = "\(collection)["
        guard key.hasPrefix(prefix), let close = key.firstIndex(of: "]"),
            let number = Int(key[key.index(key.startIndex, offsetBy: prefix.count)..<close])
        else { return nil }
        return "\(clusterPath).\(collection)[\(number + offset)]" + key[key.index(after: close)...]
    }

    /// `spec.loads: {"namespace/name": {cpu: curve/column, memory: curve/column, metrics: {name: curve/column}}}`:
    /// the load curves of the workloads of that namespace and name, in any cluster. The curves
    /// themselves are defined in `spec.loadCurves`.
    static func applyLoads(_ node: Node, to scenario: inout Scenario, context: YAMLDiagnostics) {
        guard case .mapping(let entries) = node else {
            context.error(
                "loads must be a mapping of \"namespace/name\" to {cpu, memory, metrics}, found \(node.kindDescription)",
                at: node)
            return
        }
        for (keyNode, valueNode) in entries {
            let key = keyNode.scalarText ?? ""
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                context.error(
                    "a key of loads must be a workload's \"namespace/name\", such as \"shop/web\", found \"\(key)\"",
                    at: keyNode)
                continue
            }
            guard
                let map = MappingReader(
                    valueNode, context: context, path: "loads.\(key)", what: "the load of \(key)",
                    allowedKeys: ["cpu", "memory", "metrics"])
            else { continue }
            let load = AutoscalerReader.readLoad(map, context: context)
            var matched = false
            for clusterIndex in scenario.clusters.indices {
                for workloadIndex in scenario.clusters[clusterIndex].workloads.indices
                where scenario.clusters[clusterIndex].workloads[workloadIndex].qualifiedName == key {
                    scenario.clusters[clusterIndex].workloads[workloadIndex].load = load
                    scenario.locations["clusters[\(clusterIndex)].workloads[\(workloadIndex)].load"] = context.location(
                        valueNode)
                    matched = true
                }
            }
            if !matched {
                let known = scenario.clusters.flatMap { $0.workloads.map(\.qualifiedName) }
                var message =
                    "loads names \(key), but no workload of the scenario (written or from its sources) is \(key)"
                if let hint = EditDistance.closest(to: key, in: known) { message += "; did you mean \(hint)?" }
                context.error(message, at: keyNode)
            }
        }
    }
}
