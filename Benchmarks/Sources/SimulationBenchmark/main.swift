import Autoscaling
import EKSInput
import EKSModel
import Foundation

// Simulates W workloads, each with an HPA (CPU 60 %) following a daily curve shifted by a few
// hours per workload, on three node groups (two single-type Cluster Autoscaler groups and a
// Karpenter-style group of 6 types), and prints the time of each phase and peak RSS.
// Prices are synthetic (they only order instance types).

let pricingFolder = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "../Pricing"
guard let catalog = InstanceCatalogFile.read(path: pricingFolder + "/instance-types.csv").catalog else {
    print("cannot read \(pricingFolder)/instance-types.csv")
    exit(1)
}
let flexTypes = ["c5.large", "c5.xlarge", "c5.2xlarge", "m5.xlarge", "m5.2xlarge", "m5.4xlarge"]
func price(_ type: String, _ capacity: CapacityType) -> Decimal? {
    guard let facts = catalog[type] else { return nil }
    return Decimal(facts.vcpu) * Decimal(string: "0.04")! + Decimal(facts.memoryMiB) / 1024 * Decimal(string: "0.005")!
}

func scenario(workloads count: Int) -> (Cluster, [String: LoadCurve]) {
    var columns: [String: [Double]] = [:]
    var workloads: [Workload] = []
    for index in 0..<count {
        let shift = index % 24
        let peak = Double(1500 + (index % 7) * 400)
        columns["w\(index)"] = (0..<24).map { hour in
            let h = (hour + shift) % 24
            return h >= 8 && h < 20 ? peak : peak / 4
        }
        var workload = Workload(name: "w\(index)", replicas: 2, containers: [
            Container(name: "c", requests: ResourceRequests(cpuMillicores: Int64(200 + (index % 5) * 100), memoryBytes: Int64(256 + (index % 4) * 256) << 20)),
        ])
        if index % 10 == 0 { workload.nodeSelector = ["tier": "flex"] }
        workload.hpa = HorizontalPodAutoscalerSpec(minReplicas: 2, maxReplicas: 20, metrics: [.resource(.cpu, .utilization(percent: 60))])
        workload.load = WorkloadLoad(cpu: CurveReference(curve: "daily", column: "w\(index)"))
        workloads.append(workload)
    }
    let cluster = Cluster(name: "bench", nodeGroups: [
        NodeGroup(name: "general", instanceType: "m5.2xlarge", minSize: 2, maxSize: 5000),
        NodeGroup(name: "compute", instanceType: "c5.4xlarge", minSize: 0, maxSize: 5000),
        NodeGroup(name: "flex", instanceType: flexTypes[0], instanceTypes: flexTypes, minSize: 0, maxSize: 5000, labels: ["tier": "flex"],
                  provisioner: .karpenter),
    ], workloads: workloads)
    return (cluster, ["daily": LoadCurve(name: "daily", intervalSeconds: 3600, anchor: .periodStart, columns: columns)])
}

func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func run(label: String, workloads: Int, hours: Int, syncSeconds: Int) {
    let (cluster, curves) = scenario(workloads: workloads)
    let period = BillingPeriod(hoursPerMonth: Decimal(hours))
    let settings = SimulationSettings(hpaSyncSeconds: syncSeconds, reportStepSeconds: max(3600, syncSeconds))
    var start = DispatchTime.now().uptimeNanoseconds
    let trajectories = ReplicaSimulation.trajectories(cluster.podWorkloads, requests: cluster.podWorkloads.map(\.podRequests),
                                                      curves: curves, period: period, settings: settings)
    let phase1 = seconds(since: start)
    let changes = trajectories.reduce(0) { $0 + ((try? $1.get().changes.count) ?? 0) }
    start = DispatchTime.now().uptimeNanoseconds
    guard case .success(let timeline) = ClusterSimulator.simulate(cluster, curves: curves, catalog: catalog, price: price,
                                                                   period: period, settings: settings) else {
        print("simulation failed")
        exit(1)
    }
    let total = seconds(since: start)
    let syncs = workloads * (hours * 3600 / syncSeconds)
    print(String(format: "%-34@ %6d %6d %10d %9d %8.2f %8.2f %6d", label as NSString, workloads, hours, syncs, changes, phase1, total, timeline.peakNodes))
}

print("label                              workloads hours   HPA syncs   changes  HPA s  total s  peak")
let which = CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : "all"
if which == "probe" {
    run(label: "probe: 30 days hourly", workloads: 100, hours: 720, syncSeconds: 3600)
    run(label: "probe: 30 days hourly", workloads: 200, hours: 720, syncSeconds: 3600)
    run(label: "probe: 30 days hourly", workloads: 400, hours: 720, syncSeconds: 3600)
}
if which == "all" || which == "year" {
    for count in [500, 1000, 2000] { run(label: "year, hourly syncs", workloads: count, hours: 8760, syncSeconds: 3600) }
    run(label: "half year, hourly syncs", workloads: 2000, hours: 4380, syncSeconds: 3600)
}
if which == "all" || which == "month" {
    for count in [50, 100, 200] { run(label: "month (730 h), 15 s syncs", workloads: count, hours: 730, syncSeconds: 15) }
    run(label: "half month, 15 s syncs", workloads: 200, hours: 365, syncSeconds: 15)
}
print(String(format: "peak RSS: %.1f MiB", peakRSSMiB()))
