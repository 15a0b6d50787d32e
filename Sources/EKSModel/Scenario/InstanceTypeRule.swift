/// What launches a node group's nodes.
public enum NodeProvisioner: String, Sendable, Hashable, CaseIterable {
    /// An EKS managed node group (an Auto Scaling group EKS creates), scaled by the Cluster Autoscaler.
    case managedNodeGroup = "managed-node-group"
    /// A self-managed Auto Scaling group (with a mixed-instances policy for several types), scaled by
    /// the Cluster Autoscaler.
    case selfManaged = "self-managed"
    /// A Karpenter NodePool.
    case karpenter
    /// An EKS Auto Mode NodePool (Karpenter run by EKS).
    case autoMode = "auto-mode"

    public var launchesCheapestType: Bool { self == .karpenter || self == .autoMode }
}

/// How a node group with several instance types decides the type of a new node.
public enum InstanceTypeRule: Sendable, Hashable {
    /// One instance type.
    case single
    /// On-Demand capacity of an Auto Scaling group launches the types in the order listed (the
    /// `prioritized` allocation strategy: EKS User Guide, "Managed node group capacity types"; EC2 Auto
    /// Scaling `InstancesDistribution.OnDemandAllocationStrategy`, prioritized by default), falling back
    /// to the next only when EC2 has no capacity, which is not modelled; and the Cluster Autoscaler
    /// sizes the group from its first type (cluster-autoscaler/cloudprovider/aws/aws_wrapper.go
    /// `getInstanceTypesForAsgs`: `MixedInstancesPolicy.instanceTypesOverrides[0]`). So every node is
    /// the first type.
    case firstListed
    /// Spot capacity of an Auto Scaling group: the Cluster Autoscaler still sizes from the first type;
    /// EC2 picks the pool by price-capacity-optimized (EKS managed node groups; a self-managed group's
    /// `spotAllocationStrategy`), which depends on spare capacity ekscost cannot know. Modelled as the
    /// cheapest listed type that holds the pods the autoscaler planned for the node.
    case cheapestListedForSpot
    /// Karpenter and EKS Auto Mode: pods packed as Karpenter packs them, each new node the cheapest
    /// type that fits (Spot by price-capacity-optimized too, modelled the same way).
    case cheapestThatFits

    /// One sentence for the report.
    public func describe(group: NodeGroup, firstType: String) -> String {
        let launcher = group.effectiveProvisioner
        switch self {
        case .single:
            return "node group \(group.name) launches one instance type"
        case .firstListed:
            return
                "node group \(group.name) (\(launcher.rawValue), on-demand) launches its types in the order listed (EC2 Auto Scaling's prioritized strategy), and the Cluster Autoscaler sizes it from its first type, so every node is a \(firstType); later types are used only when EC2 has no capacity for the first, which is not modelled"
        case .cheapestListedForSpot:
            return
                "node group \(group.name) (\(launcher.rawValue), spot) is sized by the Cluster Autoscaler from its first type (\(firstType)); EC2 picks Spot pools by price-capacity-optimized, modelled as the cheapest listed type that holds each node's pods (actual Spot capacity is not known)"
        case .cheapestThatFits:
            return
                "node group \(group.name) (\(launcher.rawValue)) launches for each new node the cheapest of its types that fits the pods"
                + (group.capacityType == .spot ? " (Spot's price-capacity-optimized modelled as the cheapest)" : "")
        }
    }
}

extension NodeGroup {
    /// `provisioner`, or its default: Karpenter for a group given by `instanceRequirements` (only
    /// NodePools and attribute-based selection choose types by attributes), else a managed node group.
    public var effectiveProvisioner: NodeProvisioner {
        provisioner ?? (instanceRequirements != nil ? .karpenter : .managedNodeGroup)
    }

    /// How a new node's type is decided.
    public var typeRule: InstanceTypeRule {
        guard choosesInstanceType else { return .single }
        if effectiveProvisioner.launchesCheapestType { return .cheapestThatFits }
        return capacityType == .spot ? .cheapestListedForSpot : .firstListed
    }
}
