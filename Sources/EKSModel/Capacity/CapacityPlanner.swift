import Foundation

/// Places a cluster's pods on nodes the way EKS's autoscalers would, and counts the nodes.
///
/// 1. Nodes that exist anyway (fixed-size groups, `minSize` of autoscaled groups) take pods
///    first, first fit, largest pods first.
/// 2. Pending pods then scale groups up as the Cluster Autoscaler does: every group that could
///    take some of them estimates its new nodes by first-fit decreasing (pods ordered by
///    `cpu/allocatableCPU + mem/allocatableMem`, binpacking_estimator.go), and the least-waste
///    expander (expander/waste) picks the group that wastes the least CPU + memory share;
///    repeat until nothing more fits. An Auto Scaling group with several types is sized from its
///    first type (see `InstanceTypeRule`). A Karpenter or Auto Mode group packs like Karpenter
///    instead: pods by CPU then memory, descending, into node claims that keep every type still
///    able to hold them, each claim launching the cheapest type that fits.
/// 3. Pods left over are reported with the reason, never dropped.
///
/// A pod fits a node when its CPU, memory, pod slot and every extended resource it requests fit in
/// what is left (NodeResourcesFit) and no pod there binds a host port it binds (NodePorts).
public enum CapacityPlanner {
    /// Hourly price of an instance type under a capacity type, when known.
    public typealias PriceLookup = (_ instanceType: String, _ capacityType: CapacityType) -> Decimal?

    public static func plan(_ cluster: Cluster, catalog: InstanceCatalog, price: PriceLookup,
                            period: BillingPeriod = .standard) -> ClusterCapacity {
        var planner = Planner(cluster: cluster, catalog: catalog, price: price, period: period)
        return planner.run()
    }

    /// EC2 prices from a snapshot: on-demand, or spot for spot groups.
    public static func prices(from snapshot: PriceSnapshot, region: String) -> PriceLookup {
        { type, capacityType in
            snapshot.price(PriceKey(region: region, service: "ec2", item: type,
                                    term: capacityType == .spot ? PriceKey.spot : PriceKey.onDemand))?.usd
        }
    }

    /// What a plan means for the user: running out of subnet addresses is an error naming the
    /// groups and the numbers; pods that fit nowhere are warnings (the plan is incomplete).
    public static func diagnostics(for plan: ClusterCapacity, cluster: Cluster, clusterPath: String,
                                   in scenario: Scenario) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for use in plan.subnetUse where use.isExhausted {
            var path = "\(clusterPath).networking.subnets"
            if use.groups.count == 1, let index = cluster.nodeGroups.firstIndex(where: { $0.name == use.groups[0] }),
               cluster.nodeGroups[index].subnets != nil {
                path = "\(clusterPath).nodeGroups[\(index)].subnets"
            }
            let who = use.groups.count == 1 ? "node group \(use.groups[0])" : "node groups \(use.groups.joined(separator: ", "))"
            diagnostics.append(.error("\(who) of cluster \(cluster.name) need \(use.addressesUsed) subnet addresses (pods, ENI primary addresses and the VPC CNI warm pool) but the subnets (\(use.spec.description)) have \(use.spec.usableAddresses) usable",
                                      at: scenario.location(of: path)))
        }
        for pods in plan.unschedulable {
            let index = cluster.workloads.firstIndex { $0.qualifiedName == pods.workload && $0.kind != .daemonSet }
            let path = index.map { "\(clusterPath).workloads[\($0)]" } ?? "\(clusterPath).workloads"
            diagnostics.append(.warning("cluster \(cluster.name): \(pods.count) pod\(pods.count == 1 ? "" : "s") of \(pods.workload) fit on no node: \(pods.explanation)",
                                        at: scenario.location(of: path)))
        }
        return diagnostics
    }

    /// What the report says about how the cluster's nodes were chosen: the rule each group with
    /// several instance types followed, and requests that are not modelled.
    public static func notes(for cluster: Cluster, catalog: InstanceCatalog, price: PriceLookup) -> [String] {
        var notes: [String] = []
        for group in cluster.nodeGroups where group.typeRule != .single {
            let candidates = candidateTypes(of: group, catalog: catalog)
            let first = candidates.first { price($0.name, group.capacityType) != nil } ?? candidates.first
            notes.append("\(cluster.name): " + group.typeRule.describe(group: group, firstType: first?.name ?? group.instanceType) + ".")
        }
        for workload in cluster.workloads {
            let ignored = workload.podRequests.extended.names.filter(ExtendedResources.notModelled.contains)
            guard !ignored.isEmpty else { continue }
            notes.append("\(cluster.name)/\(workload.qualifiedName): \(ignored.joined(separator: ", ")) (security groups for pods) is not modelled: the branch ENIs each instance type offers (aws/amazon-vpc-resource-controller-k8s pkg/aws/vpc/limits.go) are not in the instance catalog, so its pods are placed as if every node had enough.")
        }
        return notes
    }

    /// The instance types a group may launch, in the order written (requirements: by name).
    public static func candidateTypes(of group: NodeGroup, catalog: InstanceCatalog) -> [InstanceType] {
        if let requirements = group.instanceRequirements {
            return catalog.names.compactMap { catalog[$0] }.filter(requirements.admits)
        }
        let names = group.instanceTypes ?? [group.instanceType]
        return names.compactMap { catalog[$0] }
    }
}

/// A run of identical pending pods: `count` pods of workload `workload`.
struct PodRun {
    var workload: Int
    var count: Int
}

/// A node being planned: which template, and what runs on it.
struct PlannedNode {
    var template: Int
    var used: ResourceRequests = .zero
    var pods = 0
    var ipPods = 0
    /// Ports its workload pods bind (the DaemonSets' are the template's).
    var hostPorts: [HostPort] = []
    var podsByWorkload: [Int: Int] = [:]
    /// Simulation: when the node was launched, and since when the autoscaler finds it unneeded.
    var launchedAt = 0
    var unneededSince: Int?
}

/// A Karpenter node claim: pods so far and the templates that can still hold them all.
struct NodeClaim {
    var used: ResourceRequests = .zero
    var pods = 0
    var ipPods = 0
    var hostPorts: [HostPort] = []
    var candidates: [Int]
    var podsByWorkload: [Int: Int] = [:]
}

struct Planner {
    let cluster: Cluster
    let period: BillingPeriod
    var maxNodes: [Int]
    /// Long-running workloads placed on nodes (not on Fargate).
    let workloads: [Workload]
    let requests: [ResourceRequests]
    var templates: [NodeTemplate] = []
    /// Per group: its templates' indices.
    var groupTemplates: [[Int]] = []
    var nodes: [PlannedNode] = []
    var nodesPerGroup: [Int]
    /// Flat per-template facts for the hot loops (no struct copies): room and pod slots after
    /// DaemonSets, allocatable, DaemonSet requests, and whether template t admits workload w at
    /// `admits[t * workloads.count + w]`.
    var templateRoom: [ResourceRequests] = []
    var templateSlots: [Int] = []
    var templateAllocatable: [ResourceRequests] = []
    var templateDaemonSets: [ResourceRequests] = []
    var templateGroup: [Int] = []
    var admitsTable: [Bool] = []
    var hostNetworks: [Bool] = []
    /// Per workload, the ports each pod binds on its node; per template, the DaemonSets' ports.
    var workloadHostPorts: [[HostPort]] = []
    var templateHostPorts: [[HostPort]] = []

    init(cluster: Cluster, catalog: InstanceCatalog, price: CapacityPlanner.PriceLookup, period: BillingPeriod) {
        self.cluster = cluster
        self.period = period
        self.workloads = cluster.podWorkloads.filter { cluster.fargateProfile(for: $0) == nil }
        self.requests = workloads.map(\.placementRequests)
        nodesPerGroup = Array(repeating: 0, count: cluster.nodeGroups.count)
        let hasPods = Self.sizedByPods(cluster)
        maxNodes = cluster.nodeGroups.map { group in
            if !group.isAutoscaled || !hasPods { return Self.initialSize(group, hasPods: hasPods) }
            return group.maxSize ?? Int.max
        }
        for (index, group) in cluster.nodeGroups.enumerated() {
            var types = CapacityPlanner.candidateTypes(of: group, catalog: catalog)
            if group.choosesInstanceType {
                // Only a priced type can be the cheapest one.
                types = types.filter { price($0.name, group.capacityType) != nil }
            }
            var indices: [Int] = []
            for type in types {
                indices.append(templates.count)
                templates.append(NodeTemplate(groupIndex: index, group: group, type: type, networking: cluster.networking,
                                              memoryOverhead: cluster.vmMemoryOverhead, daemonSets: cluster.daemonSets,
                                              hourlyPrice: price(type.name, group.capacityType)))
            }
            groupTemplates.append(indices)
        }
        templateRoom = templates.map(\.room)
        templateSlots = templates.map(\.podSlots)
        templateAllocatable = templates.map(\.allocatableResources)
        templateDaemonSets = templates.map(\.daemonSetRequests)
        templateGroup = templates.map(\.groupIndex)
        hostNetworks = workloads.map(\.hostNetwork)
        workloadHostPorts = workloads.map(\.hostPorts)
        templateHostPorts = templates.map(\.daemonSetHostPorts)
        // A pod whose ports a DaemonSet already binds never fits such a node (NodePorts filter).
        admitsTable = templates.indices.flatMap { template in
            workloads.indices.map { workload in
                templates[template].admits(workloads[workload])
                    && !workloadHostPorts[workload].conflicts(with: templateHostPorts[template])
            }
        }
    }

    @inline(__always)
    func admits(_ template: Int, _ workload: Int) -> Bool { admitsTable[template * workloads.count + workload] }

    /// How many more pods of `workload` fit on a node of template `template` beside `used` and
    /// `pods` workload pods binding `ports`: NodeResourcesFit for CPU, memory, pod slots and every
    /// extended resource, and NodePorts (two pods of one workload bind the same ports, so a workload
    /// with host ports runs at most one pod per node).
    @inline(__always)
    func room(for workload: Int, template: Int, used: ResourceRequests, pods: Int, ports: [HostPort] = []) -> Int {
        let request = requests[workload]
        var count = templateSlots[template] - pods
        let freeCPU = templateRoom[template].cpuMillicores - used.cpuMillicores
        let freeMemory = templateRoom[template].memoryBytes - used.memoryBytes
        if freeCPU < 0 || freeMemory < 0 { return 0 }
        if request.cpuMillicores > 0 { count = min(count, Int(freeCPU / request.cpuMillicores)) }
        if request.memoryBytes > 0 { count = min(count, Int(freeMemory / request.memoryBytes)) }
        if !request.extended.isEmpty, let devices = templateRoom[template].extended.count(of: request.extended, besides: used.extended) {
            count = min(count, devices)
        }
        if !workloadHostPorts[workload].isEmpty {
            if workloadHostPorts[workload].conflicts(with: ports) { return 0 }
            count = min(count, 1)
        }
        return max(0, count)
    }

    /// Whether autoscaled groups follow the cluster's pods: it has workloads, wherever they run. A
    /// cluster whose pods all run on Fargate leaves its autoscaled groups at their minimum, as the
    /// Cluster Autoscaler removes nodes no pod needs; only a cluster without workloads is priced at
    /// the groups' desiredSize.
    static func sizedByPods(_ cluster: Cluster) -> Bool {
        !cluster.podWorkloads.isEmpty || !cluster.jobWorkloads.isEmpty
    }

    /// Nodes a group runs before any pod asks for more.
    static func initialSize(_ group: NodeGroup, hasPods: Bool) -> Int {
        if !group.isAutoscaled { return group.desiredSize ?? 0 }
        if !hasPods { return group.desiredSize ?? group.minSize ?? 0 }
        return group.minSize ?? 0
    }

    mutating func run() -> ClusterCapacity {
        let hasPods = Self.sizedByPods(cluster)
        for group in groupTemplates.indices {
            guard let first = initialTemplate(group) else { continue }
            let count = Self.initialSize(cluster.nodeGroups[group], hasPods: hasPods)
            for _ in 0..<count { nodes.append(PlannedNode(template: first)) }
            nodesPerGroup[group] = count
        }
        var pending = workloads.indices.map { PodRun(workload: $0, count: workloads[$0].replicas) }.filter { $0.count > 0 }
        pending = fillExistingNodes(pending)
        pending = scaleUp(pending)
        var capacity = summarize(unplaced: pending)
        placeOnFargate(&capacity)
        placeJobs(&capacity)
        capacity.subnetUse = subnetUse(capacity.nodeTypes, fargatePods: capacity.fargate.reduce(0) { $0 + $1.pods })
        return capacity
    }

    // MARK: - Existing nodes

    mutating func fillExistingNodes(_ runs: [PodRun]) -> [PodRun] {
        guard !nodes.isEmpty else { return runs }
        let ordered = runs.sorted { a, b in
            let ra = requests[a.workload], rb = requests[b.workload]
            return (ra.cpuMillicores, ra.memoryBytes, -a.workload) > (rb.cpuMillicores, rb.memoryBytes, -b.workload)
        }
        var left: [PodRun] = []
        for var run in ordered {
            for index in nodes.indices where run.count > 0 {
                let template = nodes[index].template
                guard admits(template, run.workload) else { continue }
                let take = min(run.count, room(for: run.workload, template: template, used: nodes[index].used, pods: nodes[index].pods,
                                                   ports: nodes[index].hostPorts))
                if take > 0 {
                    addToNode(take, of: run.workload, at: index)
                    run.count -= take
                }
            }
            if run.count > 0 { left.append(run) }
        }
        return left
    }

    /// The type a group's nodes are before any pod asks for them: the first listed for a
    /// prioritized group, else the cheapest.
    func initialTemplate(_ group: Int) -> Int? {
        let indices = groupTemplates[group]
        return cluster.nodeGroups[group].typeRule == .firstListed ? indices.first : cheapestTemplate(indices)
    }

    /// The types the autoscaler judges a pod against: an Auto Scaling group's first type (the Cluster
    /// Autoscaler's template node), every type of a Karpenter or Auto Mode group.
    func sizingTemplates(_ group: Int) -> [Int] {
        cluster.nodeGroups[group].typeRule == .cheapestThatFits ? groupTemplates[group] : Array(groupTemplates[group].prefix(1))
    }

    /// The cheapest of `indices` that holds everything on `node`.
    func cheapestHolding(_ node: PlannedNode, among indices: [Int]) -> Int? {
        cheapestTemplate(indices.filter { candidate in
            node.pods <= templateSlots[candidate] && node.used.fits(in: templateRoom[candidate])
                && node.podsByWorkload.keys.allSatisfy { admits(candidate, $0) }
        })
    }

    /// The cheapest of `indices` (unpriced last), then fewer vCPU, then by name.
    func cheapestTemplate(_ indices: [Int]) -> Int? {
        indices.min { a, b in
            let ta = templates[a], tb = templates[b]
            let pa = ta.hourlyPrice ?? Decimal.greatestFiniteMagnitude
            let pb = tb.hourlyPrice ?? Decimal.greatestFiniteMagnitude
            if pa != pb { return pa < pb }
            if ta.type.vcpu != tb.type.vcpu { return ta.type.vcpu < tb.type.vcpu }
            return ta.type.name < tb.type.name
        }
    }

    /// expander/waste/waste.go: (capacity − requested) / capacity for CPU plus the same for memory.
    func waste(of newNodes: [PlannedNode]) -> Double {
        var capacity = ResourceRequests.zero
        var used = ResourceRequests.zero
        for node in newNodes {
            let template = templates[node.template]
            capacity = capacity + template.capacityResources
            used = used + node.used + template.daemonSetRequests
        }
        guard capacity.cpuMillicores > 0, capacity.memoryBytes > 0 else { return .infinity }
        return Double(capacity.cpuMillicores - used.cpuMillicores) / Double(capacity.cpuMillicores)
            + Double(capacity.memoryBytes - used.memoryBytes) / Double(capacity.memoryBytes)
    }

    func isFull(_ node: PlannedNode, template: Int, runs: [PodRun]) -> Bool {
        runs.allSatisfy { room(for: $0.workload, template: template, used: node.used, pods: node.pods, ports: node.hostPorts) == 0 }
    }

    /// How many more pods of `request` binding `podPorts` fit on a node of `template` beside `used`,
    /// `pods` workload pods and the ports `nodePorts` (the same rules as `room(for:template:…)`).
    static func room(for request: ResourceRequests, in template: NodeTemplate, used: ResourceRequests, pods: Int,
                     podPorts: [HostPort] = [], nodePorts: [HostPort] = []) -> Int {
        var count = template.podSlots - pods
        let freeCPU = template.room.cpuMillicores - used.cpuMillicores
        let freeMemory = template.room.memoryBytes - used.memoryBytes
        if freeCPU < 0 || freeMemory < 0 { return 0 }
        if request.cpuMillicores > 0 { count = min(count, Int(freeCPU / request.cpuMillicores)) }
        if request.memoryBytes > 0 { count = min(count, Int(freeMemory / request.memoryBytes)) }
        if let devices = template.room.extended.count(of: request.extended, besides: used.extended) { count = min(count, devices) }
        if !podPorts.isEmpty {
            if podPorts.conflicts(with: nodePorts) || podPorts.conflicts(with: template.daemonSetHostPorts) { return 0 }
            count = min(count, 1)
        }
        return max(0, count)
    }

    /// Adds pods to a node of this plan, changing the node array in place (a method that read
    /// all of `self` while `nodes` is being changed would copy the whole array).
    mutating func addToNode(_ count: Int, of workload: Int, at index: Int) {
        let request = requests[workload]
        nodes[index].used.cpuMillicores += request.cpuMillicores * Int64(count)
        nodes[index].used.memoryBytes += request.memoryBytes * Int64(count)
        if !request.extended.isEmpty { nodes[index].used.extended = nodes[index].used.extended + request.extended.scaled(by: count) }
        if !workloadHostPorts[workload].isEmpty { nodes[index].hostPorts += workloadHostPorts[workload] }
        nodes[index].pods += count
        if !hostNetworks[workload] { nodes[index].ipPods += count }
        nodes[index].podsByWorkload[workload, default: 0] += count
    }

    func add(_ count: Int, of workload: Int, to node: inout PlannedNode) {
        node.used = node.used + requests[workload].scaled(by: count)
        if !workloadHostPorts[workload].isEmpty { node.hostPorts += workloadHostPorts[workload] }
        node.pods += count
        if !hostNetworks[workload] { node.ipPods += count }
        node.podsByWorkload[workload, default: 0] += count
    }

    func add(_ count: Int, of workload: Int, to claim: inout NodeClaim) {
        claim.used = claim.used + requests[workload].scaled(by: count)
        if !workloadHostPorts[workload].isEmpty { claim.hostPorts += workloadHostPorts[workload] }
        claim.pods += count
        if !hostNetworks[workload] { claim.ipPods += count }
        claim.podsByWorkload[workload, default: 0] += count
    }
}
