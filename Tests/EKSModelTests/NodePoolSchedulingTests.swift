import Foundation
import Testing

@testable import EKSModel

/// The pool's scheduler choice and ReplicaSet removal give what a walk over every node gives, on
/// random pools of several templates (three types in a Karpenter group, one in another group, a
/// workload binding a host port, one held to one group by its selector). Fixed seeds.
@Suite struct NodePoolSchedulingTests {
    static let cluster: Cluster = {
        var workloads: [Workload] = []
        for index in 0..<6 {
            let cpu = Int64(100 + 150 * index)
            let memory = Int64(256 + 700 * index) << 20
            let requests = ResourceRequests(cpuMillicores: cpu, memoryBytes: memory)
            workloads.append(
                Workload(name: "w\(index)", replicas: 1, containers: [Container(name: "c", requests: requests)]))
        }
        workloads[4].containers[0].ports = [ContainerPort(containerPort: 9000, hostPort: 9000)]
        workloads[5].nodeSelector = ["pool": "small"]
        return Cluster(
            name: "c",
            nodeGroups: [
                NodeGroup(
                    name: "flex", instanceType: "m5.large", instanceTypes: ["m5.large", "m5.xlarge", "m5.2xlarge"],
                    minSize: 0, maxSize: 100, provisioner: .karpenter),
                NodeGroup(
                    name: "small", instanceType: "t3.medium", minSize: 0, maxSize: 100, labels: ["pool": "small"]),
            ], workloads: workloads)
    }()

    static func rules() -> PlacementRules {
        PlacementRules(
            cluster: cluster, catalog: Types.catalog,
            price: { type, _ in
                [
                    "m5.large": Decimal(string: "0.096")!, "m5.xlarge": Decimal(string: "0.192")!,
                    "m5.2xlarge": Decimal(string: "0.384")!, "t3.medium": Decimal(string: "0.0416")!,
                ][type]
            })
    }

    /// kube-scheduler's choice by walking every node: the lowest score among the nodes the pod fits,
    /// the earliest node on ties.
    static func walk(_ pool: NodePool, _ workload: Int) -> Int? {
        var best: (slot: Int, score: Double)?
        for slot in pool.slotsInOrder {
            let template = pool.bins[slot].template
            guard pool.rules.admits(template, workload),
                pool.rules.room(for: workload, in: pool.bins[slot], as: template) > 0
            else { continue }
            let score = pool.rules.score(pool.bins[slot].used, template: template, adding: workload)
            if best == nil || score < best!.score { best = (slot, score) }
        }
        return best?.slot
    }

    @Test(arguments: [1, 2, 3, 4])
    func podsGoWhereAWalkOverEveryNodeSendsThem(seed: Int) {
        var random = NodePoolIndexTests.Generator(state: UInt64(seed) * 15_485_863)
        let rules = Self.rules()
        #expect(rules.templates.count == 4)
        var pool = NodePool(rules: rules)
        var placed: [Int] = []
        var removed: [(slot: Int, count: Int)] = []
        for round in 0..<1500 {
            let workload = random.next(0...5)
            switch random.next(1...10) {
            case 1:
                pool.launch(NodeBin(template: random.next(0...3)), at: round)
            case 2 where pool.count > 1:
                pool.removeNode(pool.slotsInOrder[random.next(0...pool.count - 1)])
            case 3...5 where !pool.hosts[workload].isEmpty:
                // The ReplicaSet takes pods off the nodes running the most of its pods, the newest on ties.
                let count = random.next(1...4)
                var expected: [Int: Int] = [:]
                var pods = Dictionary(uniqueKeysWithValues: pool.hosts[workload].map { ($0.slot, $0.pods) })
                for _ in 0..<count {
                    guard
                        let busiest = pods.filter({ $0.value > 0 }).max(by: { a, b in
                            (a.value, pool.position[a.key]) < (b.value, pool.position[b.key])
                        })?.key
                    else { break }
                    pods[busiest]! -= 1
                    expected[busiest, default: 0] += 1
                }
                removed.removeAll()
                pool.removeFromBusiest(count, of: workload, into: &removed)
                #expect(
                    Dictionary(uniqueKeysWithValues: removed.map { ($0.slot, $0.count) }) == expected, "round \(round)")
            default:
                // Pods one after the other, each where the walk sends it at that moment.
                let count = random.next(1...5)
                var expected: [Int] = []
                var copy = pool
                for _ in 0..<count {
                    guard let slot = Self.walk(copy, workload) else { break }
                    copy.add(1, of: workload, to: slot)
                    expected.append(slot)
                }
                placed.removeAll()
                pool.placeLeastAllocated(count, of: workload, into: &placed)
                #expect(placed == expected, "round \(round)")
            }
        }
    }
}
