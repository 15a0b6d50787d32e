import EKSInput
import EKSModel
import FuzzDriver

// Price snapshot CSV: a snapshot or located errors; every price within 0…10^9 USD and
// written back as the same text it was read from (nothing rounded).
func test(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let (snapshot, diagnostics) = PriceSnapshotFile.read(bytes: bytes(data, count), file: "fuzzed.csv")
    requireLocated(diagnostics, valueReturned: snapshot != nil, reader: "snapshot")
    guard let snapshot else { return 0 }
    for price in snapshot.allPrices {
        require(InputLimits.priceUSD.contains(price.usd), "price out of range")
        require(DecimalText.parse(DecimalText.format(price.usd)) == price.usd, "price does not read back exactly")
    }
    return 0
}

// libFuzzer's own name for the test, which its `main` refers to (debug builds keep that main).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt { test(data, count) }

@_cdecl("FuzzSnapshot_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, test)
}
