import CSVStream
import EKSModel
import Foundation
import Testing

@testable import EKSInput

/// An offer file read as `pricing fetch` reads a download of announced length (from a ring in
/// memory, as it arrives, by two workers) gives what `pricing import` gives for the same bytes
/// on disk: the same offer, or the same error with the same line. The ring here is the least
/// the scan may have, with tiny segments, so that it wraps many times and cuts fall inside
/// records and quoted fields.
@Suite struct StreamedOfferTests {
    /// Records up to 4 KiB on both sides, so that a record too long is the same error on both.
    static let maxRecordBytes = 4096

    static func fromDisk(_ path: String) -> Result<ImportedOffer, Diagnostic> {
        var settings = OfferImporter.Settings()
        settings.scan = CSVScanOptions(workers: 1, segmentBytes: 1 << 30, maxRecordBytes: maxRecordBytes)
        return OfferImporter.read(path: path, settings: settings)
    }

    /// `bytes` appended to a ring by another thread in pieces of `piece` bytes, the whole length
    /// announced, the download stopping after `stopAt` bytes (all by default).
    static func streamed(_ bytes: [UInt8], path: String, segmentBytes: Int, piece: Int, stopAt: Int? = nil) -> Result<
        ImportedOffer, Diagnostic
    > {
        var settings = OfferImporter.Settings()
        settings.scan = CSVScanOptions(
            workers: 2, segmentBytes: segmentBytes, blockBytes: 64, maxRecordBytes: maxRecordBytes)
        let ring = StreamedBytes(
            path: "http://127.0.0.1/offer.csv", capacity: ParallelCSVScan.ringBytesNeeded(settings.scan))
        settings.streamed = ring
        let limit = stopAt ?? bytes.count
        let writer = Thread {
            ring.begin(size: bytes.count)
            var written = 0
            while written < limit {
                let next = min(limit, written + piece)
                guard bytes[written..<next].withUnsafeBytes({ ring.append($0) }) else { break }
                written = next
            }
            ring.finish()
        }
        writer.start()
        let outcome = UncheckedBox<Result<ImportedOffer, Diagnostic>>()
        let done = DispatchSemaphore(value: 0)
        let readerSettings = settings
        let reader = Thread {
            outcome.value = OfferImporter.read(path: path, settings: readerSettings)
            ring.abandon()
            done.signal()
        }
        reader.start()
        // A ring too small for what the readers need at once would make them wait forever.
        guard done.wait(timeout: .now() + 120) == .success else {
            return .failure(.error("the read of a ring of \(ring.capacity) bytes did not end"))
        }
        return outcome.value!
    }

    /// What a read gave, as text to compare (the fuzz harness's summary, FuzzOffer).
    static func summary(_ result: Result<ImportedOffer, Diagnostic>) -> String {
        switch result {
        case .success(let offer):
            let regions = offer.foundByRegion.map { "\($0.region) \($0.counts.map { "\($0.kind)=\($0.count)" })" }
            let skipped = offer.skipped.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key)=\($0.value)" }
            let prices = offer.prices.map {
                "\($0.region) \($0.item) \($0.thing) \($0.term) \($0.upfront) \($0.price.text) \($0.record) \($0.line)"
            }
            return
                "records \(offer.records) prices \(offer.priceCount) check \(offer.checkRows) \(offer.checkSum) skipped \(skipped) \(regions) \(offer.names) \(prices)"
        case .failure(let diagnostic):
            return
                "error at \(diagnostic.location?.file ?? "-"):\(diagnostic.location?.line ?? -1): \(diagnostic.message)"
        }
    }

    /// The generated file's first `lines` lines.
    static func generated(lines: Int) throws -> String {
        let text = try String(contentsOfFile: TestPaths.fixture("generated-ec2-4mb-seed7.csv"), encoding: .utf8)
        return text.split(separator: "\n", maxSplits: lines, omittingEmptySubsequences: false).prefix(lines).joined(
            separator: "\n") + "\n"
    }

    @Test func theSameBytesGiveTheSameOfferOrTheSameErrorFromARingAsFromDisk() throws {
        let base = try Self.generated(lines: 400)
        var lines = base.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func with(_ line: Int, _ text: String) -> String {
            var changed = lines
            changed[line] = text
            return changed.joined(separator: "\n")
        }
        let inputs: [(String, String)] = [
            ("the generated file's first 400 lines", base),
            ("hand-written rows", OfferText.handWritten),
            (
                "a stray quote on line 250",
                with(
                    249,
                    lines[249].replacingOccurrences(
                        of: "\",\"", with: "\"x,\"", options: [], range: lines[249].range(of: "\",\"")))
            ),
            ("a ragged row on line 120", with(119, String(lines[119].dropLast(30)))),
            ("a quote never closed on line 390", with(389, "\"" + lines[389])),
            ("a record cut at the end", String(base.dropLast(200))),
            (
                "a line feed inside a quoted field",
                with(300, lines[300].replacingOccurrences(of: "Linux", with: "Li\nnux"))
            ),
            (
                "a price that is not a number on line 200",
                with(199, lines[199].replacingOccurrences(of: ".", with: ","))
            ),
        ]
        lines = []
        let folder = TestPaths.temporaryFolder()
        for (index, (what, text)) in inputs.enumerated() {
            let path = folder + "/input-\(index).csv"
            TestPaths.write(text, to: path)
            let bytes = Array(text.utf8)
            let disk = Self.summary(Self.fromDisk(path))
            for (segmentBytes, piece) in [(97, 1000), (300, 61), (1500, 4096)] {
                let ring = Self.summary(Self.streamed(bytes, path: path, segmentBytes: segmentBytes, piece: piece))
                #expect(ring == disk, "\(what), segments of \(segmentBytes) bytes, pieces of \(piece)")
            }
        }
        // The inputs are not all good or all bad.
        #expect(Self.summary(Self.fromDisk(folder + "/input-0.csv")).hasPrefix("records 394 "))
        #expect(
            Self.summary(Self.fromDisk(folder + "/input-2.csv")).hasPrefix(
                "error at \(folder)/input-2.csv:250: record 250: malformed quoting"))
    }

    /// A download that stops before its announced length is an error naming how far it got,
    /// never an offer of the rows that came, wherever it stops.
    @Test func aBodyCutShortIsAReadErrorWithTheByteCounts() throws {
        let text = try Self.generated(lines: 300)
        let path = TestPaths.temporaryFolder() + "/offer.csv"
        let bytes = Array(text.utf8)
        for stop in [10, 2000, bytes.count / 2, bytes.count - 1] {
            let result = Self.streamed(bytes, path: path, segmentBytes: 300, piece: 512, stopAt: stop)
            guard case .failure(let diagnostic) = result else {
                Issue.record("stopped at \(stop): \(Self.summary(result))")
                continue
            }
            #expect(
                diagnostic.message == "cannot read: the download stopped at \(stop) bytes of \(bytes.count)",
                "stopped at \(stop)")
        }
    }
}

/// A value set on one thread and read on another after a semaphore.
private final class UncheckedBox<Value>: @unchecked Sendable {
    var value: Value?
}
