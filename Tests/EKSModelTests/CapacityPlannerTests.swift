import Foundation
import Testing

@testable import EKSModel

/// Expected node counts worked out by hand from m5.large: 1930m CPU, 6903 MiB, 29 pods
/// allocatable; c5.large: 1930m, 3114 MiB (4096 − 308 − 574 − 100), 29 pods; m5.xlarge: 3920m,
/// 14162 MiB, 58 pods.
@Suite struct CapacityPlannerTests {
    static let c5large = InstanceType(
        name: "c5.large", vcpu: 2, memoryMiB: 4096, architecture: "x86_64",
        hypervisor: "nitro", enis: 3, ipv4PerENI: 10)
    static let catalog = InstanceCatalog([Types.m5large, Types.m5xlarge, c5large, Types.t3medium], source: "test")
    static let prices: [String: Decimal] = [
        "m5.large": Decimal("0.096"), "m5.xlarge": Decimal("0.192"),
        "c5.large": Decimal("0.085"), "t3.medium": Decimal("0.0416"),
    ]

    static let MiB: Int64 = 1_048_576
    static let GiB: Int64 = 1_073_741_824

    static func pods(
        _ name: String, _ replicas: Int, cpu: Int64, memory: Int64, kind: WorkloadKind = .deployment,
        selector: [String: String] = [:], tolerations: [Toleration] = []
    ) -> Workload {
        Workload(
            name: name, kind: kind, replicas: replicas,
            containers: [Container(name: "app", requests: ResourceRequests(cpuMillicores: cpu, memoryBytes: memory))],
            nodeSelector: selector, tolerations: tolerations)
    }

    static func autoscaled(
        _ name: String, _ type: String, min: Int = 0, max: Int? = nil, labels: [String: String] = [:],
        taints: [Taint] = []
    ) -> NodeGroup {
        NodeGroup(name: name, instanceType: type, minSize: min, maxSize: max, labels: labels, taints: taints)
    }

    static func plan(_ groups: [NodeGroup], _ workloads: [Workload], networking: Networking = Networking())
        -> ClusterCapacity
    {
        let cluster = Cluster(name: "c", nodeGroups: groups, networking: networking, workloads: workloads)
        return CapacityPlanner.plan(cluster, catalog: catalog) { type, _ in prices[type] }
    }

    static func nodes(_ plan: ClusterCapacity, _ group: String, _ type: String? = nil) -> Int {
        plan.nodeTypes.filter { $0.groupName == group && (type == nil || $0.type.name == type) }.reduce(0) {
            $0 + $1.nodes
        }
    }

    @Test func fortyPodsOfHalfACoreNeedFourteenM5Larges() {
        // Per node: CPU 1930 / 500 = 3 pods, memory 6903 / 1024 = 6, slots 29 → 3 pods; ceil(40 / 3) = 14.
        let plan = Self.plan(
            [Self.autoscaled("general", "m5.large")], [Self.pods("web", 40, cpu: 500, memory: Self.GiB)])
        #expect(Self.nodes(plan, "general") == 14)
        #expect(plan.isComplete)
        let typePlan = plan.nodeTypes[0]
        #expect(typePlan.pods == 40 && typePlan.requested.cpuMillicores == 20_000)
        // 13 nodes with 3 pods and 1 with 1: each needs ceil(P / 9) + 1 = 2 ENIs, 2 × 9 + 2 = 20 addresses.
        #expect(typePlan.enis == 28 && typePlan.subnetIPs == 280)
    }

    @Test func daemonSetsTakeResourcesOnEveryNode() {
        // 1930 − 450 = 1480m left: 2 pods of 500m per node → 20 nodes.
        let plan = Self.plan(
            [Self.autoscaled("general", "m5.large")],
            [
                Self.pods("web", 40, cpu: 500, memory: Self.GiB),
                Self.pods("agent", 0, cpu: 450, memory: 200 * Self.MiB, kind: .daemonSet),
            ])
        #expect(Self.nodes(plan, "general") == 20)
        #expect(plan.nodeTypes[0].daemonSetPodsPerNode == 1)
        #expect(plan.nodeTypes[0].totalRequested.cpuMillicores == 20 * 450 + 40 * 500)
    }

    @Test func daemonSetsTakePodSlots() {
        // 58 tiny pods: 29 slots → 2 nodes; with one DaemonSet pod per node 28 slots → 3 nodes.
        let tiny = Self.pods("tiny", 58, cpu: 10, memory: 10 * Self.MiB)
        #expect(Self.nodes(Self.plan([Self.autoscaled("g", "m5.large")], [tiny]), "g") == 2)
        let withAgent = Self.plan(
            [Self.autoscaled("g", "m5.large")],
            [tiny, Self.pods("agent", 0, cpu: 10, memory: Self.MiB, kind: .daemonSet)])
        #expect(Self.nodes(withAgent, "g") == 3)
    }

    @Test func firstFitDecreasingFillsGapsWithSmallerPods() {
        // Order 1200, 1200, 700 × 3 (room 1930): n1 1200+700, n2 1200+700, n3 700 → 3 nodes.
        let plan = Self.plan(
            [Self.autoscaled("g", "m5.large")],
            [
                Self.pods("small", 3, cpu: 700, memory: 100 * Self.MiB),
                Self.pods("big", 2, cpu: 1200, memory: 100 * Self.MiB),
            ])
        #expect(Self.nodes(plan, "g") == 3)
        #expect(plan.nodeTypes[0].requested.cpuMillicores == 4500)
    }

    @Test func karpenterLaunchesTheCheapestTypeThatFits() {
        let group = NodeGroup(
            name: "flex", instanceType: "m5.large", instanceTypes: ["m5.large", "m5.xlarge", "c5.large"], minSize: 0,
            provisioner: .karpenter)
        // 1000m / 1Gi fits all three: c5.large at 0.085 is the cheapest.
        let cheap = Self.plan([group], [Self.pods("a", 1, cpu: 1000, memory: Self.GiB)])
        #expect(Self.nodes(cheap, "flex", "c5.large") == 1)
        // 4 GiB does not fit c5.large's 3114 MiB: m5.large (0.096) is the cheapest that does.
        let memory = Self.plan([group], [Self.pods("a", 1, cpu: 500, memory: 4 * Self.GiB)])
        #expect(Self.nodes(memory, "flex", "m5.large") == 1)
    }

    @Test func karpenterPacksClaimsWhileAnyTypeCanHoldThem() {
        // Six 1000m pods: a claim keeps m5.xlarge (3 pods) after m5.large (1 pod) drops out, so
        // 2 × m5.xlarge (0.384/h) rather than 6 × m5.large (0.576/h).
        let group = NodeGroup(
            name: "flex", instanceType: "m5.large", instanceTypes: ["m5.large", "m5.xlarge"], minSize: 0,
            provisioner: .karpenter)
        let plan = Self.plan([group], [Self.pods("a", 6, cpu: 1000, memory: Self.GiB)])
        #expect(Self.nodes(plan, "flex", "m5.xlarge") == 2)
        #expect(Self.nodes(plan, "flex", "m5.large") == 0)
    }

    @Test func aManagedGroupLaunchesItsFirstListedTypeOnDemand() {
        // The same six 1000m pods on an EKS managed node group listing m5.large first: on-demand launches
        // in the listed order (prioritized) and the Cluster Autoscaler sizes from the first type, one pod
        // per m5.large (1930m): 6 × m5.large, 0.576/h, where Karpenter launched 2 × m5.xlarge, 0.384/h.
        let group = NodeGroup(
            name: "ng", instanceType: "m5.large", instanceTypes: ["m5.large", "m5.xlarge"], minSize: 0)
        #expect(group.typeRule == .firstListed)
        let plan = Self.plan([group], [Self.pods("a", 6, cpu: 1000, memory: Self.GiB)])
        #expect(Self.nodes(plan, "ng", "m5.large") == 6)
        #expect(Self.nodes(plan, "ng", "m5.xlarge") == 0)
        // A self-managed mixed-instances group does the same; its minSize nodes are the first type too.
        var selfManaged = group
        selfManaged.provisioner = .selfManaged
        selfManaged.minSize = 2
        let idle = Self.plan([selfManaged], [])
        #expect(Self.nodes(idle, "ng", "m5.large") == 2)
        // A pod that only the second type could hold is not one the autoscaler scales for.
        let big = Self.plan([group], [Self.pods("big", 1, cpu: 3000, memory: Self.GiB)])
        #expect(
            big.unschedulable.first?.reason
                == .largerThanAnyNode(
                    largest: "ng/m5.large", room: ResourceRequests(cpuMillicores: 1930, memoryBytes: 6903 * Self.MiB),
                    slots: 29))
    }

    @Test func aSpotManagedGroupIsSizedByItsFirstTypeAndLaunchesTheCheapestThatHolds() {
        // Spot: the Cluster Autoscaler sizes from m5.xlarge (first): 3 pods of 500m / 1Gi fit one node;
        // EC2's price-capacity-optimized is modelled as the cheapest listed type holding 1500m / 3 GiB:
        // m5.large (1930m, 6903 MiB) at the fixture's spot price 0.04366 rather than m5.xlarge 0.07044.
        // On-demand, the same group's node is the first listed type.
        let spot = NodeGroup(
            name: "ng", instanceType: "m5.xlarge", instanceTypes: ["m5.xlarge", "m5.large"], capacityType: .spot,
            minSize: 0)
        #expect(spot.typeRule == .cheapestListedForSpot)
        let spotPrices: [String: Decimal] = ["m5.large": Decimal("0.04366"), "m5.xlarge": Decimal("0.07044")]
        let cluster = Cluster(name: "c", nodeGroups: [spot], workloads: [Self.pods("a", 3, cpu: 500, memory: Self.GiB)])
        let plan = CapacityPlanner.plan(cluster, catalog: Self.catalog) { type, _ in spotPrices[type] }
        #expect(Self.nodes(plan, "ng", "m5.large") == 1 && Self.nodes(plan, "ng") == 1)
        var onDemand = spot
        onDemand.capacityType = .onDemand
        #expect(
            Self.nodes(Self.plan([onDemand], [Self.pods("a", 3, cpu: 500, memory: Self.GiB)]), "ng", "m5.xlarge") == 1)
    }

    @Test func leastWastePicksTheGroupThatWastesLess() {
        // 4 pods of 500m / 2Gi. m5.large: 3 per node → 2 nodes, waste (4000−2000)/4000 +
        // (15154−8192)/15154 = 0.959. c5.large: 1 per node (3114 MiB) → 4 nodes, waste 0.75 + 0.459.
        let plan = Self.plan(
            [Self.autoscaled("compute", "c5.large"), Self.autoscaled("general", "m5.large")],
            [Self.pods("a", 4, cpu: 500, memory: 2 * Self.GiB)])
        #expect(Self.nodes(plan, "general") == 2)
        #expect(Self.nodes(plan, "compute") == 0)
    }

    @Test func minSizeNodesTakePodsFirst() {
        let plan = Self.plan(
            [Self.autoscaled("g", "m5.large", min: 3)], [Self.pods("a", 2, cpu: 500, memory: Self.GiB)])
        #expect(Self.nodes(plan, "g") == 3)
        #expect(plan.nodeTypes[0].pods == 2)
    }

    @Test func taintsRepelPodsWithoutTolerations() {
        let gpu = Self.autoscaled(
            "gpu", "m5.large", labels: ["accel": "yes"],
            taints: [Taint(key: "dedicated", value: "gpu", effect: .noSchedule)])
        let plan = Self.plan([gpu], [Self.pods("plain", 2, cpu: 100, memory: Self.MiB)])
        #expect(
            plan.unschedulable == [
                UnschedulablePods(
                    workload: "default/plain", count: 2,
                    requests: ResourceRequests(cpuMillicores: 100, memoryBytes: Self.MiB),
                    reason: .untoleratedTaint(
                        group: "gpu", taint: Taint(key: "dedicated", value: "gpu", effect: .noSchedule)))
            ])
        let tolerating = Self.pods(
            "ml", 2, cpu: 100, memory: Self.MiB,
            tolerations: [Toleration(key: "dedicated", operator: .equal, value: "gpu", effect: .noSchedule)])
        #expect(Self.plan([gpu], [tolerating]).isComplete)
        let existsAll = Self.pods("ml", 2, cpu: 100, memory: Self.MiB, tolerations: [Toleration(operator: .exists)])
        #expect(Self.plan([gpu], [existsAll]).isComplete)
        // PreferNoSchedule never blocks.
        let soft = Self.autoscaled("soft", "m5.large", taints: [Taint(key: "x", effect: .preferNoSchedule)])
        #expect(Self.plan([soft], [Self.pods("plain", 1, cpu: 100, memory: Self.MiB)]).isComplete)
    }

    @Test func nodeSelectorsChooseGroups() {
        let ssd = Self.autoscaled("ssd", "m5.large", labels: ["disktype": "ssd"])
        let plain = Self.autoscaled("plain", "m5.large")
        let wantsSSD = Self.pods("db", 3, cpu: 1000, memory: Self.GiB, selector: ["disktype": "ssd"])
        let plan = Self.plan([plain, ssd], [wantsSSD])
        #expect(Self.nodes(plan, "ssd") == 3 && Self.nodes(plan, "plain") == 0)
        let nowhere = Self.plan([plain], [wantsSSD])
        #expect(nowhere.unschedulable.first?.reason == .noMatchingNodeSelector)
        // Well-known labels are there to select on.
        let arm = Self.pods("arm", 1, cpu: 100, memory: Self.MiB, selector: ["kubernetes.io/arch": "arm64"])
        #expect(Self.plan([plain], [arm]).unschedulable.first?.reason == .noMatchingNodeSelector)
    }

    @Test func podsLargerThanAnyNodeAreReported() {
        let plan = Self.plan([Self.autoscaled("g", "m5.large")], [Self.pods("huge", 2, cpu: 4000, memory: Self.GiB)])
        #expect(plan.unschedulable.count == 1)
        #expect(plan.unschedulable[0].count == 2)
        #expect(
            plan.unschedulable[0].reason
                == .largerThanAnyNode(
                    largest: "g/m5.large", room: ResourceRequests(cpuMillicores: 1930, memoryBytes: 6903 * Self.MiB),
                    slots: 29))
        #expect(Self.nodes(plan, "g") == 0)
    }

    @Test func groupsStopAtMaxSize() {
        // One 1500m pod per m5.large; maxSize 2 → 2 placed, 8 left.
        let plan = Self.plan(
            [Self.autoscaled("g", "m5.large", max: 2)], [Self.pods("a", 10, cpu: 1500, memory: Self.GiB)])
        #expect(Self.nodes(plan, "g") == 2)
        #expect(plan.unschedulable.first?.count == 8)
        #expect(plan.unschedulable.first?.reason == .groupAtMaximum(groups: ["g"]))
    }

    @Test func fixedGroupsDoNotGrow() {
        let fixed = NodeGroup(name: "fixed", instanceType: "m5.large", desiredSize: 2)
        let plan = Self.plan([fixed], [Self.pods("a", 3, cpu: 1500, memory: Self.GiB)])
        #expect(Self.nodes(plan, "fixed") == 2)
        #expect(plan.unschedulable.first?.count == 1)
    }

    @Test func subnetUseCountsEveryNodesAddresses() {
        let networking = Networking(subnets: SubnetSpec(prefixLength: 28))
        let fixed = NodeGroup(name: "fixed", instanceType: "m5.large", desiredSize: 2)
        let plan = Self.plan([fixed], [], networking: networking)
        // Two idle m5.large nodes hold 1 ENI and 10 addresses each; a /28 has 16 − 5 = 11.
        #expect(plan.subnetUse == [SubnetUse(groups: ["fixed"], spec: SubnetSpec(prefixLength: 28), addressesUsed: 20)])
        #expect(plan.subnetUse[0].isExhausted)
    }

    @Test func podRequestsCountSidecarsAndInitContainers() {
        let workload = Workload(
            name: "w",
            containers: [
                Container(name: "app", requests: ResourceRequests(cpuMillicores: 200, memoryBytes: 64 * Self.MiB))
            ],
            initContainers: [
                Container(
                    name: "proxy", requests: ResourceRequests(cpuMillicores: 100, memoryBytes: 32 * Self.MiB),
                    isSidecar: true),
                Container(name: "migrate", requests: ResourceRequests(cpuMillicores: 500, memoryBytes: 16 * Self.MiB)),
            ])
        // CPU: max(200 + 100, 500 + 100) = 600; memory: max(64 + 32, 16 + 32) = 96 MiB.
        #expect(workload.podRequests == ResourceRequests(cpuMillicores: 600, memoryBytes: 96 * Self.MiB))
    }

    @Test func nodeAffinityTermsAreOredAndRequirementsAnded() {
        let labels = ["zone": "a", "size": "8"]
        let inZoneA = NodeSelectorRequirement(key: "zone", operator: .in, values: ["a", "b"])
        let bigger = NodeSelectorRequirement(key: "size", operator: .gt, values: ["10"])
        let noGPU = NodeSelectorRequirement(key: "gpu", operator: .doesNotExist)
        var workload = Self.pods("w", 1, cpu: 1, memory: 1)
        workload.nodeAffinity = [[inZoneA, bigger]]
        #expect(!workload.acceptsNode(labeled: labels))
        workload.nodeAffinity = [[inZoneA, bigger], [noGPU]]
        #expect(workload.acceptsNode(labeled: labels))
    }
}
