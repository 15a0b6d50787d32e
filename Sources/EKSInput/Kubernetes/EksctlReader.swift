public import EKSModel
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

    static let clusterConfigKeys =
        [
            "apiVersion", "kind", "metadata", "kubernetesNetworkConfig", "autoModeConfig", "remoteNetworkConfig", "iam",
            "iamIdentityMappings", "identityProviders", "accessConfig", "vpc", "addons", "addonsConfig",
            "privateCluster",
            "nodeGroups", "managedNodeGroups", "fargateProfiles", "availabilityZones", "localZones", "cloudWatch",
            "secretsEncryption", "gitops", "karpenter", "outpost", "zonalShiftConfig", "status",
        ] + newerClusterConfigKeys
    static let metadataKeys = ["name", "region", "version", "forceUpdateVersion", "tags", "annotations", "accountID"]
    /// `NodeGroupBase`: keys both kinds of node group take.
    static let nodeGroupBaseKeys = [
        "name", "amiFamily", "instanceType", "availabilityZones", "subnets", "instancePrefix", "instanceName",
        "desiredCapacity", "minSize", "maxSize", "volumeSize", "ssh", "labels", "privateNetworking", "tags", "iam",
        "ami",
        "securityGroups", "maxPodsPerNode", "asgSuspendProcesses", "ebsOptimized", "volumeType", "volumeName",
        "volumeEncrypted", "volumeKmsKeyID", "volumeIOPS", "volumeThroughput", "additionalVolumes",
        "preBootstrapCommands",
        "overrideBootstrapCommand", "propagateASGTags", "disableIMDSv1", "disablePodIMDS", "placement", "efaEnabled",
        "instanceSelector", "bottlerocket", "enableDetailedMonitoring", "capacityReservation", "outpostARN",
    ]
    static let unmanagedKeys =
        nodeGroupBaseKeys + [
            "instancesDistribution", "asgMetricsCollection", "cpuCredits", "classicLoadBalancerNames",
            "targetGroupARNs",
            "taints", "updateConfig", "clusterDNS", "kubeletExtraConfig", "containerRuntime", "maxInstanceLifetime",
            "localZones",
        ]
    static let managedKeys =
        nodeGroupBaseKeys + [
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
                context.diagnostics.append(
                    .error(
                        "eksctl file is empty: expected apiVersion: \(apiVersion), kind: \(kind), metadata and node groups",
                        at: SourceLocation(file: file, line: 1)))
            }
            return (nil, context.diagnostics)
        }
        if documents.count > 1 {
            context.document = documents[1].number
            context.error(
                "an eksctl file holds one ClusterConfig; this is a second document (give manifests with --manifests or spec.sources.manifests)",
                at: documents[1].node)
        }
        context.document = YAMLDocuments.numbered(documents) ? first.number : nil
        let cluster = readClusterConfig(first.node, context: context)
        return (cluster, context.diagnostics)
    }

    static func readClusterConfig(_ root: Node, context: YAMLDiagnostics) -> EksctlCluster? {
        guard
            let top = MappingReader(
                root, context: context, path: "", what: "the eksctl ClusterConfig",
                allowedKeys: clusterConfigKeys)
        else { return nil }
        if let version = top.string("apiVersion", required: "write apiVersion: \(apiVersion)"), version != apiVersion {
            context.error(
                "apiVersion of an eksctl file must be \(apiVersion), found \"\(version)\"", at: top.value("apiVersion")!
            )
        }
        if let kind = top.string("kind", required: "write kind: \(kind)"), kind != self.kind {
            context.error("kind of an eksctl file must be \(self.kind), found \"\(kind)\"", at: top.value("kind")!)
        }
        var cluster = EksctlCluster(
            name: "", nodeGroups: [], fargateProfiles: [], locations: [:],
            origin: context.location(root))
        if let metadata = top.mapping(
            "metadata", what: "metadata of the eksctl ClusterConfig", allowedKeys: metadataKeys)
        {
            cluster.name = metadata.string("name", required: "the cluster's name") ?? ""
            cluster.region = metadata.string("region")
            if let region = cluster.region, !ScenarioLoader.isRegionCode(region) {
                context.error(
                    "metadata.region must be an AWS region code such as us-east-1, found \"\(region)\"",
                    at: metadata.value("region")!)
            }
            cluster.kubernetesVersion = metadata.string("version")
            if let version = cluster.kubernetesVersion, EKSVersionCalendar.minorVersion(version) == nil {
                context.error(
                    "metadata.version must be a Kubernetes version such as \"1.31\", found \"\(version)\"",
                    at: metadata.value("version")!)
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
                if let group = readNodeGroup(
                    node, path: "nodeGroups[\(index)]", managed: managed, cluster: cluster.name,
                    clusterName: clusterName, context: context)
                {
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
            if let profile = readFargateProfile(
                node, path: "fargateProfiles[\(profileIndex)]", clusterName: clusterName, context: context)
            {
                cluster.fargateProfiles.append(profile)
                profileIndex += 1
            }
        }
        if cluster.nodeGroups.isEmpty && cluster.fargateProfiles.isEmpty && !top.has("autoModeConfig")
            && !context.diagnostics.hasErrors
        {
            context.diagnostics.append(
                .warning(
                    "the eksctl ClusterConfig has no nodeGroups, managedNodeGroups or fargateProfiles: no compute is priced from it",
                    at: context.location(root)))
        }
        cluster.locations = context.locations
        return cluster
    }

    static func readFargateProfile(_ node: Node, path: String, clusterName: String, context: YAMLDiagnostics)
        -> FargateProfile?
    {
        guard
            let map = MappingReader(
                node, context: context, path: path, what: "a Fargate profile of \(clusterName)",
                named: "Fargate profile",
                allowedKeys: ["name", "podExecutionRoleARN", "selectors", "subnets", "tags", "status"])
        else { return nil }
        let name = map.string("name", required: "a name for the profile") ?? "fargate"
        return FargateProfile(name: name, selectors: WorkloadReader.readFargateSelectors(map, context: context))
    }
}
