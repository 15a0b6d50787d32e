import EKSInput
import EKSModel
import FuzzDriver
import Foundation

// AWS Price List offer CSV (metadata rows, header, data rows), read the way `pricing import`
// reads it: from a file, through the parallel scanner and the row filter. The input is
// written to a file in /dev/shm (memory) for each run. An offer or one located error.
let path: String = {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return "\(folder)/ekscost-fuzz-offer-\(getpid()).csv"
}()

let settings: OfferImporter.Settings = {
    var settings = OfferImporter.Settings()
    settings.scan.workers = 1
    return settings
}()

func test(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = Data(bytes(data, count))
    guard FileManager.default.createFile(atPath: path, contents: input) else { fatalError("cannot write \(path)") }
    switch OfferImporter.read(path: path, settings: settings) {
    case .success(let offer):
        require(offer.priceCount >= 0 && offer.records >= 0, "negative counts")
    case .failure(let diagnostic):
        requireLocated([diagnostic], valueReturned: false, reader: "offer file")
    }
    return 0
}

// libFuzzer's own name for the test, which its `main` refers to (debug builds keep that main).
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt { test(data, count) }

@_cdecl("FuzzOffer_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    atexit { unlink(path) }
    return runFuzzer(argc, argv, test)
}
