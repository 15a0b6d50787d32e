import Foundation
import Testing

@testable import CSVStream

/// Keeps records whose first field is `keep`, and counts what it was shown.
private struct KeepFilter: CSVRecordFilter {
    var kept: [CSVRecord] = []
    var rawLooks = 0

    mutating func wants(_ record: RawRecord) -> Bool {
        rawLooks += 1
        return record.field(0, equals: "keep")
    }

    mutating func visit(_ record: CSVRecordView) throws {
        if record.field(0, equals: "boom") { throw Refusal() }
        if record.field(0, equals: "keep") { kept.append(record.record) }
    }

    struct Refusal: Error, CustomStringConvertible {
        var description: String { "refused" }
    }
}

private func temporaryFile(_ text: String) -> String {
    let path = NSTemporaryDirectory() + "ekscost-scan-\(UUID().uuidString).csv"
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
}

/// Scans `text` (all of it data, `fields` per record) and returns the kept records with the
/// file's numbers, in order.
private func scan(
    _ text: String, fields: Int, segmentBytes: Int = 1 << 20, workers: Int = 2,
    blockBytes: Int = 1 << 16
) throws -> [CSVRecord] {
    let path = temporaryFile(text)
    defer { unlink(path) }
    let segments = try ParallelCSVScan.run(
        path: path, dataStart: 0, recordsBefore: 0, linesBefore: 0, expectedFields: fields,
        options: CSVScanOptions(workers: workers, segmentBytes: segmentBytes, blockBytes: blockBytes),
        makeFilter: { KeepFilter() })
    return segments.flatMap { segment in
        segment.filter.kept.map {
            CSVRecord(
                number: $0.number + segment.firstRecord - 1, line: $0.line + segment.firstLine - 1, fields: $0.fields)
        }
    }
}

/// Field values of the records the index kernel finds in `text`, decoded by hand; nil for a
/// record it does not vouch for.
private func rawSplit(_ text: String) -> [[String]?] {
    splitRecords(text).records.map(\.fields)
}

/// The records the index kernel finds in `text` (blank lines left out): their bytes, line feed
/// included, and their fields decoded by hand when it vouches for them; and the offset where
/// the records end. Every kernel this machine runs must find the same.
private func splitRecords(_ text: String) -> (records: [(bytes: [UInt8], fields: [String]?)], rest: Int) {
    let kernels = RecordIndex.available
    let first = splitRecords(text, kernel: kernels[0])
    for kernel in kernels.dropFirst() {
        let other = splitRecords(text, kernel: kernel)
        #expect(
            other.rest == first.rest && other.records.map(\.bytes) == first.records.map(\.bytes)
                && other.records.map(\.fields) == first.records.map(\.fields),
            "\(kernel) and \(kernels[0]) disagree on \(text.debugDescription)")
    }
    return first
}

private func splitRecords(_ text: String, kernel: RecordIndex.Kernel) -> (
    records: [(bytes: [UInt8], fields: [String]?)], rest: Int
) {
    var bytes = Array(text.utf8)
    let limit = bytes.count
    bytes += [UInt8](repeating: 0, count: 64)
    var out: [(bytes: [UInt8], fields: [String]?)] = []
    let rest = bytes.withUnsafeBufferPointer { buffer in
        RecordSplitter.forEach(in: buffer.baseAddress!, count: limit, kernel: kernel) { span in
            if span.isBlank { return true }
            let recordBytes = Array(buffer[span.start...span.end])
            guard span.wellFormed else {
                out.append((recordBytes, nil))
                return true
            }
            let record = span.raw(buffer.baseAddress!)
            let count = record.count
            // Every field, in ascending order and then backwards.
            let backwards = (0..<count).reversed().map { String(decoding: record.rawField($0), as: UTF8.self) }
            guard backwards.reversed() == (0..<count).map({ String(decoding: record.rawField($0), as: UTF8.self) })
            else {
                Issue.record("lookups in different orders disagree")
                return false
            }
            out.append(
                (
                    recordBytes,
                    (0..<count).map { index in
                        var field = String(decoding: record.rawField(index), as: UTF8.self)
                        if field.hasPrefix("\"") {
                            field = String(field.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
                        }
                        // A field that needs no unescaping reads the same through plainField.
                        if let plain = record.plainField(index) {
                            #expect(String(decoding: plain, as: UTF8.self) == field)
                        } else {
                            #expect(field.contains("\""))
                        }
                        return field
                    }
                ))
            return true
        }.rest
    }
    return (out, rest)
}

@Suite struct RecordIndexTests {
    @Test func splitsOfferRowsExactlyAsLibcsvDoes() throws {
        let text =
            "\"2223B6PCG6QAUYY6\",\"38NPMPTW36\",\"Reserved\",\"Windows with SQL Server Web (Amazon VPC), c6i.large reserved instance applied\",,\"0\",\"Inf\"\n"
            + "\"A\",,,\"say \"\"hi\"\"\",,\"\",\"\"\n"
            + "\"multi\nline, with comma\",x,\"\",,\"\"\"\"\"\",y,\"a,b\"\n"
            + "plain,fields,without,any,quotes,at,all\n"
        let raw = rawSplit(text)
        let libcsv = try CSVReader(string: text).readAll().map(\.fields)
        #expect(raw.count == 4)
        #expect(raw.compactMap { $0 } == libcsv)
    }

    @Test func fieldEqualityIsExactWhateverTheQuoting() {
        let text = "\"Linux\",Linux,\"Linux \",\"Li\"\"nux\",,\"\",\"Linux\"\n"
        let bytes = Array(text.utf8) + [UInt8](repeating: 0, count: 64)
        var results: [Bool] = []
        bytes.withUnsafeBufferPointer { buffer in
            _ = RecordSplitter.forEach(in: buffer.baseAddress!, count: text.utf8.count) { span in
                #expect(span.wellFormed)
                let record = span.raw(buffer.baseAddress!)
                results =
                    (0..<record.count).map { record.field($0, equals: "Linux") } + [
                        record.field(4, equals: ""), record.field(5, equals: ""),
                    ]
                return false
            }
        }
        #expect(results == [true, true, false, false, false, false, true, true, true])
    }

    @Test func wordWiseEqualityFindsADifferenceAtEveryPlace() {
        // Every length from 0 to 24 (words, overlapping last words, half words, bytes), the
        // same bytes and then one byte changed at each place in turn.
        for count in 0...24 {
            let literal = (0..<count).map { UInt8(ascii: "a") + UInt8($0) }
            #expect(RawRecord.equal(literal, literal, count: count), "\(count)")
            for place in 0..<count {
                var other = literal
                other[place] ^= 0x20
                #expect(!RawRecord.equal(literal, other, count: count), "\(count) at \(place)")
            }
        }
    }

    @Test func callsBadQuotingWhatLibcsvRefuses() throws {
        for text in ["\"a\"b,c\n", "\"a\" ,c\n", "a,\"b\"\"c\n\"x\n\n", "\"a\"\r\n", "a\"b\"c\n"] {
            let raw = rawSplit(text)
            #expect(raw.first == .some(nil), "\(text.debugDescription) should not be vouched for")
        }
        // An odd number of quotes never ends the record: the scan runs out inside quotes.
        #expect(rawSplit("a\"b,c\n").isEmpty)
    }

    /// Random records built from awkward pieces, and each again with one byte broken: every
    /// record the kernel vouches for, libcsv parses on its own into the same fields; it vouches
    /// for every properly quoted record; and what libcsv refuses, it never vouches for. The
    /// records libcsv refuses are counted, so that the test cannot pass by never meeting one.
    @Test func agreesWithLibcsvOnRandomRecords() throws {
        var generator = SplitMix(seed: 20_251_123)
        let pieces = ["a", "b c", ",", "\"", "\n", "", " ", "xyz", "\"\"", "\r"]
        var vouched = 0
        var malformed = 0
        for _ in 0..<600 {
            var fields: [String] = []
            for _ in 0..<Int(generator.next() % 6 + 1) {
                fields.append(
                    (0..<Int(generator.next() % 4)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }
                        .joined())
            }
            let quoted = fields.map { field -> String in
                let mustQuote =
                    field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")
                    || generator.next() % 2 == 0
                return mustQuote && !field.isEmpty
                    ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }
            let line = quoted.joined(separator: ",") + "\n"
            let raw = rawSplit(line)
            if fields == [""] { continue }  // a blank line is no record
            #expect(raw.count == 1 && raw[0] == fields, "\(line.debugDescription)")
            // The same bytes with one byte broken.
            var broken = Array(line.utf8)
            let at = Int(generator.next() % UInt64(broken.count))
            broken[at] =
                [UInt8(ascii: "\""), UInt8(ascii: ","), UInt8(ascii: "x"), UInt8(ascii: "\n"), 0x0D][
                    Int(generator.next() % 5)]
            let (records, rest) = splitRecords(String(decoding: broken, as: UTF8.self))
            for record in records {
                // What the importer does with a record: libcsv parses its bytes alone.
                let parsed = try? CSVReader(bytes: record.bytes).readAll().map(\.fields)
                if let fields = record.fields {
                    vouched += 1
                    #expect(parsed == [fields], "\(String(decoding: record.bytes, as: UTF8.self).debugDescription)")
                } else if parsed == nil {
                    malformed += 1
                }
            }
            // Bytes after the last record: no line end outside quotes (a stray quote ran to the
            // end); libcsv refuses them too, or they lack a final line feed.
            if rest < broken.count {
                let tail = Array(broken[rest...])
                if (try? CSVReader(bytes: tail).readAll()) == nil {
                    malformed += 1
                } else {
                    #expect(
                        tail.last != 0x0A, "\(String(decoding: tail, as: UTF8.self).debugDescription) has a line end")
                }
            }
        }
        // A broken byte leaves about half of the 600 records well-formed (a letter for a letter, a
        // comma or line feed between fields) and makes the rest malformed (a stray quote, a
        // carriage return in an unquoted field): both sides must be met often.
        #expect(vouched >= 200)
        #expect(malformed >= 200)
    }
}

/// Records that run over many of the kernels' 64-byte blocks, so that the state carried from
/// one block to the next (inside quotes, a quote or comma just before, a closing quote just
/// before) is exercised at every offset.
@Suite struct RecordIndexBlockTests {
    @Test func recordsAcrossBlocksSplitAsLibcsvDoes() throws {
        var generator = SplitMix(seed: 20_261_130)
        let pieces = ["a", "b c", ",", "\"", "\n", "", " ", "xyz", "\"\"", "\r", "0123456789abcdef"]
        var text = ""
        for _ in 0..<2000 {
            let fields = (0..<Int(generator.next() % 8 + 1)).map { _ in
                (0..<Int(generator.next() % 5)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }
                    .joined()
            }
            var line =
                fields.map { field -> String in
                    let mustQuote =
                        field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")
                    return mustQuote ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
                }.joined(separator: ",") + "\n"
            if generator.next() % 10 == 0 {  // one record in ten with a byte broken
                var bytes = Array(line.utf8)
                bytes[Int(generator.next() % UInt64(bytes.count))] =
                    [UInt8(ascii: "\""), 0x0D, UInt8(ascii: "x")][Int(generator.next() % 3)]
                line = String(decoding: bytes, as: UTF8.self)
            }
            text += line
        }
        let (records, _) = splitRecords(text)  // every kernel alike
        var vouched = 0
        for record in records {
            guard let fields = record.fields else { continue }
            vouched += 1
            #expect(try CSVReader(bytes: record.bytes).readAll().map(\.fields) == [fields])
        }
        // Broken records swallow others (a stray quote runs to the next one), but most stand.
        #expect(vouched >= 1000)
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct FilteredScanTests {
    /// 3-field records; every fifth is kept; some hold quoted line feeds and commas.
    private func sample(records: Int) -> String {
        (1...records).map { index in
            let first = index % 5 == 0 ? "keep" : "skip"
            let middle = index % 7 == 0 ? "\"line\nbreak, \"\"quoted\"\"\n\"" : "\"plain \(index)\""
            return "\"\(first)\",\(middle),\(index)\n"
        }.joined()
    }

    @Test func keepsOnlyWhatTheFilterWantsWithTheFilesNumbers() throws {
        let kept = try scan(sample(records: 50), fields: 3)
        #expect(kept.map { $0.fields[2] } == stride(from: 5, through: 50, by: 5).map(String.init))
        #expect(kept.map(\.number) == stride(from: 5, through: 50, by: 5).map { $0 })
        // Records 7, 14, 21… each take three lines.
        let record35 = try #require(kept.first { $0.number == 35 })
        #expect(record35.line == 35 + 2 * 4)
        #expect(record35.fields[1] == "line\nbreak, \"quoted\"\n")
    }

    @Test func tinySegmentsCutInsideQuotedFieldsGiveTheSequentialResult() throws {
        let text = sample(records: 400)
        let sequential = try scan(text, fields: 3, segmentBytes: 1 << 30, workers: 1)
        for segmentBytes in [7, 13, 64, 100, 1000] {
            for workers in [1, 2, 3] {
                let parallel = try scan(text, fields: 3, segmentBytes: segmentBytes, workers: workers, blockBytes: 64)
                #expect(parallel == sequential, "segments of \(segmentBytes) bytes, \(workers) workers")
            }
        }
        #expect(sequential.count == 80)
    }

    @Test func aRaggedRecordThatWouldBeSkippedIsStillAnError() throws {
        var lines = sample(records: 30).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[20] = "\"skip\",\"two fields only\""  // record 20 starts on line 21 (records 7 and 14 take 3 lines)
        let text = lines.joined(separator: "\n")
        for segmentBytes in [1 << 20, 50] {
            #expect(throws: CSVError.raggedRecord(line: 21, record: 17, expected: 3, found: 2)) {
                try scan(text, fields: 3, segmentBytes: segmentBytes)
            }
        }
    }

    @Test func badQuotingInASkippedRecordIsAnError() throws {
        let text = "\"keep\",a,1\n\"skip\",\"b\"x,2\n\"keep\",c,3\n"
        #expect(throws: CSVError.malformedQuote(line: 2, record: 2)) { try scan(text, fields: 3) }
    }

    @Test func aStrayQuoteThatRunsToTheEndIsCalledMalformedNotTruncated() throws {
        var lines = sample(records: 30).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[20] = "\"skip\",\"plain\"x, 17\",17"  // record 17: one quote too many
        let text = lines.joined(separator: "\n")
        for segmentBytes in [1 << 20, 40] {
            #expect(throws: CSVError.malformedQuote(line: 21, record: 17)) {
                try scan(text, fields: 3, segmentBytes: segmentBytes)
            }
        }
    }

    @Test func aFileCutInsideARecordIsAnError() throws {
        let text = sample(records: 20)
        // Records 7 and 14 take three lines each, so record 20 starts on line 24.
        #expect(throws: CSVError.truncatedRecord(line: 24, record: 20)) {
            try scan(String(text.dropLast(3)), fields: 3)
        }
        // Cut inside the quoted field of record 14 (lines 16 to 18).
        let cut = String(text[..<text.range(of: "\"line\nbreak", options: .backwards)!.upperBound])
        #expect(throws: CSVError.unterminatedQuote(line: 16, record: 14)) { try scan(cut, fields: 3) }
    }

    @Test func anErrorFromTheFilterNamesTheRecord() throws {
        let text = "\"keep\",a,1\nboom,b,2\n"
        let path = temporaryFile(text)
        defer { unlink(path) }
        struct Everything: CSVRecordFilter {
            mutating func wants(_ record: RawRecord) -> Bool { true }
            mutating func visit(_ record: CSVRecordView) throws {
                if record.field(0, equals: "boom") { throw KeepFilter.Refusal() }
            }
        }
        #expect(throws: CSVError.rejected(line: 12, record: 7, reason: "refused")) {
            try ParallelCSVScan.run(
                path: path, dataStart: 0, recordsBefore: 5, linesBefore: 10, expectedFields: 3,
                makeFilter: { Everything() })
        }
    }

    @Test func carriageReturnLineEndsGoThroughLibcsv() throws {
        let text = "\"keep\",a,\"1\"\r\n\"skip\",b,\"2\"\r\n\"keep\",c,\"3\"\r\n"
        let kept = try scan(text, fields: 3)
        #expect(kept.map(\.fields) == [["keep", "a", "1"], ["keep", "c", "3"]])
    }

    @Test func readsTheHeadUpToTheHeader() throws {
        let path = temporaryFile(
            "\"FormatVersion\",\"v1.0\"\n\"OfferCode\",\"AmazonEC2\"\n\"SKU\",\"TermType\",\"Unit\"\n\"A\",\"OnDemand\",\"Hrs\"\n"
        )
        defer { unlink(path) }
        let head = try ParallelCSVScan.head(path: path) { $0.fields.count > 2 }
        #expect(
            head.records.map(\.fields) == [
                ["FormatVersion", "v1.0"], ["OfferCode", "AmazonEC2"], ["SKU", "TermType", "Unit"],
            ])
        #expect(head.end == 71 && head.lines == 3)
    }
}

/// A download scanned from a ring in memory while another thread fills it, as `pricing fetch`
/// scans a file whose length the server announced.
@Suite struct StreamedScanTests {
    static let name = "http://127.0.0.1/offer.csv"

    /// Appends `bytes` to a new ring of `capacity` bytes in pieces of `piece` bytes from another
    /// thread, announcing the size `announced` first and stopping after `stopAt` bytes (all by
    /// default).
    static func stream(_ bytes: [UInt8], capacity: Int, piece: Int, announced: Int? = nil, stopAt: Int? = nil)
        -> StreamedBytes
    {
        let ring = StreamedBytes(path: name, capacity: capacity)
        let limit = stopAt ?? bytes.count
        let thread = Thread {
            ring.begin(size: announced ?? bytes.count)
            var written = 0
            while written < limit {
                let next = min(limit, written + piece)
                let going = bytes[written..<next].withUnsafeBytes { ring.append($0) }
                written = next
                if !going { break }
                if written % (piece * 8) == 0 { usleep(100) }
            }
            ring.finish()
        }
        thread.start()
        return ring
    }

    private func text(records: Int) -> String {
        (1...records).map { index in
            let first = index % 5 == 0 ? "keep" : "skip"
            let middle = index % 7 == 0 ? "\"line\nbreak, \"\"quoted\"\"\n\"" : "\"plain \(index)\""
            return "\"\(first)\",\(middle),\(index)\n"
        }.joined()
    }

    /// Tiny segments, blocks and records, so that the ring wraps many times and cuts often land
    /// inside quotes (records 7, 14… hold line feeds), which the workers rescan at once.
    static let tiny = CSVScanOptions(workers: 2, segmentBytes: 300, blockBytes: 64, maxRecordBytes: 128)

    /// The scan, on its own thread with a deadline: a ring too small for what the readers need
    /// at once would make them wait for each other forever.
    static func scan<Filter: CSVRecordFilter & Sendable>(
        _ source: any ScanSource, options: CSVScanOptions = tiny, fields: Int = 3,
        filter: @escaping @Sendable () -> Filter
    ) throws -> [CSVScanSegment<Filter>] {
        let result = UncheckedResult<[CSVScanSegment<Filter>]>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            result.value = Result {
                try ParallelCSVScan.run(
                    source: source, dataStart: 0, recordsBefore: 0, linesBefore: 0, expectedFields: fields,
                    options: options, makeFilter: filter)
            }
            done.signal()
        }
        thread.start()
        guard done.wait(timeout: .now() + 60) == .success else {
            Issue.record(
                "the scan of a ring of \((source as? StreamedBytes)?.capacity ?? 0) bytes did not end: its readers wait for each other"
            )
            return []
        }
        return try result.value!.get()
    }

    private func kept(_ segments: [CSVScanSegment<KeepFilter>]) -> [[String]] {
        segments.flatMap { segment in segment.filter.kept.map { ["\($0.number + segment.firstRecord - 1)"] + $0.fields }
        }
    }

    @Test func aDownloadScannedFromASmallRingGivesWhatTheWholeFileGives() throws {
        let bytes = Array(text(records: 2000).utf8)
        let path = temporaryFile(String(decoding: bytes, as: UTF8.self))
        defer { unlink(path) }
        let capacity = ParallelCSVScan.ringBytesNeeded(Self.tiny)
        // The ring holds a tenth of the file at most.
        #expect(capacity * 10 < bytes.count)
        for piece in [1, 97, 997] {
            let streamed = try kept(Self.scan(Self.stream(bytes, capacity: capacity, piece: piece)) { KeepFilter() })
            let file = try FileSource(path: path)
            defer { file.close() }
            let whole = try kept(
                Self.scan(file, options: CSVScanOptions(workers: 1, segmentBytes: 1 << 20)) { KeepFilter() })
            #expect(streamed == whole)
            // Every fifth of the 2000 records.
            #expect(streamed.count == 400 && streamed.last == ["2000", "keep", "plain 2000", "2000"])
        }
    }

    @Test func aDownloadThatStopsShortOfItsLengthIsAReadError() throws {
        let bytes = Array(text(records: 300).utf8)
        let ring = Self.stream(
            bytes, capacity: ParallelCSVScan.ringBytesNeeded(Self.tiny), piece: 500, stopAt: bytes.count / 2)
        #expect {
            try Self.scan(ring) { KeepFilter() }
        } throws: { error in
            guard case .readFailed(let file, let reason) = error as? CSVError else { return false }
            return file == Self.name && reason == "the download stopped at \(bytes.count / 2) bytes of \(bytes.count)"
        }
    }

    /// A stray quote early on: the scan reports it with its line and gives the download up, so
    /// the writer can stop instead of downloading the rest for nothing.
    @Test func anEarlyErrorAbandonsTheDownload() throws {
        var lines = text(records: 4000).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[20] = "\"skip\",\"plain\"x, 17\",17"  // record 17 on line 21 (records 7 and 14 take 3 lines)
        let bytes = Array(lines.joined(separator: "\n").utf8)
        let ring = Self.stream(bytes, capacity: ParallelCSVScan.ringBytesNeeded(Self.tiny), piece: 64)
        #expect(throws: CSVError.malformedQuote(line: 21, record: 17)) { try Self.scan(ring) { KeepFilter() } }
        #expect(ring.isAbandoned)
        _ = ring.announcedSize()
        #expect(ring.bytesReceived < bytes.count)
    }
}

/// A result set on one thread and read on another after a semaphore.
final class UncheckedResult<Value>: @unchecked Sendable {
    var value: Result<Value, any Error>?
}
