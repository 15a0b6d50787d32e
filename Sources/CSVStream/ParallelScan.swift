import FileAccess
import Foundation

/// One part of a file as scanned by one filter, in file order.
public struct CSVScanSegment<Filter> {
    /// The segment's filter, after the scan; `var` so its findings can be moved out.
    public var filter: Filter
    /// The file's number of the part's first record; the filter saw it as record 1.
    public let firstRecord: Int
    /// The file's line on which the part's first record starts; the filter saw it as line 1.
    public let firstLine: Int
    /// Records in the part.
    public let records: Int
}

/// The records at the start of a file, parsed, and where the rest begins.
public struct CSVHead: Sendable {
    public var records: [CSVRecord]
    /// Offset just past the last record in `records`.
    public var end: Int
    /// Lines those records take.
    public var lines: Int
    public var fileSize: Int
    /// The first bytes of the file, to tell what it is when it is not what was expected.
    public var firstBytes: [UInt8]
}

/// Reads large CSV files with a filter on every record's raw bytes, on several threads.
///
/// The file is cut into segments of about `segmentBytes`. A cut is placed just after a line
/// feed, a guess at a record boundary that is wrong only when the line feed is inside a quoted
/// field. Workers scan segments in file order as they become free, each finding its own cuts;
/// the segments are then put together in file order, and a segment whose start turns out not
/// to be where the previous one really ended (the guess was wrong) is scanned again from the
/// right place before its results count. Errors are likewise reported only from segments that
/// start where they should, so the result is the same as one sequential scan; and as soon as
/// such a segment has one, no further segment is started.
///
/// A file still being written (`GrowingFile`, a download) is scanned as it arrives: the
/// workers wait for the bytes they need, and the scan ends with the file.
public enum ParallelCSVScan {
    /// Reads and parses records from the start of the file until `isLast` says one is the last
    /// wanted (a header row), or `maxRecords` or `maxBytes` is reached.
    public static func head(path: String, maxRecords: Int = 64, maxBytes: Int = 1 << 20, growing: GrowingFile? = nil,
                            isLast: (CSVRecord) -> Bool) throws -> CSVHead {
        let file = try CSVError.opening(path)
        defer { file.close() }
        let size = try fileSize(file, growing: growing)
        // A file still being written is read as its head arrives: 64 KiB, then more as needed.
        var length = min(size, maxBytes)
        if let growing {
            length = min(length, 64 * 1024)
            while true {
                if growing.waitFor(length) < length { throw stoppedShort(path: path, growing: growing, size: size) }
                let found = try head(file: file, length: length, size: size, maxRecords: maxRecords, isLast: isLast)
                if found.complete || length == min(size, maxBytes) { return found.head }
                length = min(length * 4, size, maxBytes)
            }
        }
        return try head(file: file, length: length, size: size, maxRecords: maxRecords, isLast: isLast).head
    }

    /// The records of the first `length` bytes, up to the last one wanted; `complete` when
    /// that one was found (or the bytes are the whole file).
    static func head(file: RegularFile, length: Int, size: Int, maxRecords: Int,
                     isLast: (CSVRecord) -> Bool) throws -> (head: CSVHead, complete: Bool) {
        var bytes = try CSVError.reading(file) { (file) throws(FileProblem) in try file.bytes(at: 0, count: length) }
        let got = bytes.count
        bytes += repeatElement(0, count: length + 64 - got)
        var head = CSVHead(records: [], end: 0, lines: 0, fileSize: size, firstBytes: Array(bytes[0..<min(got, 64)]))
        var parser = try RecordParser(options: CSVReadOptions(chunkSize: 4096), countsLines: false)
        defer { parser.close() }
        parser.bomMatched = nil
        let bom = got >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        head.end = bom
        var done = false
        try bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress! + bom
            let (rest, insideQuotes) = try RecordSplitter.forEach(in: base, count: got - bom) { span in
                let line = head.lines + 1
                head.lines += 1 + span.embeddedLineFeeds
                head.end = bom + span.end + 1
                if span.isBlank { return true }
                var record: CSVRecord?
                try parser.parseRecord(UnsafeRawBufferPointer(start: base + span.start, count: span.end + 1 - span.start),
                                       number: head.records.count + 1, line: line) { record = $0.record }
                head.records.append(record!)
                done = isLast(record!) || head.records.count >= maxRecords
                return !done
            }
            if !done, got == size, rest < got - bom {
                let line = head.lines + 1, number = head.records.count + 1
                throw insideQuotes ? CSVError.unterminatedQuote(line: line, record: number)
                                   : CSVError.truncatedRecord(line: line, record: number)
            }
        }
        return (head, done || got == size)
    }

    /// Scans the records from `dataStart` to the end of the file through filters made by
    /// `makeFilter`, one per segment, and returns them in file order. `recordsBefore` and
    /// `linesBefore` count what precedes `dataStart`, so errors carry the file's numbers.
    /// `progress`, if given, is called on the calling thread about ten times a second with the
    /// bytes scanned so far. `growing`: the file is still being written; its announced size is
    /// its size, and a scan that needs bytes it never gets fails with `readFailed`.
    public static func run<Filter: CSVRecordFilter>(
        path: String, dataStart: Int, recordsBefore: Int, linesBefore: Int, expectedFields: Int,
        options: CSVScanOptions = CSVScanOptions(), growing: GrowingFile? = nil, makeFilter: @escaping @Sendable () -> Filter,
        progress: ((Int) -> Void)? = nil
    ) throws -> [CSVScanSegment<Filter>] {
        let file = try CSVError.opening(path)
        defer { file.close() }
        let size = try fileSize(file, growing: growing)
        let cuts = SegmentCuts(file: file, dataStart: dataStart, size: size, segmentBytes: options.segmentBytes, growing: growing)
        let shared = ScanShared<Filter>(segments: cuts.count, dataStart: dataStart, growing: growing)

        let workers = min(options.workers, cuts.count)
        if workers > 0 {
            let done = DispatchSemaphore(value: 0)
            for _ in 0..<workers {
                let work = UncheckedBox {
                    do {
                        var scanner = try SegmentScanner(file: file, fileSize: size, expectedFields: expectedFields, options: options,
                                                         growing: growing)
                        scanner.onRead = { shared.read($0) }
                        while let index = shared.next() {
                            var filter = makeFilter()
                            let (start, end) = (cuts.start(index), cuts.start(index + 1))
                            var outcome = scanner.scan(from: start, to: end, filter: &filter)
                            outcome.boundary = end
                            shared.finish(index, outcome: outcome, filter: filter)
                        }
                    } catch {
                        shared.fail(error)
                    }
                    done.signal()
                }
                let thread = Thread { work.value() }
                thread.stackSize = 1 << 20
                thread.start()
            }
            var finished = 0
            while finished < workers {
                if done.wait(timeout: .now() + .milliseconds(100)) == .success {
                    finished += 1
                } else {
                    progress?(min(shared.bytesDone, size - dataStart))
                }
            }
        }
        if let error = shared.failure { throw error }

        // Put the segments together in file order; rescan any whose start was a wrong guess.
        var segments: [CSVScanSegment<Filter>] = []
        var expectedStart = dataStart
        var records = recordsBefore
        var lines = linesBefore
        for index in 0..<cuts.count {
            guard let (found, scanned) = shared.result(index) else { break }  // not started: an error came before
            var (outcome, filter) = (found, scanned)
            // Every record that starts before the segment's end was read by the ones before it.
            if outcome.boundary <= expectedStart { continue }
            if outcome.start != expectedStart {
                var scanner = try SegmentScanner(file: file, fileSize: size, expectedFields: expectedFields, options: options,
                                                 growing: growing)
                var again = makeFilter()
                outcome = scanner.scan(from: expectedStart, to: outcome.boundary, filter: &again)
                filter = again
            }
            if let error = outcome.error {
                if case .readFailed(_, let reason) = error { throw CSVError.readFailed(path: path, reason: reason) }
                throw error.shifted(records: records, lines: lines)
            }
            segments.append(CSVScanSegment(filter: filter, firstRecord: records + 1, firstLine: lines + 1, records: outcome.records))
            records += outcome.records
            lines += outcome.lines
            expectedStart = max(outcome.end, expectedStart)
        }
        progress?(size - dataStart)
        return segments
    }

    /// The file's size: the one announced for a file still being written.
    static func fileSize(_ file: RegularFile, growing: GrowingFile? = nil) throws -> Int {
        if let growing {
            guard let size = growing.expectedSize() else { throw stoppedShort(path: file.path, growing: growing, size: nil) }
            return size
        }
        return try CSVError.reading(file) { (file) throws(FileProblem) in try file.size() }
    }

    static func stoppedShort(path: String, growing: GrowingFile, size: Int?) -> CSVError {
        let written = growing.waitFor(Int.max)
        return .readFailed(path: path, reason: "the file stopped growing at \(written) bytes" + (size.map { " of \($0)" } ?? ""))
    }
}

/// Where the segments of a scan start: `dataStart`, then just past the first line feed at or
/// after each multiple of `segmentBytes` (a guess; within about 256 KiB, else the guess is the
/// end of the bytes searched), then the file size. Each worker finds the cuts of its own segment,
/// reading only near them, so that a file still being written is cut as it arrives.
struct SegmentCuts: Sendable {
    let file: RegularFile
    let dataStart: Int
    let size: Int
    let segmentBytes: Int
    let growing: GrowingFile?
    /// Segments: at least one, even for no data.
    let count: Int

    init(file: RegularFile, dataStart: Int, size: Int, segmentBytes: Int, growing: GrowingFile?) {
        self.file = file
        self.dataStart = dataStart
        self.size = size
        self.segmentBytes = segmentBytes
        self.growing = growing
        let data = max(0, size - dataStart)
        count = max(1, (data + segmentBytes - 1) / segmentBytes)
    }

    /// The start of segment `index` (`count` for the end of the file).
    func start(_ index: Int) -> Int {
        if index <= 0 { return dataStart }
        if index >= count { return size }
        let nominal = dataStart + index * segmentBytes
        // A line is usually found in the first 4 KiB; then 64 KiB at a time.
        let window = 64 * 1024
        var searched = 0
        while searched < 4 * window, nominal + searched < size {
            let want = min(searched == 0 ? 4096 : window, size - nominal - searched)
            if let growing, growing.waitFor(nominal + searched + want) < nominal + searched + want { break }
            // A read error here only places the cut at the end of the bytes searched; the
            // segment's own reads report it.
            let probe = (try? file.bytes(at: nominal + searched, count: want)) ?? []
            let n = probe.count
            guard n > 0 else { break }
            if let at = probe.firstIndex(of: 0x0A) { return min(size, nominal + searched + at + 1) }
            searched += n
        }
        return min(size, nominal + searched)
    }
}
