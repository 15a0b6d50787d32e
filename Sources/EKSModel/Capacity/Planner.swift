import Foundation

/// Places one cluster's pods on a `NodePool` (see `CapacityPlanner` for the rules). The time
/// simulation keeps one and calls `scaleUp` for pods that find no node.
struct Planner {
    let rules: PlacementRules
    let period: BillingPeriod
    /// Per group: the most nodes it may run.
    let maxNodes: [Int]
    var pool: NodePool

    var cluster: Cluster { rules.cluster }
    var templates: [NodeTemplate] { rules.templates }
    var groupTemplates: [[Int]] { rules.groupTemplates }
    var workloads: [Workload] { rules.workloads }

    init(cluster: Cluster, catalog: InstanceCatalog, price: CapacityPlanner.PriceLookup, period: BillingPeriod) {
        rules = PlacementRules(cluster: cluster, catalog: catalog, price: price)
        self.period = period
        let hasPods = Self.sizedByPods(cluster)
        maxNodes = cluster.nodeGroups.map { group in
            if !group.isAutoscaled || !hasPods { return Self.initialSize(group, hasPods: hasPods) }
            return group.maxSize ?? Int.max
        }
        pool = NodePool(rules: rules)
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

    /// Launches the nodes that exist anyway: fixed-size groups and autoscaled groups' minimum.
    mutating func launchInitialNodes(hasPods: Bool) {
        for group in groupTemplates.indices {
            guard let first = initialTemplate(group) else { continue }
            for _ in 0..<Self.initialSize(cluster.nodeGroups[group], hasPods: hasPods) {
                pool.launch(NodeBin(template: first), at: 0)
            }
        }
    }

    mutating func run() -> ClusterCapacity {
        launchInitialNodes(hasPods: Self.sizedByPods(cluster))
        var pending = workloads.indices.map { PodRun(workload: $0, count: workloads[$0].replicas) }.filter {
            $0.count > 0
        }
        pending = fillExistingNodes(pending)
        pending = scaleUp(pending, at: 0).unplaced
        var capacity = summarize(unplaced: pending)
        placeOnFargate(&capacity)
        placeJobs(&capacity)
        capacity.subnetUse = subnetUse(capacity.nodeTypes, fargatePods: capacity.fargate.reduce(0) { $0 + $1.pods })
        return capacity
    }

    // MARK: - Existing nodes

    /// The largest pods first, each run first fit over the nodes in creation order.
    mutating func fillExistingNodes(_ runs: [PodRun]) -> [PodRun] {
        guard !pool.isEmpty else { return runs }
        let ordered = runs.sorted { a, b in
            let ra = rules.pods[a.workload].request
            let rb = rules.pods[b.workload].request
            return (ra.cpuMillicores, ra.memoryBytes, -a.workload) > (rb.cpuMillicores, rb.memoryBytes, -b.workload)
        }
        var left: [PodRun] = []
        pool.refreshFirstFit()
        for var run in ordered {
            var from = 0
            while run.count > 0, let (slot, position) = pool.nextCandidate(for: run.workload, from: from) {
                from = position + 1
                let template = pool.bins[slot].template
                guard rules.admits(template, run.workload) else { continue }
                let take = min(run.count, rules.room(for: run.workload, in: pool.bins[slot], as: template))
                if take > 0 {
                    pool.add(take, of: run.workload, to: slot)
                    run.count -= take
                }
            }
            if run.count > 0 { left.append(run) }
            pool.refreshFirstFit()
        }
        return left
    }

    /// The type a group's nodes are before any pod asks for them: the first listed for a
    /// prioritized group, else the cheapest.
    func initialTemplate(_ group: Int) -> Int? {
        let indices = groupTemplates[group]
        return cluster.nodeGroups[group].typeRule == .firstListed ? indices.first : rules.cheapestTemplate(indices)
    }

    /// The types the autoscaler judges a pod against: an Auto Scaling group's first type (the Cluster
    /// Autoscaler's template node), every type of a Karpenter or Auto Mode group.
    func sizingTemplates(_ group: Int) -> [Int] {
        cluster.nodeGroups[group].typeRule == .cheapestThatFits
            ? groupTemplates[group] : Array(groupTemplates[group].prefix(1))
    }

    /// expander/waste/waste.go: (capacity − requested) / capacity for CPU plus the same for memory.
    func waste(of newNodes: [NodeBin]) -> Double {
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
}
