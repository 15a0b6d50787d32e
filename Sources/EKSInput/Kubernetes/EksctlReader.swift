import EKSModel
import Foundation
import Yams

/// What an eksctl `ClusterConfig` says about the cluster ekscost prices.
public struct EksctlCluster: Sendable {
    /// `metadata.name`.
    public var name: String
    /// `metadata.region`, when given.
    public var region: String?
    /// `metadata.version`, when given.
    public var kubernetesVersion: String?
    /// `nodeGroups` then `managedNodeGroups`, in the order written.
    public var nodeGroups: [NodeGroup]
    public var fargateProfiles: [FargateProfile]
    /// Where things were written, by path: `metadata.name`, `metadata.region`,
    /// `metadata.version`, `nodeGroups[i].…` (managed groups numbered after the unmanaged
    /// ones, with the model's key names: `desiredSize`, `rootVolume.size`, …),
    /// `fargateProfiles[i].…`.
    var locations: [String: SourceLocation]
    public var origin: SourceLocation
    /// Upgrade policy, control plane tier, NAT gateways, Auto Mode, capabilities.
    var settings = EksctlClusterSettings()
}

/// Reads eksctl `ClusterConfig` files (`eksctl.io/v1alpha5`).
///
/// Keys of the documented schema that do not change the price (vpc, iam, addons, ssh, tags…)
/// are accepted and ignored; keys that are not in the schema are reported with a "did you
/// mean" hint, so a typo such as `desiredCapcity` does not silently change the estimate. The
/// key lists come from eksctl's generated JSON schema
/// (pkg/apis/eksctl.io/v1alpha5/assets/schema.json, `preferredOrder` of each definition).
///
/// Mapping (defaults from eksctl pkg/apis/eksctl.io/v1alpha5/types.go, defaults.go and
/// validation.go):
/// - `instanceType`; `instanceTypes` (managed) or `instancesDistribution.instanceTypes`
///   (unmanaged) give several types, launched in the order listed (on-demand; see
///   `InstanceTypeRule`); none at all is eksctl's `DefaultNodeType`, m5.large.
/// - Sizes as eksctl completes them before creating the Auto Scaling group: `minSize`
///   defaults to `desiredCapacity`, else to `DefaultNodeCount` (2); `maxSize` to
///   `desiredCapacity`, else to `minSize`. When min = max the group is fixed
///   (`desiredSize`), otherwise autoscaled between them.
/// - `spot: true` (managed), or `instancesDistribution` with no on-demand part, is spot.
/// - `amiFamily: WindowsServer…` runs Windows (priced at the Windows rate); every other family
///   is Linux.
/// - Root volume: `volumeSize` GiB (default 80) of `volumeType` (default gp3).
/// - `privateNetworking: false` (eksctl's default) puts nodes in public subnets, where each
///   node has its own public IPv4 address (eksctl User Guide, "Subnet Settings": "if the nodes
///   are in a public subnet … the outgoing traffic has the IP of each individual node"), so
///   `publicIPv4` is `!privateNetworking`.
/// - AWS Outposts (`outpost.controlPlaneOutpostARN`, a node group's `outpostARN`) is an error:
///   Outposts capacity is not billed at the Region's EC2 rates.
/// - `additionalVolumes`, `volumeIOPS` and `volumeThroughput` are priced like the root volume; the
///   VPC's NAT gateways, `upgradePolicy`, `controlPlaneScalingConfig`, `autoModeConfig` and
///   `capabilities` are read by `readClusterSettings` (EksctlClusterSettings.swift).
/// - Labels, plus the two eksctl puts on every node (`alpha.eksctl.io/cluster-name`,
///   `alpha.eksctl.io/nodegroup-name`, defaults.go `setDefaultNodeLabels`); taints in the list
///   form `[{key, value, effect}]` or the map form `key: value:Effect`.
public enum EksctlReader {
    public static let apiVersion = "eksctl.io/v1alpha5"
    public static let kind = "ClusterConfig"

    /// eksctl's `DefaultNodeType`, `DefaultNodeCount`, `DefaultNodeVolumeSize` and `DefaultNodeVolumeType`.
    static let defaultInstanceType = "m5.large"
    static let defaultNodeCount = 2
    static let defaultVolumeSizeGiB = 80
    static let defaultVolumeType = "gp3"
    /// The volume types eksctl accepts for `volumeType`.
    static let volumeTypes = ["gp2", "gp3", "io1", "sc1", "st1"]

    static let clusterConfigKeys = [
        "apiVersion", "kind", "metadata", "kubernetesNetworkConfig", "autoModeConfig", "remoteNetworkConfig", "iam",
        "iamIdentityMappings", "identityProviders", "accessConfig", "vpc", "addons", "addonsConfig", "privateCluster",
        "nodeGroups", "managedNodeGroups", "fargateProfiles", "availabilityZones", "localZones", "cloudWatch",
        "secretsEncryption", "gitops", "karpenter", "outpost", "zonalShiftConfig", "status",
    ] + newerClusterConfigKeys
    static let metadataKeys = ["name", "region", "version", "forceUpdateVersion", "tags", "annotations", "accountID"]
    /// `NodeGroupBase`: keys both kinds of node group take.
    static let nodeGroupBaseKeys = [
        "name", "amiFamily", "instanceType", "availabilityZones", "subnets", "instancePrefix", "instanceName",
        "desiredCapacity", "minSize", "maxSize", "volumeSize", "ssh", "labels", "privateNetworking", "tags", "iam", "ami",
        "securityGroups", "maxPodsPerNode", "asgSuspendProcesses", "ebsOptimized", "volumeType", "volumeName",
        "volumeEncrypted", "volumeKmsKeyID", "volumeIOPS", "volumeThroughput", "additionalVolumes", "preBootstrapCommands",
        "overrideBootstrapCommand", "propagateASGTags", "disableIMDSv1", "disablePodIMDS", "placement", "efaEnabled",
        "instanceSelector", "bottlerocket", "enableDetailedMonitoring", "capacityReservation", "outpostARN",
    ]
    static let unmanagedKeys = nodeGroupBaseKeys + [
        "instancesDistribution", "asgMetricsCollection", "cpuCredits", "classicLoadBalancerNames", "targetGroupARNs",
        "taints", "updateConfig", "clusterDNS", "kubeletExtraConfig", "containerRuntime", "maxInstanceLifetime",
        "localZones",
    ]
    static let managedKeys = nodeGroupBaseKeys + [
        "instanceTypes", "spot", "taints", "updateConfig", "launchTemplate", "releaseVersion", "nodeRepairConfig",
    ]
    static let distributionKeys = [
        "instanceTypes", "maxPrice", "onDemandBaseCapacity", "onDemandPercentageAboveBaseCapacity", "spotInstancePools",
        "spotAllocationStrategy", "capacityRebalance",
    ]

    /// Reads the file at `path`.
    public static func read(path: String) -> (cluster: EksctlCluster?, diagnostics: [Diagnostic]) {
        let (text, problem) = YAMLDocuments.text(ofFile: path, what: "eksctl file")
        guard let text else { return (nil, problem.map { [$0] } ?? []) }
        return parse(yaml: text, file: path)
    }

    public static func parse(yaml: String, file: String) -> (cluster: EksctlCluster?, diagnostics: [Diagnostic]) {
        let context = YAMLDiagnostics(file: file)
        let documents = YAMLDocuments.parse(yaml, context: context)
        guard let first = documents.first else {
            if !context.diagnostics.hasErrors {
                context.diagnostics.append(.error("eksctl file is empty: expected apiVersion: \(apiVersion), kind: \(kind), metadata and node groups",
                                                  at: SourceLocation(file: file, line: 1)))
            }
            return (nil, context.diagnostics)
        }
        if documents.count > 1 {
            context.document = documents[1].number
            context.error("an eksctl file holds one ClusterConfig; this is a second document (give manifests with --manifests or spec.sources.manifests)",
                          at: documents[1].node)
        }
        context.document = YAMLDocuments.numbered(documents) ? first.number : nil
        let cluster = readClusterConfig(first.node, context: context)
        return (cluster, context.diagnostics)
    }

    static func readClusterConfig(_ root: Node, context: YAMLDiagnostics) -> EksctlCluster? {
        guard let top = MappingReader(root, context: context, path: "", what: "the eksctl ClusterConfig",
                                      allowedKeys: clusterConfigKeys) else { return nil }
        if let version = top.string("apiVersion", required: "write apiVersion: \(apiVersion)"), version != apiVersion {
            context.error("apiVersion of an eksctl file must be \(apiVersion), found \"\(version)\"", at: top.value("apiVersion")!)
        }
        if let kind = top.string("kind", required: "write kind: \(kind)"), kind != self.kind {
            context.error("kind of an eksctl file must be \(self.kind), found \"\(kind)\"", at: top.value("kind")!)
        }
        var cluster = EksctlCluster(name: "", nodeGroups: [], fargateProfiles: [], locations: [:],
                                    origin: context.location(root))
        if let metadata = top.mapping("metadata", what: "metadata of the eksctl ClusterConfig", allowedKeys: metadataKeys) {
            cluster.name = metadata.string("name", required: "the cluster's name") ?? ""
            cluster.region = metadata.string("region")
            if let region = cluster.region, !ScenarioLoader.isRegionCode(region) {
                context.error("metadata.region must be an AWS region code such as us-east-1, found \"\(region)\"", at: metadata.value("region")!)
            }
            cluster.kubernetesVersion = metadata.string("version")
            if let version = cluster.kubernetesVersion, EKSVersionCalendar.minorVersion(version) == nil {
                context.error("metadata.version must be a Kubernetes version such as \"1.31\", found \"\(version)\"", at: metadata.value("version")!)
            }
        } else if !top.has("metadata") {
            top.missing("metadata", "a mapping with the cluster's name and region")
        }
        let clusterName = cluster.name.isEmpty ? "the cluster" : "cluster \(cluster.name)"
        cluster.settings = readClusterSettings(top, region: cluster.region, context: context)
        rejectOutposts(top, clusterName: clusterName, context: context)

        var index = 0
        for (key, managed) in [("nodeGroups", false), ("managedNodeGroups", true)] {
            for (_, node) in top.list(key) ?? [] {
                if let group = readNodeGroup(node, path: "nodeGroups[\(index)]", managed: managed, cluster: cluster.name,
                                             clusterName: clusterName, context: context) {
                    cluster.nodeGroups.append(group)
                    index += 1
                }
            }
        }
        // EKS Auto Mode's built-in node pools, after the node groups.
        for group in cluster.settings.autoModeGroups {
            context.locations["nodeGroups[\(index)]"] = context.locations["autoModeConfig"] ?? context.location(root)
            cluster.nodeGroups.append(group)
            index += 1
        }
        var profileIndex = 0
        for (_, node) in top.list("fargateProfiles") ?? [] {
            if let profile = readFargateProfile(node, path: "fargateProfiles[\(profileIndex)]", clusterName: clusterName, context: context) {
                cluster.fargateProfiles.append(profile)
                profileIndex += 1
            }
        }
        if cluster.nodeGroups.isEmpty && cluster.fargateProfiles.isEmpty && !top.has("autoModeConfig") && !context.diagnostics.hasErrors {
            context.diagnostics.append(.warning("the eksctl ClusterConfig has no nodeGroups, managedNodeGroups or fargateProfiles: no compute is priced from it",
                                                at: context.location(root)))
        }
        cluster.locations = context.locations
        return cluster
    }

    static func readNodeGroup(_ node: Node, path: String, managed: Bool, cluster: String, clusterName: String,
                              context: YAMLDiagnostics) -> NodeGroup? {
        let kind = managed ? "managed node group" : "node group"
        guard let map = MappingReader(node, context: context, path: path, what: "a \(kind) of \(clusterName)", named: kind,
                                      allowedKeys: managed ? managedKeys : unmanagedKeys) else { return nil }
        let name = map.string("name", required: "a name for the node group") ?? "nodegroup"
        let what = map.what
        var group = NodeGroup(name: name, instanceType: defaultInstanceType)
        // Both are Auto Scaling groups scaled by the Cluster Autoscaler: several types launch in the
        // order listed (see InstanceTypeRule).
        group.provisioner = managed ? .managedNodeGroup : .selfManaged
        func alias(_ modelKey: String, _ eksctlKey: String) {
            if let location = context.locations[map.childPath(eksctlKey)] { context.locations["\(path).\(modelKey)"] = location }
        }

        // Instance types.
        var types: [String]?
        if let items = map.list("instanceTypes") {
            types = typeNames(items, what: "instanceTypes of \(what)", context: context)
        }
        var onDemandShare: (base: Int, percent: Int)?
        if let distribution = map.mapping("instancesDistribution", what: "instancesDistribution of \(what)", allowedKeys: distributionKeys) {
            if let items = distribution.list("instanceTypes", required: "the instance types to mix") {
                types = typeNames(items, what: "instancesDistribution.instanceTypes of \(what)", context: context)
                if let location = context.locations[distribution.childPath("instanceTypes")] {
                    context.locations["\(path).instanceTypes"] = location
                }
            }
            onDemandShare = (distribution.integer("onDemandBaseCapacity", in: 0...100_000) ?? 0,
                             distribution.integer("onDemandPercentageAboveBaseCapacity", in: 0...100) ?? 100)
        }
        if let type = map.string("instanceType"), type != "mixed" {
            if types != nil {
                context.error("\(what) gives instanceType and a list of instance types; eksctl takes one of them (instanceType: mixed, or leave it out)",
                              at: map.value("instanceType")!)
            }
            group.instanceType = type
        }
        if let types, !types.isEmpty {
            group.instanceType = types[0]
            group.instanceTypes = types.count > 1 ? types : nil
        }
        if let selector = map.mapping("instanceSelector", what: "instanceSelector of \(what)",
                                      allowedKeys: ["vCPUs", "memory", "gpus", "cpuArchitecture"]), types == nil, !map.has("instanceType") {
            group.instanceRequirements = readInstanceSelector(selector, context: context)
            alias("instanceRequirements", "instanceSelector")
        }
        // A node group of a Region's cluster extended to an Outpost (FindNodeGroupOutpostARN).
        if let outpost = map.value("outpostARN") {
            context.error("\(what): outpostARN places its nodes on \(outpostsUnsupported); remove outpostARN to price the group in the Region",
                          at: outpost)
        }
        if managed, map.has("launchTemplate"), types == nil, !map.has("instanceType") {
            context.error("\(what) takes its instance type from a launch template, which ekscost cannot read; add instanceType or instanceTypes",
                          at: map.value("launchTemplate")!)
        }

        // Operating system: eksctl's WindowsServer* AMI families run Windows, License Included;
        // AmazonLinux2, AmazonLinux2023, Bottlerocket and the Ubuntu families are Linux
        // (pkg/apis/eksctl.io/v1alpha5/validation.go, `IsWindowsImage`).
        if let family = map.string("amiFamily"), family.hasPrefix("WindowsServer") {
            group.os = .windows
            alias("os", "amiFamily")
        }

        // Capacity type.
        if managed, map.bool("spot") == true {
            group.capacityType = .spot
            alias("capacityType", "spot")
        }
        if let (base, percent) = onDemandShare {
            if base == 0 && percent == 0 {
                group.capacityType = .spot
                alias("capacityType", "instancesDistribution")
            } else if percent < 100 {
                context.warning("\(what) mixes on-demand and spot instances (onDemandBaseCapacity \(base), onDemandPercentageAboveBaseCapacity \(percent)); ekscost prices a group with one capacity type and prices it all on-demand: split it into an on-demand and a spot group to price the mix",
                                at: map.value("instancesDistribution")!)
            }
        }

        // Sizes, completed as eksctl completes them (validation.go for managed groups,
        // pkg/cfn/builder/nodegroup.go for unmanaged ones).
        let desired = map.integer("desiredCapacity", in: 0...100_000)
        var minSize = map.integer("minSize", in: 0...100_000)
        var maxSize = map.integer("maxSize", in: 0...100_000)
        alias("desiredSize", "desiredCapacity")
        alias("minSize", "minSize")
        alias("maxSize", "maxSize")
        if minSize == nil { minSize = desired ?? defaultNodeCount }
        if maxSize == nil { maxSize = desired ?? minSize }
        if let minSize, let maxSize, minSize == maxSize, desired == nil || desired == minSize {
            group.desiredSize = minSize
            if context.locations["\(path).desiredSize"] == nil {
                context.locations["\(path).desiredSize"] = context.locations["\(path).minSize"] ?? context.locations[path]
            }
        } else {
            group.desiredSize = desired
            group.minSize = minSize
            group.maxSize = maxSize
        }

        // Root volume.
        let size = map.integer("volumeSize", in: 1...65_536) ?? defaultVolumeSizeGiB
        let volumeType = map.choice("volumeType", from: volumeTypes) ?? defaultVolumeType
        // io1 without volumeIOPS gets eksctl's DefaultNodeVolumeIO1IOPS, 100 (types.go).
        let iops = map.integer("volumeIOPS", in: 100...256_000) ?? (volumeType == "io1" ? 100 : nil)
        group.rootVolume = RootVolume(type: volumeType, sizeGiB: size, iops: iops,
                                      throughputMiBps: map.integer("volumeThroughput", in: 125...2000))
        alias("rootVolume.size", "volumeSize")
        alias("rootVolume.type", "volumeType")
        group.additionalVolumes = readAdditionalVolumes(map, what: what, context: context)

        // Network, labels, taints.
        group.publicIPv4 = !(map.bool("privateNetworking") ?? false)
        alias("publicIPv4", "privateNetworking")
        var labels = WorkloadReader.stringMap(map, "labels") ?? [:]
        if !cluster.isEmpty { labels["alpha.eksctl.io/cluster-name"] = cluster }
        labels["alpha.eksctl.io/nodegroup-name"] = name
        group.labels = labels
        if let node = map.value("taints") {
            group.taints = readTaints(node, path: "\(path).taints", owner: what, managed: managed, context: context)
        }
        if let node = map.value("maxPodsPerNode") {
            context.warning("\(what): maxPodsPerNode is not applied per node group; set networking.maxPodsCap on the scenario's cluster to cap pods per node",
                            at: node)
        }
        return group
    }

    static func typeNames(_ items: [(path: String, node: Node)], what: String, context: YAMLDiagnostics) -> [String] {
        let names = items.compactMap { item -> String? in
            guard let text = item.node.scalarText, !text.isEmpty else {
                context.error("\(what) must list instance type names", at: item.node)
                return nil
            }
            return text
        }
        if names.isEmpty, let first = items.first { context.error("\(what) must list at least one type", at: first.node) }
        return names
    }

    /// `instanceSelector: {vCPUs: 2, memory: "8", cpuArchitecture: arm64}`: eksctl picks the types
    /// with exactly these vCPUs and memory (GiB when no unit is given).
    static func readInstanceSelector(_ map: MappingReader, context: YAMLDiagnostics) -> InstanceRequirements {
        var requirements = InstanceRequirements()
        if let vcpus = map.integer("vCPUs", in: 1...10_000) {
            requirements.minVCPU = vcpus
            requirements.maxVCPU = vcpus
        }
        if let node = map.value("memory"), let text = node.scalarText {
            let lower = text.lowercased().replacingOccurrences(of: " ", with: "")
            let number = lower.hasSuffix("gib") ? String(lower.dropLast(3)) : lower.hasSuffix("gb") ? String(lower.dropLast(2)) : lower
            // eksctl's instanceSelector memory: GiB, within what the largest instances have.
            if case .success(let gib) = CheckedNumber.decimal(number, in: 0...1_048_576), gib > 0 {
                let mib = DecimalText.ceiling(gib * 1024).intValue
                requirements.minMemoryMiB = mib
                requirements.maxMemoryMiB = mib
            } else {
                context.error("memory of \(map.what) must be GiB from 0 to 1048576, such as 8 or 8GiB, found \"\(text)\"", at: node)
            }
        }
        if let arch = map.choice("cpuArchitecture", from: ["x86_64", "amd64", "arm64"]) {
            requirements.architectures = [arch == "amd64" ? "x86_64" : arch]
        }
        if let gpus = map.value("gpus"), gpus.scalarText != "0" {
            context.warning("gpus of \(map.what) is not used to choose instance types", at: gpus)
        }
        return requirements
    }

    /// The list form `[{key, value, effect}]` (both kinds of group) or the map form
    /// `{key: "value:Effect"}` (unmanaged groups, eksctl's `taintsWrapper`).
    static func readTaints(_ node: Node, path: String, owner: String, managed: Bool, context: YAMLDiagnostics) -> [Taint] {
        switch node {
        case .sequence(let items):
            return items.enumerated().compactMap { index, item in
                WorkloadReader.readTaint(item, path: "\(path)[\(index)]", owner: owner, context: context)
            }
        case .mapping(let entries) where !managed:
            var taints: [Taint] = []
            for (keyNode, valueNode) in entries {
                let key = keyNode.scalarText ?? ""
                guard let text = valueNode.scalarText, let colon = text.lastIndex(of: ":") else {
                    context.error("taint \(key) of \(owner) must be written value:Effect, such as \"web:NoSchedule\" or \":NoExecute\", found \(valueNode.kindDescription)",
                                  at: valueNode)
                    continue
                }
                let effectText = String(text[text.index(after: colon)...])
                guard let effect = Taint.Effect(rawValue: effectText) else {
                    var message = "taint \(key) of \(owner) has effect \"\(effectText)\"; expected NoSchedule, PreferNoSchedule or NoExecute"
                    if let hint = EditDistance.closest(to: effectText, in: Taint.Effect.allCases.map(\.rawValue)) { message += " (did you mean \(hint)?)" }
                    context.error(message, at: valueNode)
                    continue
                }
                taints.append(Taint(key: key, value: String(text[..<colon]), effect: effect))
            }
            return taints
        default:
            let expected = managed ? "a list of {key, value, effect}" : "a list of {key, value, effect} or a mapping of key: value:Effect"
            context.error("taints of \(owner) must be \(expected), found \(node.kindDescription)", at: node)
            return []
        }
    }

    static func readFargateProfile(_ node: Node, path: String, clusterName: String, context: YAMLDiagnostics) -> FargateProfile? {
        guard let map = MappingReader(node, context: context, path: path, what: "a Fargate profile of \(clusterName)",
                                      named: "Fargate profile",
                                      allowedKeys: ["name", "podExecutionRoleARN", "selectors", "subnets", "tags", "status"]) else { return nil }
        let name = map.string("name", required: "a name for the profile") ?? "fargate"
        return FargateProfile(name: name, selectors: WorkloadReader.readFargateSelectors(map, context: context))
    }
}
