import Foundation
import Testing

@testable import EKSModel

/// Extended resources and host ports in placement, worked by hand from kube-scheduler's filters:
/// NodeResourcesFit (pkg/scheduler/framework/plugins/noderesources/fit.go: a node without a requested
/// extended resource has 0 of it) and NodePorts (nodeports/node_ports.go, framework/types.go
/// `HostPortInfo.CheckConflict`: same port and protocol on overlapping addresses, 0.0.0.0 overlapping
/// all). GPU counts are the catalog's (`gpus`: g4dn.xlarge 1, g4dn.12xlarge 4; inf2.xlarge has no
/// Neuron count). Allocatable from the EKS AMI rules: m5.large 1930m / 6903 MiB / 29 pods;
/// g4dn.xlarge 3920m, 16384 − 1229 − 574 − 100 = 14481 MiB, 29 pods.
@Suite struct PlacementRulesTests {
    static let prices: [String: Decimal] = [
        "m5.large": Decimal("0.096"), "m5.xlarge": Decimal("0.192"),
        "g4dn.xlarge": Decimal("0.526"), "g4dn.2xlarge": Decimal("0.752"),
        "g4dn.12xlarge": Decimal("3.912"), "inf2.xlarge": Decimal("0.7582"),
    ]
    static let GiB: Int64 = 1_073_741_824
    static let MiB: Int64 = 1_048_576

    static func plan(_ groups: [NodeGroup], _ workloads: [Workload]) -> ClusterCapacity {
        CapacityPlanner.plan(Cluster(name: "c", nodeGroups: groups, workloads: workloads), catalog: Types.catalog) {
            type, _ in prices[type]
        }
    }

    static func pods(
        _ name: String, _ replicas: Int, cpu: Int64 = 500, memory: Int64 = GiB, devices: [String: Int64] = [:],
        ports: [ContainerPort] = [], kind: WorkloadKind = .deployment
    ) -> Workload {
        Workload(
            name: name, kind: kind, replicas: replicas,
            containers: [
                Container(
                    name: "app",
                    requests: ResourceRequests(
                        cpuMillicores: cpu, memoryBytes: memory, extended: ExtendedResources(devices)),
                    ports: ports)
            ])
    }

    static func nodes(_ plan: ClusterCapacity, _ group: String, _ type: String? = nil) -> Int {
        plan.nodeTypes.filter { $0.groupName == group && (type == nil || $0.type.name == type) }.reduce(0) {
            $0 + $1.nodes
        }
    }

    // MARK: - Extended resources

    @Test func gpuPodsRunOnlyOnGPUNodesAndATwoGPUPodFitsNowhere() {
        // The case: three 1-GPU pods and one 2-GPU pod, groups m5.xlarge and g4dn.xlarge. An
        // m5.xlarge has no nvidia.com/gpu (0 < 1), so it takes none of them (before: all four on one
        // m5.xlarge). A g4dn.xlarge has 1: per node min(29 slots, 3920 / 500, 14481 / 1024, 1 / 1) = 1
        // pod → 3 nodes. The 2-GPU pod needs 2 on one node; the most any has is 1.
        let plan = Self.plan(
            [
                NodeGroup(name: "general", instanceType: "m5.xlarge", minSize: 0, maxSize: 10),
                NodeGroup(name: "gpu", instanceType: "g4dn.xlarge", minSize: 0, maxSize: 10),
            ],
            [
                Self.pods("train", 3, devices: ["nvidia.com/gpu": 1]),
                Self.pods("train-big", 1, devices: ["nvidia.com/gpu": 2]),
            ])
        #expect(Self.nodes(plan, "gpu", "g4dn.xlarge") == 3)
        #expect(Self.nodes(plan, "general") == 0)
        #expect(plan.unschedulable.count == 1)
        let left = plan.unschedulable.first
        #expect(left?.workload == "default/train-big" && left?.count == 1)
        #expect(
            left?.reason
                == .insufficientExtendedResource(
                    resource: "nvidia.com/gpu", requested: 2, most: 1, node: "gpu/g4dn.xlarge"))
        #expect(
            left?.explanation
                == "each pod requests 2 nvidia.com/gpu; the most a node it may use has is 1 (gpu/g4dn.xlarge)")
    }

    @Test func aNodeHoldsAsManyGPUPodsAsItHasGPUs() {
        // g4dn.12xlarge has 4 GPUs: six 1-GPU pods of 1000m → 4 on the first node, 2 on the second.
        let plan = Self.plan(
            [NodeGroup(name: "gpu", instanceType: "g4dn.12xlarge", minSize: 0)],
            [Self.pods("train", 6, cpu: 1000, devices: ["nvidia.com/gpu": 1])])
        #expect(Self.nodes(plan, "gpu") == 2)
        #expect(plan.nodeTypes.first?.requested.extended["nvidia.com/gpu"] == 6)
        #expect(plan.isComplete)
    }

    @Test func aGroupOfSeveralTypesLaunchesOneThatHasTheGPU() {
        // Karpenter packs by CPU then memory: each 1000m GPU pod opens a claim that keeps only the types
        // with a GPU (g4dn.xlarge, g4dn.2xlarge: 1 each), the 500m pod joins the first claim; each claim
        // launches the cheapest type it kept: g4dn.xlarge (0.526 against 0.752). No m5.xlarge.
        let flex = NodeGroup(
            name: "flex", instanceType: "m5.xlarge", instanceTypes: ["m5.xlarge", "g4dn.xlarge", "g4dn.2xlarge"],
            minSize: 0, provisioner: .karpenter)
        let plan = Self.plan(
            [flex],
            [
                Self.pods("train", 2, cpu: 1000, memory: 2 * Self.GiB, devices: ["nvidia.com/gpu": 1]),
                Self.pods("web", 1, memory: 512 * Self.MiB),
            ])
        #expect(Self.nodes(plan, "flex", "g4dn.xlarge") == 2)
        #expect(Self.nodes(plan, "flex") == 2)
        #expect(plan.isComplete)
    }

    @Test func neuronPodsFitNowhereWhileTheCatalogHasNoNeuronCount() {
        let plan = Self.plan(
            [NodeGroup(name: "inf", instanceType: "inf2.xlarge", minSize: 0)],
            [Self.pods("infer", 2, devices: ["aws.amazon.com/neuron": 1])])
        #expect(Self.nodes(plan, "inf") == 0)
        let left = plan.unschedulable.first
        #expect(left?.count == 2)
        #expect(
            left?.reason
                == .insufficientExtendedResource(resource: "aws.amazon.com/neuron", requested: 1, most: 0, node: nil))
        #expect(left?.explanation.contains("the instance catalog has no Neuron device count") == true)
    }

    @Test func anUnknownDeviceIsZeroOnEveryNode() {
        let plan = Self.plan(
            [NodeGroup(name: "g", instanceType: "m5.large", minSize: 0)],
            [Self.pods("odd", 1, devices: ["example.com/dongle": 1])])
        #expect(plan.unschedulable.first?.reason.code == "insufficient-extended-resource")
    }

    @Test func podENIIsNotModelledAndDoesNotBlockPlacement() {
        // vpc.amazonaws.com/pod-eni is left out of placement (no per-type branch-ENI count): 3 pods of
        // 500m fit one m5.large (1930m) as if they asked for nothing else.
        let plan = Self.plan(
            [NodeGroup(name: "g", instanceType: "m5.large", minSize: 0)],
            [Self.pods("sg", 3, devices: ["vpc.amazonaws.com/pod-eni": 1])])
        #expect(Self.nodes(plan, "g") == 1)
        #expect(plan.isComplete)
    }

    @Test func extendedResourcesAddAndMaxPerName() {
        let a = ExtendedResources(["nvidia.com/gpu": 1, "example.com/x": 2])
        let b = ExtendedResources(["nvidia.com/gpu": 2])
        #expect(a + b == ExtendedResources(["nvidia.com/gpu": 3, "example.com/x": 2]))
        #expect(a.max(b) == ExtendedResources(["nvidia.com/gpu": 2, "example.com/x": 2]))
        #expect((a - a).isEmpty)
        // 4 GPUs, 1 used: three more 1-GPU pods, one more 2-GPU pod.
        let room = ExtendedResources(["nvidia.com/gpu": 4])
        #expect(
            room.count(of: ExtendedResources(["nvidia.com/gpu": 1]), besides: ExtendedResources(["nvidia.com/gpu": 1]))
                == 3)
        #expect(room.count(of: b, besides: ExtendedResources(["nvidia.com/gpu": 1])) == 1)
        #expect(room.count(of: .none, besides: .none) == nil)
    }

    // MARK: - Host ports

    @Test func eightPodsOnOneHostPortNeedEightNodes() {
        // The case: 8 pods of 450m binding 8080 went 4 per m5.large (4 × 450 = 1800 ≤ 1930) on 2
        // nodes. Upstream two pods binding 8080/TCP on 0.0.0.0 never share a node: 8 nodes.
        let plan = Self.plan(
            [NodeGroup(name: "g", instanceType: "m5.large", minSize: 0)],
            [
                Self.pods(
                    "edge", 8, cpu: 450, memory: 256 * Self.MiB,
                    ports: [ContainerPort(containerPort: 80, hostPort: 8080)])
            ])
        #expect(Self.nodes(plan, "g") == 8)
        #expect(plan.isComplete)
    }

    @Test func portsConflictOnProtocolAndOverlappingAddresses() {
        let all = HostPort(port: 80)
        #expect(all.hostIP == "0.0.0.0")
        #expect(all.conflicts(with: HostPort(port: 80, hostIP: "10.0.0.1")))  // 0.0.0.0 overlaps every address
        #expect(!HostPort(port: 80, hostIP: "10.0.0.1").conflicts(with: HostPort(port: 80, hostIP: "10.0.0.2")))
        #expect(HostPort(port: 80, hostIP: "10.0.0.1").conflicts(with: HostPort(port: 80, hostIP: "10.0.0.1")))
        #expect(!all.conflicts(with: HostPort(port: 80, portProtocol: .udp)))  // another protocol
        #expect(!all.conflicts(with: HostPort(port: 81)))
    }

    @Test func podsOnOtherProtocolsOrAddressesShareNodes() {
        // Two fixed nodes: 53/UDP pods and 53/TCP pods, 2 each, one of each per node; pods on
        // 10.0.0.1:80 and 10.0.0.2:80 share a node too. Everything fits on the 2 nodes.
        let plan = Self.plan(
            [NodeGroup(name: "g", instanceType: "m5.large", desiredSize: 2)],
            [
                Self.pods(
                    "dns-udp", 2, cpu: 100, memory: 64 * Self.MiB,
                    ports: [ContainerPort(containerPort: 53, hostPort: 53, portProtocol: .udp)]),
                Self.pods(
                    "dns-tcp", 2, cpu: 100, memory: 64 * Self.MiB,
                    ports: [ContainerPort(containerPort: 53, hostPort: 53)]),
                Self.pods(
                    "a", 2, cpu: 100, memory: 64 * Self.MiB,
                    ports: [ContainerPort(containerPort: 80, hostPort: 80, hostIP: "10.0.0.1")]),
                Self.pods(
                    "b", 2, cpu: 100, memory: 64 * Self.MiB,
                    ports: [ContainerPort(containerPort: 80, hostPort: 80, hostIP: "10.0.0.2")]),
            ])
        #expect(plan.isComplete)
        // A third workload on 0.0.0.0:80 conflicts with both a and b: no room on the 2 nodes.
        let crowded = Self.plan(
            [NodeGroup(name: "g", instanceType: "m5.large", desiredSize: 2)],
            [
                Self.pods(
                    "a", 2, cpu: 100, memory: 64 * Self.MiB,
                    ports: [ContainerPort(containerPort: 80, hostPort: 80, hostIP: "10.0.0.1")]),
                Self.pods(
                    "all", 1, cpu: 100, memory: 64 * Self.MiB, ports: [ContainerPort(containerPort: 80, hostPort: 80)]),
            ])
        #expect(crowded.unschedulable.first?.workload == "default/all")
    }

    @Test func aDaemonSetsHostPortKeepsOthersOffEveryNode() {
        let exporter = Self.pods(
            "node-exporter", 0, cpu: 50, memory: 64 * Self.MiB,
            ports: [ContainerPort(containerPort: 9100, hostPort: 9100)], kind: .daemonSet)
        let plan = Self.plan(
            [NodeGroup(name: "g", instanceType: "m5.large", minSize: 0)],
            [exporter, Self.pods("metrics", 1, ports: [ContainerPort(containerPort: 9100, hostPort: 9100)])])
        #expect(
            plan.unschedulable.first?.reason
                == .hostPortTaken(port: HostPort(port: 9100), daemonSet: "default/node-exporter"))
        #expect(
            plan.unschedulable.first?.explanation
                == "it binds host port 9100/TCP, which DaemonSet default/node-exporter already binds on every node it may use"
        )
    }

    @Test func hostNetworkMakesEveryContainerPortAHostPort() {
        // defaults.go: with hostNetwork, hostPort defaults to containerPort; a sidecar's ports count
        // (GetHostPorts), an ordinary init container's do not.
        var workload = Self.pods(
            "proxy", 3, cpu: 100, memory: 64 * Self.MiB, ports: [ContainerPort(containerPort: 8443)])
        #expect(workload.hostPorts.isEmpty)
        workload.hostNetwork = true
        #expect(workload.hostPorts == [HostPort(port: 8443)])
        workload.hostNetwork = false
        workload.initContainers = [
            Container(name: "setup", ports: [ContainerPort(containerPort: 1, hostPort: 7000)]),
            Container(name: "mesh", isSidecar: true, ports: [ContainerPort(containerPort: 15001, hostPort: 15001)]),
        ]
        #expect(workload.hostPorts == [HostPort(port: 15001)])
        // 3 pods with one host port each → 3 m5.large nodes although 3 × 100m would fit one.
        #expect(
            Self.nodes(Self.plan([NodeGroup(name: "g", instanceType: "m5.large", minSize: 0)], [workload]), "g") == 3)
    }
}
