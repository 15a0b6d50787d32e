import CSVStream
import EKSInput
import EKSModel
import Foundation
import FuzzDriver

// AWS Price List offer CSV (metadata rows, header, data rows), read the way `pricing import`
// reads it: from a file, through the parallel scanner and the row filter. The input is
// written to a file in /dev/shm (memory) for each run. An offer or one located error; and the
// same outcome, figures and error (message and line) when the file is read by two workers in
// segments of a few hundred bytes, cut inside quoted fields and records (issue 16: both cores
// on one file must give what one sequential scan gives), and when it is read as `pricing
// fetch` reads a download of announced length: from the smallest ring the scan may have,
// filled by another thread in pieces, by two workers (issue 10). A ring that deadlocks shows
// as libFuzzer's timeout.
let path: String = {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return "\(folder)/ekscost-fuzz-offer-\(getpid()).csv"
}()

let settings: OfferImporter.Settings = {
    var settings = OfferImporter.Settings()
    settings.scan.workers = 1
    return settings
}()

/// Two workers, segments of 97 to 600 bytes (chosen by the input's length), blocks of 64 bytes.
func cutSettings(_ count: Int) -> OfferImporter.Settings {
    var settings = OfferImporter.Settings()
    settings.scan.workers = 2
    settings.scan.segmentBytes = 97 + count % 504
    settings.scan.blockBytes = 64
    return settings
}

/// What a read gave, as text to compare.
func summary(_ result: Result<ImportedOffer, Diagnostic>) -> String {
    switch result {
    case .success(let offer):
        let regions = offer.foundByRegion.map { "\($0.region) \($0.counts.map { "\($0.kind)=\($0.count)" })" }
        let skipped = offer.skipped.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key)=\($0.value)" }
        return
            "records \(offer.records) prices \(offer.priceCount) check \(offer.checkRows) \(offer.checkSum) skipped \(skipped) \(regions) \(offer.ec2OnDemandPrices.map { "\($0.region) \($0.instanceType) \($0.usd)" })"
    case .failure(let diagnostic):
        return "error at \(diagnostic.location?.line ?? -1): \(diagnostic.message)"
    }
}

/// What the reading thread leaves for the caller.
final class Outcome: @unchecked Sendable {
    var result: Result<ImportedOffer, Diagnostic>?
}

/// The input appended to a ring by another thread in pieces of 1 to 997 bytes (chosen by the
/// input's length), read by two workers in small segments as it arrives.
func streamed(_ input: Data, count: Int) -> Result<ImportedOffer, Diagnostic> {
    var settings = cutSettings(count)
    let ring = StreamedBytes(path: path, capacity: ParallelCSVScan.ringBytesNeeded(settings.scan))
    settings.streamed = ring
    let piece = 1 + (count * 7) % 997
    let writer = Thread {
        ring.begin(size: input.count)
        var written = 0
        while written < input.count {
            let next = min(input.count, written + piece)
            guard input[written..<next].withUnsafeBytes({ ring.append($0) }) else { break }
            written = next
        }
        ring.finish()
    }
    writer.start()
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    let reader = Thread { [settings] in
        outcome.result = OfferImporter.read(path: path, settings: settings)
        ring.abandon()
        done.signal()
    }
    reader.start()
    done.wait()
    return outcome.result!
}

func test(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = Data(bytes(data, count))
    guard FileManager.default.createFile(atPath: path, contents: input) else { fatalError("cannot write \(path)") }
    let sequential = OfferImporter.read(path: path, settings: settings)
    let cut = OfferImporter.read(path: path, settings: cutSettings(count))
    require(
        summary(sequential) == summary(cut),
        "one worker: \(summary(sequential))\ntwo workers, small segments: \(summary(cut))")
    let ring = streamed(input, count: count)
    require(
        summary(sequential) == summary(ring),
        "one worker: \(summary(sequential))\nfrom a ring, as a download: \(summary(ring))")
    switch sequential {
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
