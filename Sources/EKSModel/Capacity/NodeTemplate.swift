public import Foundation

/// A node a group can launch: one instance type with the group's labels and taints, its pods
/// limit and allocatable from the VPC CNI and EKS AMI rules, and the DaemonSets that run on it.
public struct NodeTemplate: Sendable {
    public let groupIndex: Int
    public let groupName: String
    public let type: InstanceType
    public let labels: [String: String]
    public let taints: [Taint]
    public let allocatable: NodeAllocatable
    /// DaemonSets whose selector and tolerations admit this node.
    public let daemonSets: [Workload]
    /// Hourly price for the group's capacity type, when the snapshot has one.
    public let hourlyPrice: Decimal?

    /// Requests of the DaemonSet pods on every such node.
    public let daemonSetRequests: ResourceRequests
    /// Ports the DaemonSet pods bind on every such node.
    public let daemonSetHostPorts: [HostPort]
    /// DaemonSet pods that take a pod IP (not hostNetwork).
    public let daemonSetIPPods: Int
    /// Room left for workload pods once the DaemonSets run.
    public let room: ResourceRequests
    /// Pod slots left for workload pods once the DaemonSets run.
    public let podSlots: Int

    public init(
        groupIndex: Int, group: NodeGroup, type: InstanceType, networking: Networking,
        memoryOverhead: Decimal, daemonSets: [Workload], hourlyPrice: Decimal?
    ) {
        self.groupIndex = groupIndex
        self.groupName = group.name
        self.type = type
        var labels = group.labels
        // Well-known labels every EKS node carries (kubernetes.io/docs/reference/labels-annotations-taints).
        labels["kubernetes.io/arch"] = type.architecture == "arm64" ? "arm64" : "amd64"
        labels["kubernetes.io/os"] = "linux"
        labels["node.kubernetes.io/instance-type"] = type.name
        labels["eks.amazonaws.com/nodegroup"] = group.name
        labels["eks.amazonaws.com/capacityType"] = group.capacityType == .spot ? "SPOT" : "ON_DEMAND"
        labels["karpenter.sh/capacity-type"] = group.capacityType == .spot ? "spot" : "on-demand"
        self.labels = labels
        self.taints = group.taints
        let maxPods = PodsPerNode.maxPods(type, mode: networking.addressMode, cap: networking.maxPodsCap)
        self.allocatable = EKSNodeReservation.allocatable(type, maxPods: maxPods, memoryOverhead: memoryOverhead)
        let running = daemonSets.filter {
            $0.acceptsNode(labeled: labels) && $0.untoleratedTaint(among: group.taints) == nil
        }
        self.daemonSets = running
        self.daemonSetRequests = running.reduce(.zero) { $0 + $1.placementRequests }
        self.daemonSetHostPorts = running.flatMap(\.hostPorts)
        self.daemonSetIPPods = running.filter { !$0.hostNetwork }.count
        self.hourlyPrice = hourlyPrice
        self.room =
            ResourceRequests(
                cpuMillicores: Int64(allocatable.cpu), memoryBytes: Int64(allocatable.memoryMiB) * 1_048_576,
                extended: type.extendedResources)
            - daemonSetRequests
        self.podSlots = maxPods - running.count
    }

    public var maxPods: Int { allocatable.maxPods }

    /// Allocatable resources before DaemonSets: CPU, memory and the type's devices.
    public var allocatableResources: ResourceRequests {
        ResourceRequests(
            cpuMillicores: Int64(allocatable.cpu), memoryBytes: Int64(allocatable.memoryMiB) * 1_048_576,
            extended: type.extendedResources)
    }

    /// What the kubelet reports as capacity (the Cluster Autoscaler's least-waste expander
    /// measures waste against it).
    public var capacityResources: ResourceRequests {
        ResourceRequests(
            cpuMillicores: Int64(allocatable.capacityCPU), memoryBytes: Int64(allocatable.capacityMemoryMiB) * 1_048_576
        )
    }

    /// Whether a workload's pods may run on this node at all (selector, affinity, taints).
    func admits(_ workload: Workload) -> Bool {
        workload.acceptsNode(labeled: labels) && workload.untoleratedTaint(among: taints) == nil
    }
}
