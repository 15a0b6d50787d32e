import EKSInput
import EKSModel
import Foundation
import FuzzDriver

// The Spot pricing page's data (spot.js) that `pricing fetch` reads: prices, or Malformed;
// every price of an asked region, above zero, within 0…10^9 USD and read back exactly.
let regions = ["us-east-1", "eu-west-1", "ap-southeast-2"]

func test(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard
        let read = try? SpotPriceFeed.prices(
            from: Data(bytes(data, count)), regions: regions, source: "fuzzed", date: "2026-11-29")
    else {
        return 0
    }
    for price in read.prices {
        require(regions.contains(price.key.region), "a price of a region not asked for")
        require(price.usd > 0 && InputLimits.priceUSD.contains(price.usd), "price out of range")
        require(DecimalText.parse(DecimalText.format(price.usd)) == price.usd, "price does not read back exactly")
    }
    return 0
}

// libFuzzer's own name for the test, which its `main` refers to (debug builds keep that main).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt { test(data, count) }

@_cdecl("FuzzSpotFeed_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, test)
}
