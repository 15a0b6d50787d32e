import Foundation

/// Places a cluster's pods on nodes the way EKS's autoscalers would, and counts the nodes.
///
/// 1. Nodes that exist anyway (fixed-size groups, `minSize` of autoscaled groups) take pods
///    first, first fit, largest pods first.
/// 2. Pending pods then scale groups up as the Cluster Autoscaler does: every group that could
///    take some of them estimates its new nodes by first-fit decreasing (pods ordered by
///    `cpu/allocatableCPU + mem/allocatableMem`, binpacking_estimator.go), and the least-waste
///    expander (expander/waste) picks the group that wastes the least CPU + memory share;
///    repeat until nothing more fits. A group offering several instance types packs like
///    Karpenter instead: pods by CPU then memory, descending, into node claims that keep every
///    type still able to hold them, each claim launching the cheapest type that fits.
/// 3. Pods left over are reported with the reason, never dropped.
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

    init(cluster: Cluster, catalog: InstanceCatalog, price: CapacityPlanner.PriceLookup, period: BillingPeriod) {
        self.cluster = cluster
        self.period = period
        self.workloads = cluster.podWorkloads.filter { cluster.fargateProfile(for: $0) == nil }
        self.requests = workloads.map(\.podRequests)
        nodesPerGroup = Array(repeating: 0, count: cluster.nodeGroups.count)
        let hasPods = !workloads.isEmpty || !cluster.jobWorkloads.isEmpty
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
        admitsTable = templates.flatMap { template in workloads.map { template.admits($0) } }
    }

    @inline(__always)
    func admits(_ template: Int, _ workload: Int) -> Bool { admitsTable[template * workloads.count + workload] }

    /// How many more pods of `workload` fit on a node of template `template`.
    @inline(__always)
    func room(for workload: Int, template: Int, used: ResourceRequests, pods: Int) -> Int {
        let request = requests[workload]
        var count = templateSlots[template] - pods
        let freeCPU = templateRoom[template].cpuMillicores - used.cpuMillicores
        let freeMemory = templateRoom[template].memoryBytes - used.memoryBytes
        if freeCPU < 0 || freeMemory < 0 { return 0 }
        if request.cpuMillicores > 0 { count = min(count, Int(freeCPU / request.cpuMillicores)) }
        if request.memoryBytes > 0 { count = min(count, Int(freeMemory / request.memoryBytes)) }
        return max(0, count)
    }

    /// Nodes a group runs before any pod asks for more.
    static func initialSize(_ group: NodeGroup, hasPods: Bool) -> Int {
        if !group.isAutoscaled { return group.desiredSize ?? 0 }
        if !hasPods { return group.desiredSize ?? group.minSize ?? 0 }
        return group.minSize ?? 0
    }

    mutating func run() -> ClusterCapacity {
        let hasPods = !workloads.isEmpty || !cluster.jobWorkloads.isEmpty
        for (group, indices) in groupTemplates.enumerated() {
            guard let first = cheapestTemplate(indices) else { continue }
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

    // MARK: - Fargate

    /// Pods matching a Fargate profile run there, each sized by Fargate's rule; those Fargate
    /// cannot run are reported (EKS leaves them pending).
    func placeOnFargate(_ capacity: inout ClusterCapacity) {
        for workload in cluster.podWorkloads + cluster.jobWorkloads {
            guard let profile = cluster.fargateProfile(for: workload) else { continue }
            let pods = workload.kind.runsToCompletion ? (workload.job?.podsAtOnce ?? 1) : workload.replicas
            guard pods > 0 else { continue }
            if let limitation = FargateSizing.limitation(for: workload) {
                capacity.unschedulable.append(UnschedulablePods(workload: workload.qualifiedName, count: pods,
                                                                requests: workload.podRequests,
                                                                reason: .fargateCannotRun(profile: profile.name, limitation: limitation)))
                continue
            }
            var placement = FargatePlacement(workload: workload.qualifiedName, profile: profile.name, pods: pods,
                                             size: FargateSizing.size(for: workload.podRequests)!,
                                             extraStorageGB: FargateSizing.extraEphemeralStorageGB(workload),
                                             podsPerRun: pods)
            if let job = workload.job, workload.kind.runsToCompletion {
                placement.runs = job.runs(in: period)
                placement.billedSecondsPerPod = ShortLivedBilling.billedSeconds(job.runSeconds)
                placement.podsPerRun = job.completions
            }
            capacity.fargate.append(placement)
        }
    }

    // MARK: - Jobs on nodes

    /// A run that fits in the room the month's nodes leave free costs nothing more; otherwise
    /// the autoscaler launches nodes for it, billed for the run and until they are removed.
    func placeJobs(_ capacity: inout ClusterCapacity) {
        for workload in cluster.jobWorkloads where cluster.fargateProfile(for: workload) == nil {
            guard let job = workload.job else { continue }
            let request = workload.podRequests
            let wave = job.podsAtOnce
            let runs = job.runs(in: period)
            // Spare room: first fit of one wave into the nodes as planned, without keeping it.
            var spare = nodes
            var left = wave
            for index in spare.indices where left > 0 {
                let template = templates[spare[index].template]
                guard template.admits(workload) else { continue }
                let take = min(left, Self.room(for: request, in: template, used: spare[index].used, pods: spare[index].pods))
                spare[index].pods += take
                spare[index].used = spare[index].used + ResourceRequests(cpuMillicores: request.cpuMillicores * Int64(take),
                                                                         memoryBytes: request.memoryBytes * Int64(take))
                left -= take
            }
            if left == 0 {
                capacity.jobs.append(JobOnNodes(workload: workload.qualifiedName, runs: runs, onSpareCapacity: true,
                                                nodesPerRun: 0, billedSecondsPerNode: 0))
                continue
            }
            // Burst nodes: the cheapest admitting template of an autoscaled group.
            let candidates = cluster.nodeGroups.indices.filter { cluster.nodeGroups[$0].isAutoscaled }
                .flatMap { groupTemplates[$0] }
                .filter { templates[$0].admits(workload) && Self.room(for: request, in: templates[$0], used: .zero, pods: 0) > 0 }
            guard let best = cheapestTemplate(candidates) else {
                capacity.unschedulable.append(explain(PodRun(workload: -1, count: wave), workload: workload))
                continue
            }
            let template = templates[best]
            let perNode = Self.room(for: request, in: template, used: .zero, pods: 0)
            let nodesPerRun = (wave + perNode - 1) / perNode
            let karpenter = cluster.nodeGroups[template.groupIndex].choosesInstanceType
            let scaleDown = karpenter ? ShortLivedBilling.karpenterScaleDownSeconds : ShortLivedBilling.clusterAutoscalerScaleDownSeconds
            capacity.jobs.append(JobOnNodes(
                workload: workload.qualifiedName, runs: runs, onSpareCapacity: false, groupName: template.groupName,
                type: template.type, nodesPerRun: nodesPerRun,
                billedSecondsPerNode: ShortLivedBilling.billedSeconds(job.waves * job.runSeconds + scaleDown),
                hourlyPrice: template.hourlyPrice))
        }
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
                let take = min(run.count, room(for: run.workload, template: template, used: nodes[index].used, pods: nodes[index].pods))
                if take > 0 {
                    addToNode(take, of: run.workload, at: index)
                    run.count -= take
                }
            }
            if run.count > 0 { left.append(run) }
        }
        return left
    }

    // MARK: - Scale-up

    struct Option {
        var group: Int
        var nodes: [PlannedNode]
        var placed: [Int: Int]
        var waste: Double
    }

    mutating func scaleUp(_ runs: [PodRun]) -> [PodRun] {
        var pending = runs
        while !pending.isEmpty {
            var best: Option?
            for group in cluster.nodeGroups.indices where cluster.nodeGroups[group].isAutoscaled {
                let room = maxNodes[group] == Int.max ? Int.max : maxNodes[group] - nodesPerGroup[group]
                guard room > 0, !groupTemplates[group].isEmpty else { continue }
                let eligible = pending.filter { run in groupTemplates[group].contains { admits($0, run.workload) } }
                guard !eligible.isEmpty else { continue }
                let option = cluster.nodeGroups[group].choosesInstanceType
                    ? karpenterOption(group: group, runs: eligible, maxNew: room)
                    : clusterAutoscalerOption(group: group, runs: eligible, maxNew: room)
                guard let option, !option.placed.isEmpty else { continue }
                // expander/waste: least wasted CPU + memory share; ties keep the earlier group.
                if best == nil || option.waste < best!.waste - 1e-12 { best = option }
            }
            guard let chosen = best else { break }
            nodes += chosen.nodes
            nodesPerGroup[chosen.group] += chosen.nodes.count
            pending = pending.compactMap { run in
                var run = run
                run.count -= chosen.placed[run.workload] ?? 0
                return run.count > 0 ? run : nil
            }
        }
        return pending
    }

    /// binpacking_estimator.go: first-fit decreasing onto new nodes of the group's template.
    func clusterAutoscalerOption(group: Int, runs: [PodRun], maxNew: Int) -> Option? {
        let templateIndex = groupTemplates[group][0]
        let template = templates[templateIndex]
        let allocatable = template.allocatableResources
        func score(_ r: ResourceRequests) -> Double {
            Double(r.cpuMillicores) / Double(max(1, allocatable.cpuMillicores))
                + Double(r.memoryBytes) / Double(max(1, allocatable.memoryBytes))
        }
        let ordered = runs.filter { admits(templateIndex, $0.workload) }
            .sorted { (score(requests[$0.workload]), -$0.workload) > (score(requests[$1.workload]), -$1.workload) }
        var newNodes: [PlannedNode] = []
        var placed: [Int: Int] = [:]
        var firstOpen = 0
        for run in ordered {
            let request = requests[run.workload]
            var remaining = run.count
            for index in firstOpen..<newNodes.count where remaining > 0 {
                let take = min(remaining, room(for: run.workload, template: templateIndex, used: newNodes[index].used, pods: newNodes[index].pods))
                if take > 0 {
                    add(take, of: run.workload, to: &newNodes[index])
                    remaining -= take
                }
            }
            let perEmptyNode = room(for: run.workload, template: templateIndex, used: .zero, pods: 0)
            while remaining > 0, perEmptyNode > 0, newNodes.count < maxNew {
                var node = PlannedNode(template: templateIndex)
                let take = min(remaining, perEmptyNode)
                add(take, of: run.workload, to: &node)
                newNodes.append(node)
                remaining -= take
            }
            placed[run.workload, default: 0] += run.count - remaining
            // Nodes that cannot take even one more of the smallest pod no longer need a look.
            while firstOpen < newNodes.count, isFull(newNodes[firstOpen], template: templateIndex, runs: ordered) { firstOpen += 1 }
        }
        placed = placed.filter { $0.value > 0 }
        return Option(group: group, nodes: newNodes, placed: placed, waste: waste(of: newNodes))
    }

    /// Karpenter's packing: node claims keep the types that can still hold all their pods; each
    /// launches the cheapest of them.
    func karpenterOption(group: Int, runs: [PodRun], maxNew: Int) -> Option? {
        let candidates = groupTemplates[group]
        let ordered = runs.sorted { a, b in
            let ra = requests[a.workload], rb = requests[b.workload]
            return (ra.cpuMillicores, ra.memoryBytes, -a.workload) > (rb.cpuMillicores, rb.memoryBytes, -b.workload)
        }
        var claims: [NodeClaim] = []
        var placed: [Int: Int] = [:]
        for run in ordered {
            let admitting = candidates.filter { admits($0, run.workload) }
            guard !admitting.isEmpty else { continue }
            var remaining = run.count
            for index in claims.indices where remaining > 0 {
                let fits = claims[index].candidates.filter { admits($0, run.workload) }
                    .map { ($0, room(for: run.workload, template: $0, used: claims[index].used, pods: claims[index].pods)) }
                let most = fits.map(\.1).max() ?? 0
                guard most > 0 else { continue }
                let take = min(remaining, most)
                claims[index].candidates = fits.filter { $0.1 >= take }.map(\.0)
                add(take, of: run.workload, to: &claims[index])
                remaining -= take
            }
            while remaining > 0, claims.count < maxNew {
                let fits = admitting.map { ($0, room(for: run.workload, template: $0, used: .zero, pods: 0)) }
                let most = fits.map(\.1).max() ?? 0
                guard most > 0 else { break }
                let take = min(remaining, most)
                var claim = NodeClaim(candidates: fits.filter { $0.1 >= take }.map(\.0))
                add(take, of: run.workload, to: &claim)
                claims.append(claim)
                remaining -= take
            }
            placed[run.workload, default: 0] += run.count - remaining
        }
        let newNodes = claims.map { claim in
            PlannedNode(template: cheapestTemplate(claim.candidates)!, used: claim.used, pods: claim.pods,
                        ipPods: claim.ipPods, podsByWorkload: claim.podsByWorkload)
        }
        placed = placed.filter { $0.value > 0 }
        return Option(group: group, nodes: newNodes, placed: placed, waste: waste(of: newNodes))
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
        runs.allSatisfy { room(for: $0.workload, template: template, used: node.used, pods: node.pods) == 0 }
    }

    /// How many more pods of `request` fit on a node of `template`.
    static func room(for request: ResourceRequests, in template: NodeTemplate, used: ResourceRequests, pods: Int) -> Int {
        var count = template.podSlots - pods
        let freeCPU = template.room.cpuMillicores - used.cpuMillicores
        let freeMemory = template.room.memoryBytes - used.memoryBytes
        if freeCPU < 0 || freeMemory < 0 { return 0 }
        if request.cpuMillicores > 0 { count = min(count, Int(freeCPU / request.cpuMillicores)) }
        if request.memoryBytes > 0 { count = min(count, Int(freeMemory / request.memoryBytes)) }
        return max(0, count)
    }

    /// Adds pods to a node of this plan, changing the node array in place (a method that read
    /// all of `self` while `nodes` is being changed would copy the whole array).
    mutating func addToNode(_ count: Int, of workload: Int, at index: Int) {
        let request = requests[workload]
        nodes[index].used.cpuMillicores += request.cpuMillicores * Int64(count)
        nodes[index].used.memoryBytes += request.memoryBytes * Int64(count)
        nodes[index].pods += count
        if !hostNetworks[workload] { nodes[index].ipPods += count }
        nodes[index].podsByWorkload[workload, default: 0] += count
    }

    func add(_ count: Int, of workload: Int, to node: inout PlannedNode) {
        node.used = node.used + ResourceRequests(cpuMillicores: requests[workload].cpuMillicores * Int64(count),
                                                 memoryBytes: requests[workload].memoryBytes * Int64(count))
        node.pods += count
        if !hostNetworks[workload] { node.ipPods += count }
        node.podsByWorkload[workload, default: 0] += count
    }

    func add(_ count: Int, of workload: Int, to claim: inout NodeClaim) {
        claim.used = claim.used + ResourceRequests(cpuMillicores: requests[workload].cpuMillicores * Int64(count),
                                                   memoryBytes: requests[workload].memoryBytes * Int64(count))
        claim.pods += count
        if !hostNetworks[workload] { claim.ipPods += count }
        claim.podsByWorkload[workload, default: 0] += count
    }

    // MARK: - Results

    func summarize(unplaced: [PodRun]) -> ClusterCapacity {
        var plans: [String: NodeTypePlan] = [:]
        var order: [String] = []
        for node in nodes {
            let template = templates[node.template]
            let key = "\(template.groupName)\u{1F}\(template.type.name)"
            let use = SubnetAddresses.use(pods: node.ipPods + template.daemonSetIPPods, on: template.type,
                                          mode: cluster.networking.addressMode, warmPool: cluster.networking.warmPool)
            if plans[key] == nil {
                order.append(key)
                plans[key] = NodeTypePlan(groupName: template.groupName, type: template.type, nodes: 0, pods: 0,
                                          requested: .zero, daemonSetPodsPerNode: template.daemonSets.count,
                                          daemonSetRequestsPerNode: template.daemonSetRequests,
                                          maxPodsPerNode: template.maxPods, allocatablePerNode: template.allocatable,
                                          enis: 0, subnetIPs: 0)
            }
            plans[key]!.nodes += 1
            plans[key]!.pods += node.pods
            plans[key]!.requested = plans[key]!.requested + node.used
            plans[key]!.enis += use.enis
            plans[key]!.subnetIPs += use.subnetIPs
        }
        // Groups in scenario order, types by name within a group.
        let groupOrder = Dictionary(uniqueKeysWithValues: cluster.nodeGroups.enumerated().map { ($1.name, $0) })
        let nodeTypes = order.map { plans[$0]! }.sorted {
            (groupOrder[$0.groupName] ?? 0, $0.type.name) < (groupOrder[$1.groupName] ?? 0, $1.type.name)
        }

        var placements: [WorkloadPlacement] = []
        for (index, workload) in workloads.enumerated() {
            var pods: [String: Int] = [:]
            for node in nodes {
                if let count = node.podsByWorkload[index] {
                    let template = templates[node.template]
                    pods["\(template.groupName)/\(template.type.name)", default: 0] += count
                }
            }
            placements.append(WorkloadPlacement(workload: workload.qualifiedName, pods: pods))
        }
        return ClusterCapacity(cluster: cluster.name, nodeTypes: nodeTypes,
                               unschedulable: unplaced.map(explain), placements: placements, subnetUse: [])
    }

    func explain(_ run: PodRun) -> UnschedulablePods {
        explain(run, workload: workloads[run.workload])
    }

    func explain(_ run: PodRun, workload: Workload) -> UnschedulablePods {
        let request = workload.podRequests
        let all = templates.indices
        let bySelector = all.filter { workload.acceptsNode(labeled: templates[$0].labels) }
        let reason: UnschedulableReason
        if bySelector.isEmpty {
            reason = .noMatchingNodeSelector
        } else {
            let tolerated = bySelector.filter { workload.untoleratedTaint(among: templates[$0].taints) == nil }
            if tolerated.isEmpty {
                let first = templates[bySelector[0]]
                reason = .untoleratedTaint(group: first.groupName, taint: workload.untoleratedTaint(among: first.taints)!)
            } else {
                let fitting = tolerated.filter { Self.room(for: request, in: templates[$0], used: .zero, pods: 0) > 0 }
                if fitting.isEmpty {
                    let largest = tolerated.max { a, b in
                        let ra = templates[a].room, rb = templates[b].room
                        return (ra.cpuMillicores, ra.memoryBytes) < (rb.cpuMillicores, rb.memoryBytes)
                    }!
                    let template = templates[largest]
                    reason = .largerThanAnyNode(largest: "\(template.groupName)/\(template.type.name)",
                                                room: template.room, slots: template.podSlots)
                } else {
                    var groups: [String] = []
                    for index in fitting where !groups.contains(templates[index].groupName) {
                        groups.append(templates[index].groupName)
                    }
                    reason = .groupAtMaximum(groups: groups)
                }
            }
        }
        return UnschedulablePods(workload: workload.qualifiedName, count: run.count, requests: request, reason: reason)
    }

    /// Addresses per subnet scope. Fargate pods (one address each) use the cluster's subnets.
    func subnetUse(_ nodeTypes: [NodeTypePlan], fargatePods: Int) -> [SubnetUse] {
        var uses: [SubnetUse] = []
        var sharedGroups: [String] = fargatePods > 0 ? ["Fargate"] : []
        var sharedAddresses = fargatePods
        for group in cluster.nodeGroups {
            let addresses = nodeTypes.filter { $0.groupName == group.name }.reduce(0) { $0 + $1.subnetIPs }
            if let own = group.subnets {
                uses.append(SubnetUse(groups: [group.name], spec: own, addressesUsed: addresses))
            } else {
                sharedGroups.append(group.name)
                sharedAddresses += addresses
            }
        }
        if let shared = cluster.networking.subnets, !sharedGroups.isEmpty {
            uses.insert(SubnetUse(groups: sharedGroups, spec: shared, addressesUsed: sharedAddresses), at: 0)
        }
        return uses
    }
}
