public import Foundation

/// Why pods could not be placed.
public enum UnschedulableReason: Sendable, Hashable {
    /// No node group's labels satisfy the pod's nodeSelector / node affinity.
    case noMatchingNodeSelector
    /// Every node group the selector allows has a taint the pod does not tolerate.
    case untoleratedTaint(group: String, taint: Taint)
    /// The pod asks for more than any node it may use can offer.
    case largerThanAnyNode(largest: String, room: ResourceRequests, slots: Int)
    /// No node it may use has enough of an extended resource (GPUs…): `most` is the largest
    /// amount one has, on `node` (nil when none has any).
    case insufficientExtendedResource(resource: String, requested: Int64, most: Int64, node: String?)
    /// A DaemonSet on every node it may use binds a host port it needs.
    case hostPortTaken(port: HostPort, daemonSet: String)
    /// The pod fits a node type, but the groups it may use cannot grow.
    case groupAtMaximum(groups: [String])
    /// The pod matches a Fargate profile but cannot run on Fargate.
    case fargateCannotRun(profile: String, limitation: FargateLimitation)

    /// The short name used in CSV and tables.
    public var code: String {
        switch self {
        case .noMatchingNodeSelector: "no-matching-node-selector"
        case .untoleratedTaint: "untolerated-taint"
        case .largerThanAnyNode: "larger-than-any-node"
        case .insufficientExtendedResource: "insufficient-extended-resource"
        case .hostPortTaken: "host-port-taken"
        case .groupAtMaximum: "node-group-at-maximum"
        case .fargateCannotRun: "fargate-cannot-run"
        }
    }
}

/// Pods of one workload that fit nowhere, with the reason.
public struct UnschedulablePods: Sendable, Hashable {
    public var workload: String
    public var count: Int
    public var requests: ResourceRequests
    public var reason: UnschedulableReason

    /// One sentence for reports.
    public var explanation: String {
        switch reason {
        case .noMatchingNodeSelector:
            return "no node group has labels that match the pod's nodeSelector / node affinity"
        case .untoleratedTaint(let group, let taint):
            return "node group \(group) has taint \(taint) that the pod does not tolerate"
        case .largerThanAnyNode(let largest, let room, let slots):
            return
                "each pod requests \(requests); the largest node it may use (\(largest)) has \(room) and \(slots) pod slots after DaemonSets"
        case .insufficientExtendedResource(let resource, let requested, let most, let node):
            let asks = "each pod requests \(requested) \(resource)"
            if let node { return "\(asks); the most a node it may use has is \(most) (\(node))" }
            return "\(asks), and no node it may use has any: \(Self.whereFrom(resource))"
        case .hostPortTaken(let port, let daemonSet):
            return "it binds host port \(port), which DaemonSet \(daemonSet) already binds on every node it may use"
        case .groupAtMaximum(let groups):
            return
                "node group\(groups.count == 1 ? "" : "s") \(groups.joined(separator: ", ")) cannot grow (maxSize or fixed size reached)"
        case .fargateCannotRun(let profile, let limitation):
            return "it matches Fargate profile \(profile), but \(limitation)"
        }
    }
}

extension UnschedulablePods {
    /// Where node amounts of an extended resource come from, for "no node has any".
    static func whereFrom(_ resource: String) -> String {
        if resource.hasPrefix("aws.amazon.com/neuron") {
            return "the instance catalog has no Neuron device count, so no type is known to have them"
        }
        if resource.hasPrefix("hugepages-") {
            return "EKS nodes preallocate no hugepages"
        }
        if ExtendedResources.isAccelerator(resource) {
            return
                "GPUs per type come from the instance catalog (nvidia.com/gpu; amd.com/gpu on g4ad, habana.ai/gaudi on dl1)"
        }
        return
            "an extended resource exists only on nodes whose device plugin advertises it, and ekscost knows only the catalog's GPUs"
    }
}

/// Nodes of one instance type in a node group, and what runs on them.
public struct NodeTypePlan: Sendable, Hashable {
    public var groupName: String
    public var type: InstanceType
    public var nodes: Int
    /// Workload pods (DaemonSet pods not included).
    public var pods: Int
    /// Requests of the workload pods.
    public var requested: ResourceRequests
    public var daemonSetPodsPerNode: Int
    public var daemonSetRequestsPerNode: ResourceRequests
    public var maxPodsPerNode: Int
    public var allocatablePerNode: NodeAllocatable
    /// ENIs and subnet addresses held by all these nodes (pods plus warm pool).
    public var enis: Int
    public var subnetIPs: Int

    /// Allocatable of all the nodes together.
    public var totalAllocatable: ResourceRequests {
        ResourceRequests(
            cpuMillicores: Int64(allocatablePerNode.cpu), memoryBytes: Int64(allocatablePerNode.memoryMiB) * 1_048_576
        )
        .scaled(by: nodes)
    }

    /// Requests of workload and DaemonSet pods together.
    public var totalRequested: ResourceRequests {
        requested + daemonSetRequestsPerNode.scaled(by: nodes)
    }
}

/// Where the pods of one workload run.
public struct WorkloadPlacement: Sendable, Hashable {
    public var workload: String
    /// (node group, instance type) → pods.
    public var pods: [String: Int]
}

/// The capacity a cluster needs: nodes per group and type, and pods that fit nowhere.
public struct ClusterCapacity: Sendable {
    public var cluster: String
    public var nodeTypes: [NodeTypePlan]
    public var unschedulable: [UnschedulablePods]
    public var placements: [WorkloadPlacement]
    /// Subnet use per subnet scope (the cluster's, or a group's own).
    public var subnetUse: [SubnetUse]
    /// Pods on Fargate, per workload.
    public var fargate: [FargatePlacement] = []
    /// Jobs and CronJobs on EC2 nodes.
    public var jobs: [JobOnNodes] = []
    /// The simulated period, when replicas or usage vary over time.
    public var timeline: ClusterTimeline?
    /// Cost per report step of the timeline: the cluster's cost lines spread over the steps by
    /// what ran in each, rounded to the cent so that they add up to the lines exactly.
    public var stepCostsUSD: [Decimal] = []
    /// The same before rounding: what the chart draws.
    public var stepCostsExactUSD: [Decimal] = []

    public var isComplete: Bool { unschedulable.isEmpty }
    public var nodeCount: Int { nodeTypes.reduce(0) { $0 + $1.nodes } }
}

/// Addresses held in one set of subnets.
public struct SubnetUse: Sendable, Hashable {
    /// The groups whose nodes use these subnets.
    public var groups: [String]
    public var spec: SubnetSpec
    public var addressesUsed: Int

    public var isExhausted: Bool { addressesUsed > spec.usableAddresses }
}
