import EKSInput
import EKSModel
import FuzzDriver

// eksctl ClusterConfig: a cluster or located errors; node group sizes within their ranges.
func test(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let yaml = String(validating: bytes(data, count), as: UTF8.self) else { return 0 }
    let (cluster, diagnostics) = EksctlReader.parse(yaml: yaml, file: "fuzzed-cluster.yaml")
    requireLocated(diagnostics, valueReturned: cluster != nil, reader: "eksctl")
    guard let cluster, !diagnostics.hasErrors else { return 0 }
    for group in cluster.nodeGroups {
        for size in [group.desiredSize, group.minSize, group.maxSize].compactMap({ $0 }) {
            require((0...100_000).contains(size), "node group size out of range: \(size)")
        }
    }
    return 0
}

// libFuzzer's own name for the test, which its `main` refers to (debug builds keep that main).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt { test(data, count) }

@_cdecl("FuzzEksctl_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, test)
}
