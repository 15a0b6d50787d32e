import EKSModel
import Foundation
import Yams

/// What an eksctl `ClusterConfig` says about the cluster's own fees and network, beside its node
/// groups: the upgrade policy, the provisioned control plane tier, EKS Auto Mode and its node
/// pools, the NAT gateways of the VPC eksctl creates, and capabilities.
struct EksctlClusterSettings: Sendable {
    /// `upgradePolicy.supportType`.
    var supportPolicy: SupportPolicy?
    /// `controlPlaneScalingConfig.tier`.
    var controlPlaneTier: String?
    /// NAT gateways eksctl creates; nil when it creates none.
    var natGateways: NATGateways?
    /// Node groups for Auto Mode's built-in node pools.
    var autoModeGroups: [NodeGroup] = []
    /// Facts for the report (why no NAT gateway, capabilities not priced).
    var notes: [String] = []
}

extension EksctlReader {
    /// Keys of eksctl's ClusterConfig added after the generated schema the other lists come
    /// from (eksctl examples 45-upgrade-policy-example.yaml, 46-control-plane-scaling-config.yaml,
    /// 47/48 capabilities; pkg/apis/eksctl.io/v1alpha5/capability.go).
    static let newerClusterConfigKeys = ["upgradePolicy", "controlPlaneScalingConfig", "capabilities"]
    /// `ClusterVPC` (pkg/apis/eksctl.io/v1alpha5/vpc.go) with the `Network` fields inline.
    static let vpcKeys = [
        "id", "cidr", "ipv6Cidr", "ipv6Pool", "securityGroup", "subnets", "extraCIDRs", "extraIPv6CIDRs",
        "sharedNodeSecurityGroup", "manageSharedNodeSecurityGroupRules", "autoAllocateIPv6", "nat", "clusterEndpoints",
        "publicAccessCIDRs", "hostnameType",
        // Later additions (examples 38-cluster-subnets-sgs.yaml, 49-control-plane-on-private-subnets.yaml).
        "controlPlaneSubnetIDs", "controlPlaneSecurityGroupIDs", "controlPlaneOnPrivateSubnets",
    ]
    /// eksctl's `ClusterNAT.gateway` values (vpc.go): `Single` is the default (defaults.go
    /// `DefaultClusterNAT`).
    static let natModes = ["Single", "HighlyAvailable", "Disable"]
    /// `Capability` (capability.go).
    static let capabilityKeys = [
        "name", "type", "roleArn", "deletePropagationPolicy", "configuration", "tags", "accessPolicies",
        "attachPolicyARNs", "attachPolicy", "permissionsBoundary",
    ]
    /// `VolumeMapping` of `additionalVolumes` (pkg/cfn/builder/block_device_mapping.go reads them).
    static let volumeMappingKeys = [
        "volumeSize", "volumeType", "volumeName", "volumeEncrypted", "volumeKmsKeyID", "volumeIOPS", "volumeThroughput",
        "snapshotID",
    ]

    /// `Outpost` of the ClusterConfig (eksctl User Guide, "AWS Outposts Support").
    static let outpostKeys = ["controlPlaneOutpostARN", "controlPlaneInstanceType", "controlPlanePlacement"]

    /// Why nodes on AWS Outposts are not priced: EC2 capacity on an Outpost is bought with the
    /// Outpost (racks or servers, for a term), not billed at the Region's on-demand rates, so the
    /// Region's EC2 prices would be silently wrong.
    static let outpostsUnsupported =
        "AWS Outposts, which ekscost does not price: capacity on an Outpost is bought with the Outpost (racks or servers), not billed at the Region's EC2 rates"

    /// eksctl puts the control plane on an Outpost when `outpost.controlPlaneOutpostARN` is set
    /// (`ClusterConfig.IsControlPlaneOnOutposts`), and then creates every node group on that
    /// Outpost too (userdocs/src/usage/outposts.md: "When the control plane is on Outposts,
    /// nodegroups are created on that Outpost"). Such a local cluster is an error, located.
    static func rejectOutposts(_ top: MappingReader, clusterName: String, context: YAMLDiagnostics) {
        guard
            let outpost = top.mapping("outpost", what: "outpost of the eksctl ClusterConfig", allowedKeys: outpostKeys),
            let arn = outpost.value("controlPlaneOutpostARN")
        else { return }
        context.error(
            "outpost.controlPlaneOutpostARN places the control plane and the node groups of \(clusterName) on \(outpostsUnsupported); remove outpost to price the same cluster in the Region",
            at: arn)
    }

    static func readClusterSettings(_ top: MappingReader, region: String?, context: YAMLDiagnostics)
        -> EksctlClusterSettings
    {
        var settings = EksctlClusterSettings()
        if let policy = top.mapping(
            "upgradePolicy", what: "upgradePolicy of the eksctl ClusterConfig", allowedKeys: ["supportType"]),
            let type = policy.choice("supportType", from: SupportPolicy.allCases.map(\.rawValue))
        {
            settings.supportPolicy = SupportPolicy(rawValue: type)
        }
        if let scaling = top.mapping(
            "controlPlaneScalingConfig", what: "controlPlaneScalingConfig of the eksctl ClusterConfig",
            allowedKeys: ["tier"])
        {
            settings.controlPlaneTier = scaling.choice("tier", from: ControlPlaneTier.all)
        }
        var capabilities: [String] = []
        for (path, node) in top.list("capabilities") ?? [] {
            guard
                let map = MappingReader(
                    node, context: context, path: path, what: "a capability", named: "capability",
                    allowedKeys: capabilityKeys)
            else { continue }
            let name = map.string("name", required: "the capability's name") ?? "capability"
            let type = map.choice("type", from: ["ACK", "KRO", "ARGOCD"]) ?? "?"
            _ = map.value("configuration")
            capabilities.append("\(name) (\(type))")
        }
        if !capabilities.isEmpty {
            settings.notes.append(
                "EKS capabilities \(capabilities.joined(separator: ", ")) are billed by AWS per capability-hour and managed resource; not priced"
            )
        }
        settings.natGateways = readNATGateways(top, region: region, notes: &settings.notes, context: context)
        if let autoMode = top.mapping(
            "autoModeConfig", what: "autoModeConfig of the eksctl ClusterConfig",
            allowedKeys: ["enabled", "nodeRoleARN", "nodePools"]), autoMode.bool("enabled") == true
        {
            // Without nodePools eksctl creates both built-in pools (examples/42-auto-mode.yaml).
            var pools = AutoModeNodePools.names
            if let items = autoMode.list("nodePools") {
                pools = items.compactMap { item in
                    guard let name = item.node.scalarText, AutoModeNodePools.names.contains(name) else {
                        context.error(
                            "nodePools of autoModeConfig lists EKS Auto Mode's built-in pools: general-purpose, system; found \(item.node.kindDescription)",
                            at: item.node)
                        return nil
                    }
                    return name
                }
            }
            settings.autoModeGroups = pools.compactMap(AutoModeNodePools.nodeGroup)
            if pools.isEmpty {
                settings.notes.append(
                    "EKS Auto Mode is enabled with no built-in node pools: its pods need NodePools of their own, which the eksctl file does not describe"
                )
            }
        }
        return settings
    }

    /// The NAT gateways of the VPC eksctl creates: `Single` (the default) is one, `HighlyAvailable`
    /// one per availability zone, `Disable` none. An existing VPC (`vpc.id` or subnet IDs) gets no
    /// NAT gateway from eksctl, and neither does a fully private cluster.
    static func readNATGateways(
        _ top: MappingReader, region: String?, notes: inout [String],
        context: YAMLDiagnostics
    ) -> NATGateways? {
        var mode = "Single"
        var existing = false
        if let vpc = top.mapping("vpc", what: "vpc of the eksctl ClusterConfig", allowedKeys: vpcKeys) {
            if let nat = vpc.mapping("nat", what: "vpc.nat of the eksctl ClusterConfig", allowedKeys: ["gateway"]),
                let written = nat.choice("gateway", from: natModes)
            {
                mode = written
            }
            existing = vpc.has("id") || subnetIDs(vpc)
        }
        if existing {
            notes.append(
                "the eksctl file uses an existing VPC (vpc.id or subnet IDs): eksctl creates no NAT gateway there, and any the VPC has are not priced"
            )
            return nil
        }
        if let privateCluster = top.mapping(
            "privateCluster", what: "privateCluster of the eksctl ClusterConfig",
            allowedKeys: ["enabled", "skipEndpointCreation", "additionalEndpointServices"]),
            privateCluster.bool("enabled") == true
        {
            notes.append("fully private cluster (privateCluster.enabled): eksctl creates no NAT gateway")
            return nil
        }
        switch mode {
        case "Disable":
            return nil
        case "HighlyAvailable":
            // One per availability zone: those the file names, else eksctl's choice, 3 zones, or 2
            // in us-east-1 (pkg/az/az.go `randomSelectionOfZones`: RecommendedAvailabilityZones,
            // MinRequiredAvailabilityZones for us-east-1).
            let zones = top.list("availabilityZones")?.count ?? (region == "us-east-1" ? 2 : 3)
            return NATGateways(count: max(zones, 1))
        default:
            return NATGateways(count: 1)
        }
    }

    /// Whether `vpc.subnets` names subnets by ID (an existing VPC).
    static func subnetIDs(_ vpc: MappingReader) -> Bool {
        guard case .mapping(let topologies)? = vpc.value("subnets") else { return false }
        for (_, byZone) in topologies {
            guard case .mapping(let subnets) = byZone else { continue }
            for (_, subnet) in subnets {
                if case .mapping(let fields) = subnet, fields.contains(where: { $0.key.scalarText == "id" }) {
                    return true
                }
            }
        }
        return false
    }

    /// `additionalVolumes`: a volume without a size gets no block device (block_device_mapping.go
    /// `makeBlockDeviceMapping`); one without a type takes EC2's default, gp2 (EC2 API,
    /// EbsBlockDevice.VolumeType).
    static func readAdditionalVolumes(_ map: MappingReader, what: String, context: YAMLDiagnostics) -> [EBSVolume] {
        var volumes: [EBSVolume] = []
        for (path, node) in map.list("additionalVolumes") ?? [] {
            guard
                let volume = MappingReader(
                    node, context: context, path: path, what: "an additional volume of \(what)",
                    allowedKeys: volumeMappingKeys),
                let size = volume.integer("volumeSize", in: 0...65_536), size > 0
            else { continue }
            let type = volume.choice("volumeType", from: EBSVolumeLimits.types) ?? "gp2"
            volumes.append(
                EBSVolume(
                    type: type, sizeGiB: size, iops: volume.integer("volumeIOPS", in: 100...256_000),
                    throughputMiBps: volume.integer("volumeThroughput", in: 125...2000)))
        }
        return volumes
    }
}
