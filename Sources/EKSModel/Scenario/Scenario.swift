public import Foundation

/// Everything a user describes: where, on which prices, for how long, and the clusters.
public struct Scenario: Sendable {
    public var name: String
    public var description: String?
    public var region: String
    /// Snapshot id named in the scenario; nil means the default snapshot.
    public var pricingSnapshot: String?
    /// The scenario's own period; the command line may override it.
    public var period: BillingPeriod?
    /// The scenario's own "today"; `--as-of` overrides it.
    public var asOf: CalendarDate?
    public var clusters: [Cluster]
    /// Load curves by name (`spec.loadCurves`), already read.
    public var curves: [String: LoadCurve] = [:]
    /// Curves that are defined but could not be read (already reported).
    public var unreadableCurves: Set<String> = []
    /// How the period is simulated.
    public var simulation = SimulationSettings()
    /// Savings Plans and Reserved Instances held (`spec.commitments`).
    public var commitments = CommitmentPortfolio()
    /// The file it was read from.
    public var origin: SourceLocation?
    /// Where its fields were written, by key path (`spec.region`, `clusters[0].nodeGroups[1].instanceType`).
    public var locations: [String: SourceLocation]

    public init(
        name: String, description: String? = nil, region: String, pricingSnapshot: String? = nil,
        period: BillingPeriod? = nil, asOf: CalendarDate? = nil, clusters: [Cluster],
        origin: SourceLocation? = nil, locations: [String: SourceLocation] = [:]
    ) {
        self.name = name
        self.description = description
        self.region = region
        self.pricingSnapshot = pricingSnapshot
        self.period = period
        self.asOf = asOf
        self.clusters = clusters
        self.origin = origin
        self.locations = locations
    }

    /// Where `path` was written, or the closest enclosing thing that was.
    public func location(of path: String) -> SourceLocation? {
        var path = path
        while true {
            if let location = locations[path] { return location }
            guard let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { return origin }
            path = String(path[..<cut])
        }
    }
}

/// One EKS cluster.
public struct Cluster: Sendable {
    public var name: String
    /// `1.31`; nil when not given.
    public var kubernetesVersion: String?
    public var supportPolicy: SupportPolicy
    public var nodeGroups: [NodeGroup]
    public var networking: Networking
    /// Deployments, StatefulSets and DaemonSets; with any, node counts come from placement.
    public var workloads: [Workload]
    /// Share of nominal memory the kubelet does not see (Karpenter's VM memory overhead).
    public var vmMemoryOverhead: Decimal

    public init(
        name: String, kubernetesVersion: String? = nil, supportPolicy: SupportPolicy = .extended,
        nodeGroups: [NodeGroup] = [], networking: Networking = Networking(), workloads: [Workload] = [],
        vmMemoryOverhead: Decimal = EKSNodeReservation.defaultMemoryOverhead
    ) {
        self.name = name
        self.kubernetesVersion = kubernetesVersion
        self.supportPolicy = supportPolicy
        self.nodeGroups = nodeGroups
        self.networking = networking
        self.workloads = workloads
        self.vmMemoryOverhead = vmMemoryOverhead
    }

    /// Pods matching any profile's selectors run on Fargate.
    public var fargateProfiles: [FargateProfile] = []
    /// When set, exactly these workloads (`namespace/name`) run on Fargate, whatever the
    /// profiles say (the comparison's "everything Fargate can run" strategy).
    public var fargateAssignment: Set<String>?
    /// Load balancers its manifests create (Services of type LoadBalancer, ALB Ingresses).
    public var loadBalancers: [LoadBalancer] = []
    /// PersistentVolumeClaims and static EBS PersistentVolumes (StatefulSets' claim templates are
    /// on their workloads).
    public var volumeClaims: [VolumeClaim] = []
    /// The StorageClasses its manifests define.
    public var storageClasses: [StorageClassSpec] = []
    /// The class claims without one get (`defaultStorageClass`): a StorageClass name or an EBS
    /// volume type; nil leaves it to a class marked default in the manifests.
    public var defaultStorageClass: String?
    /// The provisioned control plane tier (`controlPlaneScalingConfig.tier`); nil is standard.
    public var controlPlaneTier: String?

    /// Workloads that run one pod per node.
    public var daemonSets: [Workload] { workloads.filter { $0.kind == .daemonSet } }
    /// Workloads whose pods run all month on nodes or Fargate (not DaemonSets, not Jobs).
    public var podWorkloads: [Workload] { workloads.filter { $0.kind != .daemonSet && !$0.kind.runsToCompletion } }
    /// Jobs and CronJobs.
    public var jobWorkloads: [Workload] { workloads.filter { $0.kind.runsToCompletion } }

    /// The Fargate profile a workload's pods match, if any. DaemonSets never run on Fargate.
    public func fargateProfile(for workload: Workload) -> FargateProfile? {
        guard workload.kind != .daemonSet else { return nil }
        if let assignment = fargateAssignment {
            return assignment.contains(workload.qualifiedName)
                ? FargateProfile(name: "all-that-fit", selectors: [FargateSelector(namespace: workload.namespace)])
                : nil
        }
        return fargateProfiles.first { $0.matches(workload) }
    }
}

/// The cluster's upgrade policy (EKS `upgradePolicy.supportType`).
public enum SupportPolicy: String, Sendable, Hashable, CaseIterable {
    /// Stay on the version into extended support, at extended-support prices (AWS's default).
    case extended = "EXTENDED"
    /// Let EKS upgrade the cluster at the end of standard support: never billed extended support.
    case standard = "STANDARD"
}

/// EC2 purchase option of a node group.
public enum CapacityType: String, Sendable, Hashable, CaseIterable {
    case onDemand = "on-demand"
    case spot
}

/// A group of EC2 nodes.
///
/// Sizing: a group with only `desiredSize` runs exactly that many nodes. A group with
/// `minSize` and/or `maxSize` is autoscaled: with workloads in the cluster it runs what
/// placement needs, at least `minSize` and at most `maxSize` (unbounded when not given);
/// without workloads it runs `desiredSize` (else `minSize`).
public struct NodeGroup: Sendable {
    public var name: String
    /// The single instance type, or the first of `instanceTypes`.
    public var instanceType: String
    /// Several instance types, in the order written, or nil; `typeRule` says which one a new node is.
    public var instanceTypes: [String]?
    /// A vCPU / memory / architecture range over the catalog instead of a list.
    public var instanceRequirements: InstanceRequirements?
    public var capacityType: CapacityType
    public var desiredSize: Int?
    public var minSize: Int?
    public var maxSize: Int?
    public var rootVolume: RootVolume?
    /// Whether each node gets a public IPv4 address (billed per hour since February 2024).
    public var publicIPv4: Bool
    public var labels: [String: String]
    public var taints: [Taint]
    /// The group's own subnets; nil shares the cluster's.
    public var subnets: SubnetSpec?
    /// The Reserved Instance term the nodes are covered by; nil for on-demand or spot prices.
    public var reserved: ReservedTerm?
    /// What launches the nodes; nil: a managed node group, or Karpenter for `instanceRequirements`.
    public var provisioner: NodeProvisioner?
    /// More EBS volumes on every node (eksctl's `additionalVolumes`).
    public var additionalVolumes: [EBSVolume] = []
    /// What the nodes run: Linux unless the group says Windows (priced at the Windows rate).
    public var os: OperatingSystem = .linux

    public init(
        name: String, instanceType: String, instanceTypes: [String]? = nil,
        instanceRequirements: InstanceRequirements? = nil, capacityType: CapacityType = .onDemand,
        desiredSize: Int? = nil, minSize: Int? = nil, maxSize: Int? = nil,
        rootVolume: RootVolume? = nil, publicIPv4: Bool = false, labels: [String: String] = [:],
        taints: [Taint] = [], subnets: SubnetSpec? = nil, reserved: ReservedTerm? = nil,
        provisioner: NodeProvisioner? = nil
    ) {
        self.name = name
        self.instanceType = instanceType
        self.instanceTypes = instanceTypes
        self.instanceRequirements = instanceRequirements
        self.capacityType = capacityType
        self.desiredSize = desiredSize
        self.minSize = minSize
        self.maxSize = maxSize
        self.rootVolume = rootVolume
        self.publicIPv4 = publicIPv4
        self.labels = labels
        self.taints = taints
        self.subnets = subnets
        self.reserved = reserved
        self.provisioner = provisioner
    }

    /// Whether the group's size follows its pods: it has a minSize or maxSize, or no size at all.
    public var isAutoscaled: Bool { minSize != nil || maxSize != nil || desiredSize == nil }

    /// Whether the group has several instance types to launch (a list or requirements).
    public var choosesInstanceType: Bool { instanceRequirements != nil || (instanceTypes?.count ?? 0) > 1 }
}

/// Instance types by range: every catalog type inside all the given bounds.
public struct InstanceRequirements: Sendable, Hashable {
    public var minVCPU: Int?
    public var maxVCPU: Int?
    public var minMemoryMiB: Int?
    public var maxMemoryMiB: Int?
    /// `x86_64`, `arm64`; empty means any.
    public var architectures: [String]
    /// `m5`, `c6i`; empty means any.
    public var families: [String]
    public var includeBurstable: Bool
    public var includeBareMetal: Bool
    /// Instance categories (`c`, `m`, `r`: the letters before the generation); empty means any.
    public var categories: [String] = []
    /// The oldest instance generation admitted (the digits after the category); nil means any.
    public var minGeneration: Int?

    public init(
        minVCPU: Int? = nil, maxVCPU: Int? = nil, minMemoryMiB: Int? = nil, maxMemoryMiB: Int? = nil,
        architectures: [String] = [], families: [String] = [], includeBurstable: Bool = true,
        includeBareMetal: Bool = false
    ) {
        self.minVCPU = minVCPU
        self.maxVCPU = maxVCPU
        self.minMemoryMiB = minMemoryMiB
        self.maxMemoryMiB = maxMemoryMiB
        self.architectures = architectures
        self.families = families
        self.includeBurstable = includeBurstable
        self.includeBareMetal = includeBareMetal
    }

    public func admits(_ type: InstanceType) -> Bool {
        if let minVCPU, type.vcpu < minVCPU { return false }
        if let maxVCPU, type.vcpu > maxVCPU { return false }
        if let minMemoryMiB, type.memoryMiB < minMemoryMiB { return false }
        if let maxMemoryMiB, type.memoryMiB > maxMemoryMiB { return false }
        if !architectures.isEmpty && !architectures.contains(type.architecture) { return false }
        if !families.isEmpty && !families.contains(type.family) { return false }
        if !includeBurstable && type.burstable { return false }
        if !includeBareMetal && type.bareMetal { return false }
        if !categories.isEmpty || minGeneration != nil {
            // Karpenter's labels: `m5d` is category m, generation 5 (aws/karpenter-provider-aws
            // pkg/providers/instancetype/types.go, instance-category and instance-generation).
            let category = String(type.family.prefix { $0.isLetter })
            let generation = Int(type.family.dropFirst(category.count).prefix { $0.isNumber })
            if !categories.isEmpty && !categories.contains(category) { return false }
            if let minGeneration, (generation ?? 0) < minGeneration { return false }
        }
        return true
    }
}

/// Subnets the nodes' addresses come from: `count` subnets of prefix length `prefixLength`.
public struct SubnetSpec: Sendable, Hashable {
    public var prefixLength: Int
    public var count: Int

    public init(prefixLength: Int, count: Int = 1) {
        self.prefixLength = prefixLength
        self.count = count
    }

    /// Usable addresses: AWS keeps 5 in every subnet.
    public var usableAddresses: Int { count * SubnetAddresses.usableAddresses(prefixLength: prefixLength) }

    public var description: String { count == 1 ? "/\(prefixLength)" : "\(count) × /\(prefixLength)" }
}

/// Cluster networking: the VPC CNI's address mode and warm pool.
public struct Networking: Sendable, Hashable {
    public var addressMode: IPAddressMode
    public var maxPodsCap: MaxPodsCap
    public var warmPool: WarmPoolSettings
    /// The cluster's node subnets; nil means not checked.
    public var subnets: SubnetSpec?
    /// The NAT gateways of the VPC; nil when none are known.
    public var natGateways: NATGateways?

    public init(
        addressMode: IPAddressMode = .secondaryIP, maxPodsCap: MaxPodsCap = .none,
        warmPool: WarmPoolSettings = .defaults, subnets: SubnetSpec? = nil
    ) {
        self.addressMode = addressMode
        self.maxPodsCap = maxPodsCap
        self.warmPool = warmPool
        self.subnets = subnets
    }
}
