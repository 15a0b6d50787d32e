import EKSInput
import EKSModel
import FuzzDriver

// Kubernetes manifests (multi-document YAML, List, JSON): workloads or located errors, with
// LimitRange defaulting, ResourceQuota sums and HPA/VPA matching on whatever the input says.
func test(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let yaml = String(validating: bytes(data, count), as: UTF8.self) else { return 0 }
    let (manifests, diagnostics) = ManifestReader.parse([(file: "fuzzed.yaml", yaml: yaml)])
    requireLocated(diagnostics, valueReturned: true, reader: "manifests")
    guard !diagnostics.hasErrors else { return 0 }
    for workload in manifests.workloads {
        require((0...1_000_000).contains(workload.replicas), "replicas out of range: \(workload.replicas)")
        for container in workload.containers + workload.initContainers {
            require(InputLimits.cpuMillicores.contains(container.requests.cpuMillicores), "cpu request out of range")
            require(InputLimits.bytes.contains(container.requests.memoryBytes), "memory request out of range")
        }
        if let job = workload.job {
            require(InputLimits.durationSeconds.contains(job.runSeconds), "run duration out of range")
        }
    }
    return 0
}

// libFuzzer's own name for the test, which its `main` refers to (debug builds keep that main).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt { test(data, count) }

@_cdecl("FuzzManifests_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, test)
}
