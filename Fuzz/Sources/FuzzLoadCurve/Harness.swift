import EKSInput
import EKSModel
import FuzzDriver

// Load curve CSV: a curve or located errors; at most 168 hour-of-week rows, values 0…10^12,
// and every sample index the simulation asks for inside the curve.
func test(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let (curve, diagnostics) = LoadCurveReader.read(bytes: bytes(data, count), file: "fuzzed.csv", name: "fuzzed")
    requireLocated(diagnostics, valueReturned: curve != nil, reader: "load curve")
    guard let curve else { return 0 }
    if curve.anchor == .week { require(curve.sampleCount <= 168, "more than a week of hours: \(curve.sampleCount)") }
    for series in curve.columns.values {
        require(series.count == curve.sampleCount, "ragged series")
        require(series.allSatisfy { $0 >= 0 && $0 <= 1e12 }, "value out of range")
    }
    for second in [0, 1, 3599, 86_400 * 31, 744 * 3600 - 1] {
        let index = curve.sampleIndex(atSecond: second, weekOffset: 6 * 86_400)
        require((0..<max(1, curve.sampleCount)).contains(index), "sample index outside the curve")
    }
    return 0
}

// libFuzzer's own name for the test, which its `main` refers to (debug builds keep that main).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt { test(data, count) }

@_cdecl("FuzzLoadCurve_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, test)
}
