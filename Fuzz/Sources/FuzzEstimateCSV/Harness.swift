import EKSInput
import EKSModel
import Foundation
import FuzzDriver

// estimate.csv as `ekscost diff` reads it: a report whose lines add up to its total, or
// located errors; two such reports compared with each other never trap, and the diff's parts
// add up to the change of the total.
func test(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let (report, diagnostics) = EstimateCSVFile.read(bytes: bytes(data, count), file: "fuzzed.csv")
    requireLocated(diagnostics, valueReturned: report != nil, reader: "estimate.csv")
    guard let report else { return 0 }
    require(report.lines.reduce(0) { $0 + $1.monthlyUSD } == report.totalUSD, "lines do not add up to the total")
    _ = ReportDiff.compare(report, report)
    return 0
}

// libFuzzer's own name for the test, which its `main` refers to (debug builds keep that main).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt { test(data, count) }

@_cdecl("FuzzEstimateCSV_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, test)
}
