public import Foundation

/// The NAT gateways of the cluster's VPC: billed per gateway-hour, plus per GB processed when a
/// volume is stated.
public struct NATGateways: Sendable, Hashable {
    public var count: Int
    /// GB the gateways process in the month, all of them together; nil when not stated.
    public var dataProcessedGB: Decimal?

    public init(count: Int, dataProcessedGB: Decimal? = nil) {
        self.count = count
        self.dataProcessedGB = dataProcessedGB
    }
}

/// An Elastic Load Balancing load balancer the cluster's manifests create.
public struct LoadBalancer: Sendable, Hashable {
    /// What creates it, for the report: `Service shop/web`, `Ingress shop/api`, `ingress group shop`.
    public var name: String
    public var kind: LoadBalancerKind
    /// Why this kind (the annotation or class that decided it).
    public var reason: String
    /// Average capacity units per hour (LCU for an ALB, NLCU for an NLB), when stated.
    public var capacityUnits: Decimal?
    /// GB a Classic Load Balancer processes in the month, when stated.
    public var dataProcessedGB: Decimal?

    public init(
        name: String, kind: LoadBalancerKind, reason: String, capacityUnits: Decimal? = nil,
        dataProcessedGB: Decimal? = nil
    ) {
        self.name = name
        self.kind = kind
        self.reason = reason
        self.capacityUnits = capacityUnits
        self.dataProcessedGB = dataProcessedGB
    }
}

/// The provisioned control plane tiers of EKS (`controlPlaneScalingConfig.tier`; EKS API
/// ControlPlaneScalingConfig: standard, tier-xl, tier-2xl, tier-4xl, tier-8xl). `standard` is
/// the default and costs nothing more; the others are billed per tier-hour on top of the cluster
/// fee ("Standard control plane (default, no additional cost)", AWS CDK ControlPlaneScalingTier).
public enum ControlPlaneTier {
    public static let standard = "standard"
    public static let all = ["standard", "tier-xl", "tier-2xl", "tier-4xl", "tier-8xl"]
}

/// The built-in NodePools of EKS Auto Mode (EKS User Guide, "Enable or Disable Built-in
/// NodePools"): both on-demand, C, M and R families of generation 5 or newer; `general-purpose`
/// amd64 only, `system` amd64 and arm64 with a `CriticalAddonsOnly` taint.
public enum AutoModeNodePools {
    public static let names = ["general-purpose", "system"]

    public static func nodeGroup(_ name: String) -> NodeGroup? {
        guard names.contains(name) else { return nil }
        var requirements = InstanceRequirements(architectures: name == "system" ? ["x86_64", "arm64"] : ["x86_64"])
        requirements.categories = ["c", "m", "r"]
        requirements.minGeneration = 5
        var group = NodeGroup(
            name: name, instanceType: "", instanceRequirements: requirements, minSize: 0,
            provisioner: .autoMode)
        // The default NodeClass gives each node an 80 GiB gp3 volume at its baseline IOPS and
        // throughput (EKS User Guide, "Create a Node Class": ephemeralStorage defaults).
        group.rootVolume = EBSVolume(type: "gp3", sizeGiB: 80)
        group.labels = ["karpenter.sh/nodepool": name, "eks.amazonaws.com/compute-type": "auto"]
        if name == "system" { group.taints = [Taint(key: "CriticalAddonsOnly", effect: .noSchedule)] }
        return group
    }
}
