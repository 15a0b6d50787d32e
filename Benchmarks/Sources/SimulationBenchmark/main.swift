import Autoscaling
import EKSInput
import EKSModel
import EKSReport
import Foundation

// One case per process (so that its peak RSS is its own): W workloads, each with an HPA (CPU
// 60 %, 2–20 replicas) following a daily curve shifted by a few hours per workload, on three node
// groups (two single-type Cluster Autoscaler groups and a Karpenter NodePool of 6 types that a
// tenth of the workloads select). EC2 prices are synthetic (they only order the types: 0.04 per
// vCPU-hour and 0.005 per GiB-hour); the other prices are the bundled snapshot's. A case runs `ekscost
// estimate`'s work: the estimate (HPA trajectories, node simulation, prices, step costs, the
// low/high range) and writing every report (CSV, Markdown, JSON, chart) to a temporary folder.
//
//   SimulationBenchmark PRICING CASE        CASE: see `cases` below, or `list`
//
// Prints one line: case, workloads, hours, sync, replica changes, estimate s, reports s, total s,
// CPU s (user + system of estimate and reports, both cores), peak RSS MiB, peak nodes, then the
// HPA phase alone (trajectories on both cores) and one simulation alone (trajectories and nodes),
// each timed after the rest. With DIGEST set, a
// simulation-only case also prints a checksum of its timeline (node-seconds per type and step,
// ENI-seconds, pod-seconds), to show that a change to the simulation leaves its results alone. With
// SERIAL set, the estimate runs on one thread (same work; for callgrind's instruction counts). With
// NO_FAST_FORWARD set, the simulation does not fast-forward repeating days (to compare digests and
// times); the line ends with the periods the simulation alone skipped.

let arguments = CommandLine.arguments
let pricingFolder = arguments.count > 1 ? arguments[1] : "../Pricing"
let which = arguments.count > 2 ? arguments[2] : "list"

struct Case {
    var workloads: Int
    var hours: Int
    var syncSeconds: Int
    /// Every tenth workload also has a VPA (Auto), with a memory curve beside its CPU curve.
    var vpa = false
    /// Only one simulation, no estimate and no reports (the base of the VPA ratio).
    var simulationOnly = false
}

let cases: [String: Case] = [
    "year-hourly-500": Case(workloads: 500, hours: 8760, syncSeconds: 3600),
    "year-hourly-1000": Case(workloads: 1000, hours: 8760, syncSeconds: 3600),
    "year-hourly-2000": Case(workloads: 2000, hours: 8760, syncSeconds: 3600),
    "half-year-hourly-2000": Case(workloads: 2000, hours: 4380, syncSeconds: 3600),
    "year-15s-2000": Case(workloads: 2000, hours: 8760, syncSeconds: 15),
    "month-15s-50": Case(workloads: 50, hours: 730, syncSeconds: 15),
    "month-15s-100": Case(workloads: 100, hours: 730, syncSeconds: 15),
    "month-15s-200": Case(workloads: 200, hours: 730, syncSeconds: 15),
    "half-month-15s-200": Case(workloads: 200, hours: 365, syncSeconds: 15),
    "simulation-vpa-hpa-month-15s-200": Case(
        workloads: 200, hours: 730, syncSeconds: 15, vpa: true, simulationOnly: true),
    "estimate-vpa-hpa-month-15s-200": Case(workloads: 200, hours: 730, syncSeconds: 15, vpa: true),
    // Small sizes, to try things out on a busy machine.
    "probe-month-hourly-200": Case(workloads: 200, hours: 720, syncSeconds: 3600),
    "probe-month-15s-50": Case(workloads: 50, hours: 720, syncSeconds: 15),
    "probe-month-hourly-2000": Case(workloads: 2000, hours: 720, syncSeconds: 3600, simulationOnly: true),
    // Short enough to count instructions under valgrind (callgrind), whatever the machine's load.
    "probe-week-hourly-2000": Case(workloads: 2000, hours: 168, syncSeconds: 3600, simulationOnly: true),
    "probe-week-hourly-1000": Case(workloads: 1000, hours: 168, syncSeconds: 3600, simulationOnly: true),
    "probe-week-15s-2000": Case(workloads: 2000, hours: 168, syncSeconds: 15, simulationOnly: true),
]

if which == "list" {
    print(cases.keys.sorted().joined(separator: "\n"))
    exit(0)
}
guard let selected = cases[which] else {
    print("unknown case \(which); one of: \(cases.keys.sorted().joined(separator: ", "))")
    exit(2)
}
guard let catalog = InstanceCatalogFile.read(path: pricingFolder + "/instance-types.csv").catalog,
    let bundled = PriceSnapshotFile.read(path: pricingFolder + "/aws-2026-11.csv").snapshot
else {
    print("cannot read the instance catalog or the aws-2026-11 snapshot in \(pricingFolder)")
    exit(1)
}
let flexTypes = ["c5.large", "c5.xlarge", "c5.2xlarge", "m5.xlarge", "m5.2xlarge", "m5.4xlarge"]
let snapshot: PriceSnapshot = {
    var prices = bundled.prices.values.filter { $0.key.service != "ec2" }
    for type in Set(flexTypes + ["m5.2xlarge", "c5.4xlarge"]) {
        guard let facts = catalog[type] else { continue }
        let usd =
            Decimal(facts.vcpu) * Decimal(string: "0.04")! + Decimal(facts.memoryMiB) / 1024 * Decimal(string: "0.005")!
        prices.append(
            Price(
                key: PriceKey(region: "us-east-1", service: "ec2", item: type), unit: .hour, usd: usd,
                source: "synthetic benchmark price", sourceDate: bundled.date.description))
    }
    return PriceSnapshot(id: "benchmark", date: bundled.date, prices: prices)
}()

func scenario(_ setup: Case) -> Scenario {
    var columns: [String: [Double]] = [:]
    var workloads: [Workload] = []
    for index in 0..<setup.workloads {
        let shift = index % 24
        let peak = Double(1500 + (index % 7) * 400)
        columns["w\(index)"] = (0..<24).map { hour in
            let h = (hour + shift) % 24
            return h >= 8 && h < 20 ? peak : peak / 4
        }
        let memoryMiB = 256 + (index % 4) * 256
        var workload = Workload(
            name: "w\(index)", replicas: 2,
            containers: [
                Container(
                    name: "c",
                    requests: ResourceRequests(
                        cpuMillicores: Int64(200 + (index % 5) * 100), memoryBytes: Int64(memoryMiB) << 20))
            ])
        if index % 10 == 0 { workload.nodeSelector = ["tier": "flex"] }
        workload.hpa = HorizontalPodAutoscalerSpec(
            minReplicas: 2, maxReplicas: 20, metrics: [.resource(.cpu, .utilization(percent: 60))])
        workload.load = WorkloadLoad(cpu: CurveReference(curve: "daily", column: "w\(index)"))
        if setup.vpa && index % 10 == 5 {
            // Memory in use: a steady 60 % of the request, MiB over all pods.
            columns["m\(index)"] = Array(repeating: Double(memoryMiB) * 0.6 * 4, count: 24)
            workload.load?.memory = CurveReference(curve: "daily", column: "m\(index)")
            workload.vpa = VPASettings(updateMode: .auto)
        }
        workloads.append(workload)
    }
    let cluster = Cluster(
        name: "bench",
        nodeGroups: [
            NodeGroup(name: "general", instanceType: "m5.2xlarge", minSize: 2, maxSize: 5000),
            NodeGroup(name: "compute", instanceType: "c5.4xlarge", minSize: 0, maxSize: 5000),
            NodeGroup(
                name: "flex", instanceType: flexTypes[0], instanceTypes: flexTypes, minSize: 0, maxSize: 5000,
                labels: ["tier": "flex"],
                provisioner: .karpenter),
        ], workloads: workloads)
    var scenario = Scenario(name: "bench", region: "us-east-1", clusters: [cluster])
    scenario.curves = ["daily": LoadCurve(name: "daily", intervalSeconds: 3600, anchor: .periodStart, columns: columns)]
    scenario.simulation = SimulationSettings(
        hpaSyncSeconds: setup.syncSeconds, reportStepSeconds: max(3600, setup.syncSeconds),
        fastForwardCycles: ProcessInfo.processInfo.environment["NO_FAST_FORWARD"] == nil)
    return scenario
}

func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

/// User and system CPU seconds of the whole process so far (what a case costs whatever the load).
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(
        usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

let built = scenario(selected)
let cluster = built.clusters[0]
let period = BillingPeriod(hoursPerMonth: Decimal(selected.hours))
let prices = CapacityPlanner.prices(from: snapshot, region: built.region)
var estimateSeconds = 0.0
var reportSeconds = 0.0
var reportCPUSeconds = 0.0
var peakNodes = 0
var fileTimes: [String] = []
let start = DispatchTime.now().uptimeNanoseconds
if selected.simulationOnly {
    guard
        case .success(let timeline) = ClusterSimulator.simulate(
            cluster, curves: built.curves, catalog: catalog, price: prices,
            period: period, settings: built.simulation)
    else {
        print("simulation failed")
        exit(1)
    }
    estimateSeconds = seconds(since: start)
    peakNodes = timeline.peakNodes
    if ProcessInfo.processInfo.environment["DIGEST"] != nil {
        var digest: Int64 = 0
        for (index, column) in timeline.nodeSecondsByType.enumerated() {
            for (step, value) in column.enumerated() {
                digest = digest &* 31 &+ value &* Int64(index + 1) &+ Int64(step)
            }
        }
        for value in timeline.eniSecondsPerStep { digest = digest &* 31 &+ value }
        for (key, pods) in timeline.podSeconds.sorted(by: { $0.key < $1.key }) {
            for (name, value) in pods.sorted(by: { $0.key < $1.key }) {
                digest = digest &* 31 &+ value &+ Int64(name.count + key.type.count)
            }
        }
        print("digest", digest, timeline.peakNodes, timeline.nodeKeys.map { timeline.nodeSeconds($0) })
    }
} else {
    // As `ekscost estimate` calls it, from async code: the overload that runs independent parts on both
    // cores (top-level code would pick the one-thread overload).
    let estimateOnBothCores: @Sendable (EstimateInputs) async -> (estimate: Estimate?, diagnostics: [Diagnostic]) = {
        inputs in
        await Estimator.estimate(inputs)
    }
    // SERIAL=1: the same work on one thread, for callgrind (which crashes on the task threads).
    let estimateOnOneThread: (EstimateInputs) -> (estimate: Estimate?, diagnostics: [Diagnostic]) = {
        Estimator.estimate($0)
    }
    let inputs = EstimateInputs(
        scenario: built, snapshot: snapshot, catalog: catalog, period: period, asOf: CalendarDate("2026-11-23")!)
    let (estimate, diagnostics) =
        ProcessInfo.processInfo.environment["SERIAL"] != nil
        ? estimateOnOneThread(inputs)
        : await estimateOnBothCores(inputs)
    guard let estimate else {
        print("estimate failed: \(diagnostics.map(\.message).prefix(3))")
        exit(1)
    }
    estimateSeconds = seconds(since: start)
    peakNodes = estimate.peakNodes
    let reportStart = DispatchTime.now().uptimeNanoseconds
    let reportCPUStart = cpuSeconds()
    let folder = NSTemporaryDirectory() + "ekscost-simulation-benchmark-\(getpid())"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for formatter in ReportFormat.allCases.flatMap(\.formatters) where formatter.applies(to: estimate) {
        let formatStart = DispatchTime.now().uptimeNanoseconds
        let bytes = formatter.format(estimate)
        fileTimes.append(
            String(
                format: "%@ %.3f s %.1f MB", formatter.fileName, seconds(since: formatStart), Double(bytes.count) / 1e6)
        )
        guard let file = fopen(folder + "/" + formatter.fileName, "wb") else { continue }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
    }
    reportSeconds = seconds(since: reportStart)
    reportCPUSeconds = cpuSeconds() - reportCPUStart
    try? FileManager.default.removeItem(atPath: folder)
    if ProcessInfo.processInfo.environment["DIGEST"] != nil {
        // FNV-1a over every report's bytes: the estimate's results, VPA comparison and step costs included.
        var digest: UInt64 = 0xcbf2_9ce4_8422_2325
        for formatter in ReportFormat.allCases.flatMap(\.formatters) where formatter.applies(to: estimate) {
            for byte in formatter.format(estimate) { digest = (digest ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        print(
            "digest", String(digest, radix: 16), estimate.totalUSD,
            estimate.vpa.map { "\($0.writtenUSD) \($0.recommendedUSD)" } ?? "")
    }
}
let total = seconds(since: start)
let cpu = cpuSeconds()
let rss = peakRSSMiB()

// The phases alone, after the timed run.
var phaseStart = DispatchTime.now().uptimeNanoseconds
let store = TrajectoryStore(curves: built.curves, period: period)
let trajectories = store.trajectories(
    cluster.podWorkloads, requests: cluster.podWorkloads.map(\.podRequests),
    settings: built.simulation.forCluster(cluster))
let hpaSeconds = seconds(since: phaseStart)
let changes = trajectories.reduce(0) { $0 + ((try? $1.get().changes.count) ?? 0) }
phaseStart = DispatchTime.now().uptimeNanoseconds
let alone = ClusterSimulator.simulateReportingFastForward(
    cluster, curves: built.curves, catalog: catalog, price: prices, period: period, settings: built.simulation)
let simulationSeconds = seconds(since: phaseStart)
let fastForward = (try? alone.get().fastForward) ?? FastForwardSummary()
print(
    String(
        format:
            "%@ workloads=%d hours=%d sync=%d changes=%d estimate_s=%.3f reports_s=%.3f reports_cpu_s=%.3f total_s=%.3f cpu_s=%.3f peak_rss_mib=%.1f peak_nodes=%d hpa_alone_s=%.3f simulation_alone_s=%.3f skipped_periods=%d period_s=%d periodic_from_s=%d",
        which, selected.workloads, selected.hours, selected.syncSeconds, changes, estimateSeconds, reportSeconds,
        reportCPUSeconds, total,
        cpu, rss,
        peakNodes, hpaSeconds, simulationSeconds, fastForward.skippedPeriods, fastForward.periodSeconds,
        fastForward.periodicFrom))
if !fileTimes.isEmpty { print("  reports: " + fileTimes.joined(separator: ", ")) }
