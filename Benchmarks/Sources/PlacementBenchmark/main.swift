import EKSInput
import EKSModel
import Foundation

// Places N pods of W workloads into 5 node groups offering 50 instance types between them
// (three Karpenter-style groups choosing among 20, 15 and 13 types, two single-type groups),
// with DaemonSets, node selectors and taints, and prints the time and peak memory.
// Prices here are synthetic (for ordering types only), not AWS prices.

struct Generator {
    var state: UInt64
    mutating func next(_ range: ClosedRange<Int>) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return range.lowerBound + Int((state >> 33) % UInt64(range.count))
    }
}

let arguments = CommandLine.arguments
let pricingFolder = arguments.count > 1 ? arguments[1] : "../Pricing"
let (loaded, problems) = InstanceCatalogFile.read(path: pricingFolder + "/instance-types.csv")
guard let catalog = loaded else {
    problems.forEach { print($0) }
    exit(1)
}

let families = [["m5", "m6i", "m6a", "m7i"], ["c5", "c6i", "c6a"], ["r5", "r6i", "r6a"]]
let sizes = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "9xlarge"]
func types(_ families: [String], limit: Int) -> [String] {
    Array(families.flatMap { family in sizes.map { "\(family).\($0)" } }.filter { catalog[$0] != nil }.prefix(limit))
}
let general = types(families[0], limit: 20)
let compute = types(families[1], limit: 15)
let memory = types(families[2], limit: 13)
let groups = [
    NodeGroup(
        name: "general", instanceType: general[0], instanceTypes: general, minSize: 0, maxSize: 2000,
        provisioner: .karpenter),
    NodeGroup(
        name: "compute", instanceType: compute[0], instanceTypes: compute, minSize: 0, maxSize: 2000,
        labels: ["tier": "compute"],
        provisioner: .karpenter),
    NodeGroup(
        name: "memory", instanceType: memory[0], instanceTypes: memory, minSize: 0, maxSize: 2000,
        labels: ["tier": "memory"], taints: [Taint(key: "tier", value: "memory", effect: .noSchedule)],
        provisioner: .karpenter),
    NodeGroup(name: "fixed", instanceType: "t3.large", minSize: 3, maxSize: 3000),
    NodeGroup(name: "big", instanceType: "m5.24xlarge", minSize: 0, maxSize: 5000, labels: ["tier": "big"]),
]
let offered = Set(general + compute + memory + ["t3.large", "m5.24xlarge"])

func scenario(pods: Int, workloads: Int) -> Cluster {
    var random = Generator(state: 42)
    var list: [Workload] = [
        Workload(
            name: "agent", kind: .daemonSet,
            containers: [Container(name: "a", requests: ResourceRequests(cpuMillicores: 100, memoryBytes: 128 << 20))],
            tolerations: [Toleration(operator: .exists)])
    ]
    for index in 0..<workloads {
        let cpu = Int64(random.next(1...20) * 100)
        let memory = Int64(random.next(1...64)) * (128 << 20)
        var workload = Workload(
            name: "w\(index)", replicas: pods / workloads,
            containers: [Container(name: "c", requests: ResourceRequests(cpuMillicores: cpu, memoryBytes: memory))])
        switch index % 10 {
        case 0: workload.nodeSelector = ["tier": "compute"]
        case 1:
            workload.nodeSelector = ["tier": "memory"]
            workload.tolerations = [Toleration(key: "tier", value: "memory", effect: .noSchedule)]
        case 2: workload.nodeSelector = ["tier": "big"]
        default: break
        }
        list.append(workload)
    }
    return Cluster(name: "bench", nodeGroups: groups, networking: Networking(), workloads: list)
}

func price(_ type: String, _ group: NodeGroup) -> Decimal? {
    guard offered.contains(type), let facts = catalog[type] else { return nil }
    return Decimal(facts.vcpu) * Decimal(string: "0.04")! + Decimal(facts.memoryMiB) / 1024 * Decimal(string: "0.005")!
}

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

print("placement benchmark: 5 node groups, \(offered.count) instance types, first-fit decreasing + Karpenter packing")
print("    pods  workloads    nodes    best ms  median ms")
var best: [Int: Double] = [:]
for (pods, workloads) in [(5_000, 50), (10_000, 100), (20_000, 200), (40_000, 400), (80_000, 800)] {
    let cluster = scenario(pods: pods, workloads: workloads)
    var times: [Double] = []
    var nodes = 0
    for _ in 0..<5 {
        let start = DispatchTime.now().uptimeNanoseconds
        let plan = CapacityPlanner.plan(cluster, catalog: catalog, price: price)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        nodes = plan.nodeCount
        if !plan.isComplete {
            print(plan.unschedulable.prefix(3).map { "\($0.workload): \($0.count) \($0.explanation)" })
            exit(1)
        }
    }
    times.sort()
    best[pods] = times[0]
    print(String(format: "%8d %10d %8d %10.1f %10.1f", pods, workloads, nodes, times[0], times[2]))
}
print(String(format: "peak RSS: %.1f MiB", peakRSSMiB()))
print(
    String(
        format: "80,000 ÷ 40,000 pods (best times): %.2f (at most 2.3); 40,000 ÷ 20,000: %.2f",
        best[80_000]! / best[40_000]!,
        best[40_000]! / best[20_000]!))
