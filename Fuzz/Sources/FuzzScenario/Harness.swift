import Autoscaling
import EKSInput
import EKSModel
import FuzzDriver

// Scenario YAML: the loader returns a scenario or located errors; a scenario without errors
// holds only numbers within InputLimits; validation never traps; a small scenario (what the
// fuzzer can write in a few kilobytes, without load curves) is also estimated, which must
// not trap either: `ekscost validate` runs the estimator too.

let catalog = InstanceCatalogFile.read(path: repositoryRoot + "/Pricing/instance-types.csv").catalog!
let snapshot = PriceSnapshotFile.read(path: repositoryRoot + "/Pricing/aws-2026-11.csv").snapshot!

func checkRanges(_ scenario: Scenario) {
    for cluster in scenario.clusters {
        for workload in cluster.workloads {
            require((0...1_000_000).contains(workload.replicas), "replicas out of range: \(workload.replicas)")
            for container in workload.containers + workload.initContainers {
                require(
                    InputLimits.cpuMillicores.contains(container.requests.cpuMillicores), "cpu request out of range")
                require(InputLimits.bytes.contains(container.requests.memoryBytes), "memory request out of range")
                require(InputLimits.bytes.contains(container.ephemeralStorageBytes), "storage out of range")
            }
            if let job = workload.job {
                require(
                    job.runSeconds == 0 || InputLimits.durationSeconds.contains(job.runSeconds),
                    "run duration out of range")
            }
        }
    }
    for curve in scenario.curves.values {
        for series in curve.columns.values {
            require(series.allSatisfy { $0 >= 0 && $0 <= 1e12 }, "curve value out of range")
        }
    }
}

/// Small enough to estimate in well under a millisecond: fixed placement, few pods and nodes.
func isSmall(_ scenario: Scenario) -> Bool {
    var pods = 0
    for cluster in scenario.clusters {
        for group in cluster.nodeGroups where max(group.desiredSize ?? 0, group.maxSize ?? 0, group.minSize ?? 0) > 64 {
            return false
        }
        for workload in cluster.workloads {
            if workload.load != nil || workload.vpa != nil { return false }
            pods += workload.replicas + (workload.hpa?.maxReplicas ?? 0)
        }
    }
    return pods <= 64
}

func test(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    // The file reader turns non-UTF-8 into its own located error; the parser sees text.
    guard let yaml = String(validating: bytes(data, count), as: UTF8.self) else { return 0 }
    let (scenario, diagnostics) = ScenarioLoader.parse(yaml: yaml, file: repositoryRoot + "/Examples/fuzzed.yaml")
    requireLocated(diagnostics, valueReturned: scenario != nil, reader: "scenario")
    guard let scenario, !diagnostics.hasErrors else { return 0 }
    checkRanges(scenario)
    let problems = ScenarioValidator.validate(scenario, catalog: catalog, snapshot: snapshot)
    guard !problems.hasErrors, isSmall(scenario) else { return 0 }
    _ = Estimator.estimate(
        EstimateInputs(
            scenario: scenario, snapshot: snapshot, catalog: catalog,
            period: scenario.period ?? .standard,
            asOf: scenario.asOf ?? CalendarDate(year: 2026, month: 11, day: 23)!))
    return 0
}

// libFuzzer's own name for the test, which its `main` refers to (debug builds keep that main).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt { test(data, count) }

@_cdecl("FuzzScenario_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, test)
}
