import Foundation

/// What placement decides by, for one cluster: the node templates its groups can launch, the
/// long-running pods to place, and the scheduler's filters between them (which templates admit a
/// pod; how many more fit a node). Flat per-template arrays serve the hot loops without copying
/// structs. The capacity planner and the time simulation read the same rules.
struct PlacementRules: Sendable {
    let cluster: Cluster
    /// Long-running workloads placed on nodes (not on Fargate), and what their pods take.
    let workloads: [Workload]
    let pods: [PodFacts]
    var requests: [ResourceRequests] { pods.map(\.request) }
    /// Per workload: a pod's CPU and memory requests, and whether it fits a node only by the exact
    /// test (extended resources or host ports) rather than by CPU, memory and a pod slot alone.
    let podCPU: [Int64]
    let podMemory: [Int64]
    let needsExactFit: [Bool]
    /// The distinct (CPU, memory) requests of the pods, and each workload's among them.
    let shapes: [(cpu: Int64, memory: Int64)]
    let podShape: [Int]
    let templates: [NodeTemplate]
    /// Per group: its templates' indices.
    let groupTemplates: [[Int]]
    /// Per template: room and pod slots after DaemonSets, allocatable, DaemonSet requests, group.
    let templateRoom: [ResourceRequests]
    let templateSlots: [Int]
    let templateAllocatable: [ResourceRequests]
    let templateDaemonSets: [ResourceRequests]
    let templateGroup: [Int]
    /// Per template: hourly price (when known), vCPUs and type name, to rank them.
    let templatePrice: [Decimal?]
    let templateVCPU: [Int]
    let templateTypeName: [String]
    /// Per template: its place by price alone (unpriced last), and in `cheapestTemplate`'s order
    /// (price, fewer vCPU, name); equal keys have equal places. The hot loops compare these.
    let templatePriceRank: [Int]
    let templateCheapnessRank: [Int]
    /// Whether template t admits workload w, at `t * workloads.count + w`: selector, affinity,
    /// taints, and no DaemonSet there binding a port the pod binds (NodePorts).
    let admitsTable: [Bool]

    init(cluster: Cluster, catalog: InstanceCatalog, price: CapacityPlanner.PriceLookup) {
        self.cluster = cluster
        let workloads = cluster.podWorkloads.filter { cluster.fargateProfile(for: $0) == nil }
        self.workloads = workloads
        pods = workloads.map {
            PodFacts(request: $0.placementRequests, hostPorts: $0.hostPorts, hostNetwork: $0.hostNetwork)
        }
        podCPU = pods.map(\.request.cpuMillicores)
        podMemory = pods.map(\.request.memoryBytes)
        needsExactFit = pods.map { !$0.request.extended.isEmpty || !$0.hostPorts.isEmpty }
        var shapes: [(cpu: Int64, memory: Int64)] = []
        var shapeIndex: [[Int64]: Int] = [:]
        podShape = pods.map { pod in
            let key = [pod.request.cpuMillicores, pod.request.memoryBytes]
            if let known = shapeIndex[key] { return known }
            shapeIndex[key] = shapes.count
            shapes.append((pod.request.cpuMillicores, pod.request.memoryBytes))
            return shapes.count - 1
        }
        self.shapes = shapes
        var templates: [NodeTemplate] = []
        var groupTemplates: [[Int]] = []
        for (index, group) in cluster.nodeGroups.enumerated() {
            var types = CapacityPlanner.candidateTypes(of: group, catalog: catalog)
            if group.choosesInstanceType {
                // Only a priced type can be the cheapest one.
                types = types.filter { price($0.name, group) != nil }
            }
            var indices: [Int] = []
            for type in types {
                indices.append(templates.count)
                templates.append(
                    NodeTemplate(
                        groupIndex: index, group: group, type: type, networking: cluster.networking,
                        memoryOverhead: cluster.vmMemoryOverhead, daemonSets: cluster.daemonSets,
                        hourlyPrice: price(type.name, group)))
            }
            groupTemplates.append(indices)
        }
        self.templates = templates
        self.groupTemplates = groupTemplates
        templateRoom = templates.map(\.room)
        templateSlots = templates.map(\.podSlots)
        templateAllocatable = templates.map(\.allocatableResources)
        templateDaemonSets = templates.map(\.daemonSetRequests)
        templateGroup = templates.map(\.groupIndex)
        templatePrice = templates.map(\.hourlyPrice)
        templateVCPU = templates.map(\.type.vcpu)
        templateTypeName = templates.map(\.type.name)
        templatePriceRank = Self.ranks(templates.indices) { [templatePrice] a, b in
            Self.priceOrder(templatePrice[a], templatePrice[b])
        }
        templateCheapnessRank = Self.ranks(templates.indices) { [templatePrice, templateVCPU, templateTypeName] a, b in
            if templatePrice[a] != templatePrice[b] { return Self.priceOrder(templatePrice[a], templatePrice[b]) }
            if templateVCPU[a] != templateVCPU[b] { return templateVCPU[a] < templateVCPU[b] }
            return templateTypeName[a] < templateTypeName[b]
        }
        let pods = self.pods
        admitsTable = templates.flatMap { template in
            workloads.indices.map { workload in
                template.admits(workloads[workload])
                    && !pods[workload].hostPorts.conflicts(with: template.daemonSetHostPorts)
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
    func room(
        for workload: Int, template: Int, used: borrowing ResourceRequests, pods: Int, ports: borrowing [HostPort] = []
    ) -> Int {
        var count = templateSlots[template] - pods
        let freeCPU = templateRoom[template].cpuMillicores - used.cpuMillicores
        let freeMemory = templateRoom[template].memoryBytes - used.memoryBytes
        if freeCPU < 0 || freeMemory < 0 { return 0 }
        let cpu = self.pods[workload].request.cpuMillicores
        let memory = self.pods[workload].request.memoryBytes
        if cpu > 0 { count = min(count, Int(freeCPU / cpu)) }
        if memory > 0 { count = min(count, Int(freeMemory / memory)) }
        if !self.pods[workload].request.extended.isEmpty,
            let devices = templateRoom[template].extended.count(
                of: self.pods[workload].request.extended, besides: used.extended)
        {
            count = min(count, devices)
        }
        if !self.pods[workload].hostPorts.isEmpty {
            if self.pods[workload].hostPorts.conflicts(with: ports) { return 0 }
            count = min(count, 1)
        }
        return max(0, count)
    }

    /// The same for a workload that needs no exact test (`needsExactFit` false): CPU, memory and pod
    /// slots only.
    @inline(__always)
    func room(for workload: Int, template: Int, usedCPU: Int64, usedMemory: Int64, pods: Int) -> Int {
        var count = templateSlots[template] - pods
        let freeCPU = templateRoom[template].cpuMillicores - usedCPU
        let freeMemory = templateRoom[template].memoryBytes - usedMemory
        if freeCPU < 0 || freeMemory < 0 { return 0 }
        if podCPU[workload] > 0 { count = min(count, Int(freeCPU / podCPU[workload])) }
        if podMemory[workload] > 0 { count = min(count, Int(freeMemory / podMemory[workload])) }
        return max(0, count)
    }

    /// How many more pods of `workload` fit `bin` as a node of `template`.
    @inline(__always)
    func room(for workload: Int, in bin: borrowing NodeBin, as template: Int) -> Int {
        room(for: workload, template: template, used: bin.used, pods: bin.pods, ports: bin.hostPorts)
    }

    /// How many more pods of `request` binding `podPorts` fit on a node of `template` beside `used`,
    /// `pods` workload pods and the ports `nodePorts` (the same rules as `room(for:template:…)`).
    static func room(
        for request: ResourceRequests, in template: NodeTemplate, used: ResourceRequests, pods: Int,
        podPorts: [HostPort] = [], nodePorts: [HostPort] = []
    ) -> Int {
        var count = template.podSlots - pods
        let freeCPU = template.room.cpuMillicores - used.cpuMillicores
        let freeMemory = template.room.memoryBytes - used.memoryBytes
        if freeCPU < 0 || freeMemory < 0 { return 0 }
        if request.cpuMillicores > 0 { count = min(count, Int(freeCPU / request.cpuMillicores)) }
        if request.memoryBytes > 0 { count = min(count, Int(freeMemory / request.memoryBytes)) }
        if let devices = template.room.extended.count(of: request.extended, besides: used.extended) {
            count = min(count, devices)
        }
        if !podPorts.isEmpty {
            if podPorts.conflicts(with: nodePorts) || podPorts.conflicts(with: template.daemonSetHostPorts) { return 0 }
            count = min(count, 1)
        }
        return max(0, count)
    }

    /// Whether price `a` is lower than `b`, an unknown price above every known one.
    private static func priceOrder(_ a: Decimal?, _ b: Decimal?) -> Bool {
        (a ?? Decimal.greatestFiniteMagnitude) < (b ?? Decimal.greatestFiniteMagnitude)
    }

    /// Each index's place under `precedes`, equal places for elements neither precedes.
    private static func ranks(_ indices: Range<Int>, by precedes: (Int, Int) -> Bool) -> [Int] {
        let sorted = indices.sorted(by: precedes)
        var ranks = Array(repeating: 0, count: indices.count)
        for (place, index) in sorted.enumerated() where place > 0 {
            let previous = sorted[place - 1]
            ranks[index] = precedes(previous, index) ? place : ranks[previous]
        }
        return ranks
    }

    /// The cheapest of `indices` (unpriced last), then fewer vCPU, then by name; the first of equals.
    func cheapestTemplate(_ indices: [Int]) -> Int? {
        indices.min { templateCheapnessRank[$0] < templateCheapnessRank[$1] }
    }

    /// Whether template `a` has a known price lower than template `b`'s.
    func isPricedBelow(_ a: Int, _ b: Int) -> Bool {
        templatePrice[a] != nil && templatePriceRank[a] < templatePriceRank[b]
    }

    /// The cheapest of `indices` that holds everything in `bin`.
    func cheapestHolding(_ bin: NodeBin, among indices: [Int]) -> Int? {
        cheapestTemplate(
            indices.filter { candidate in
                bin.pods <= templateSlots[candidate] && bin.used.fits(in: templateRoom[candidate])
                    && bin.podsByWorkload.workloadIndices.allSatisfy { admits(candidate, $0) }
            })
    }

    /// kube-scheduler's default NodeResourcesFit score (LeastAllocated) of a node of `template` with
    /// `used` once a pod of `workload` is added: the mean of the CPU and memory shares of allocatable, DaemonSets
    /// included; lower is less allocated.
    func score(_ used: borrowing ResourceRequests, template: Int, adding workload: Int) -> Double {
        let cpu =
            Double(used.cpuMillicores + podCPU[workload] + templateDaemonSets[template].cpuMillicores)
            / Double(max(1, templateAllocatable[template].cpuMillicores))
        let memory =
            Double(used.memoryBytes + podMemory[workload] + templateDaemonSets[template].memoryBytes)
            / Double(max(1, templateAllocatable[template].memoryBytes))
        return (cpu + memory) / 2
    }

    /// Requests over allocatable, the larger of CPU and memory, DaemonSets included
    /// (cluster-autoscaler utilization.Calculate).
    func utilization(_ bin: borrowing NodeBin) -> Double {
        let allocatable = templateAllocatable[bin.template]
        let daemonSets = templateDaemonSets[bin.template]
        let cpu = Double(bin.used.cpuMillicores + daemonSets.cpuMillicores) / Double(max(1, allocatable.cpuMillicores))
        let memory = Double(bin.used.memoryBytes + daemonSets.memoryBytes) / Double(max(1, allocatable.memoryBytes))
        return max(cpu, memory)
    }

    /// ENIs and subnet addresses a node of `template` holds with `ipPods` workload pods taking an IP.
    func addresses(template: Int, ipPods: Int) -> NodeAddressUse {
        let facts = templates[template]
        return SubnetAddresses.use(
            pods: ipPods + facts.daemonSetIPPods, on: facts.type,
            mode: cluster.networking.addressMode, warmPool: cluster.networking.warmPool)
    }
}
