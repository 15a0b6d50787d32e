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
/// A download (`StreamedBytes`) is scanned as it arrives: the workers wait for the bytes they
/// need, and release those they are done with so that the download can go on into their room.
public enum ParallelCSVScan {
    /// Reads and parses records from the start of the file until `isLast` says one is the last
    /// wanted (a header row), or `maxRecords` or `maxBytes` is reached.
    public static func head(
        path: String, maxRecords: Int = 64, maxBytes: Int = 1 << 20,
        isLast: (CSVRecord) -> Bool
    ) throws -> CSVHead {
        let file = try FileSource(path: path)
        defer { file.close() }
        return try head(source: file, maxRecords: maxRecords, maxBytes: maxBytes, isLast: isLast)
    }

    /// The same from any source. A download is read as its head arrives: 64 KiB, then more as
    /// needed.
    public static func head(
        source: any ScanSource, maxRecords: Int = 64, maxBytes: Int = 1 << 20,
        isLast: (CSVRecord) -> Bool
    ) throws -> CSVHead {
        let size = try source.size()
        // A ring holds the head while it is read: at most its capacity.
        let maxBytes = min(maxBytes, (source as? StreamedBytes)?.capacity ?? maxBytes)
        var length = min(size, maxBytes)
        if source.forgets {
            length = min(length, 64 * 1024)
            while true {
                let found = try head(source: source, length: length, size: size, maxRecords: maxRecords, isLast: isLast)
                if found.complete || length == min(size, maxBytes) { return found.head }
                length = min(length * 4, size, maxBytes)
            }
        }
        return try head(source: source, length: length, size: size, maxRecords: maxRecords, isLast: isLast).head
    }

    /// The records of the first `length` bytes, up to the last one wanted; `complete` when
    /// that one was found (or the bytes are the whole file).
    static func head(
        source: any ScanSource, length: Int, size: Int, maxRecords: Int,
        isLast: (CSVRecord) -> Bool
    ) throws -> (head: CSVHead, complete: Bool) {
        var bytes = try source.bytes(at: 0, count: length)
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
                try parser.parseRecord(
                    UnsafeRawBufferPointer(start: base + span.start, count: span.end + 1 - span.start),
                    number: head.records.count + 1, line: line
                ) { record = $0.record }
                head.records.append(record!)
                done = isLast(record!) || head.records.count >= maxRecords
                return !done
            }
            if !done, got == size, rest < got - bom {
                let line = head.lines + 1
                let number = head.records.count + 1
                throw insideQuotes
                    ? CSVError.unterminatedQuote(line: line, record: number)
                    : CSVError.truncatedRecord(line: line, record: number)
            }
        }
        return (head, done || got == size)
    }

    /// Scans the records from `dataStart` to the end of the file through filters made by
    /// `makeFilter`, one per segment, and returns them in file order. `recordsBefore` and
    /// `linesBefore` count what precedes `dataStart`, so errors carry the file's numbers.
    /// `progress`, if given, is called on the calling thread about ten times a second with the
    /// bytes scanned so far.
    public static func run<Filter: CSVRecordFilter>(
        path: String, dataStart: Int, recordsBefore: Int, linesBefore: Int, expectedFields: Int,
        options: CSVScanOptions = CSVScanOptions(), makeFilter: @escaping @Sendable () -> Filter,
        progress: ((Int) -> Void)? = nil
    ) throws -> [CSVScanSegment<Filter>] {
        let file = try FileSource(path: path)
        defer { file.close() }
        return try run(
            source: file, dataStart: dataStart, recordsBefore: recordsBefore, linesBefore: linesBefore,
            expectedFields: expectedFields, options: options, makeFilter: makeFilter, progress: progress)
    }

    /// The bytes a source that forgets (`StreamedBytes`) must be able to hold at once for a scan
    /// with `options`. The lowest offset anything may still read (the floor) is a worker's hold,
    /// the end of the chain of segments known to start right (where a rescan starts), or the
    /// nominal cut of the next segment to hand out; from each, the reader concerned needs at
    /// most a segment, the search for the next cut past it (`SegmentCuts.reach`), and a
    /// scanner's buffer past that cut (the last record, at most `maxRecordBytes`). With this
    /// room that reader can always go on, so the scan never waits for itself.
    public static func ringBytesNeeded(_ options: CSVScanOptions) -> Int {
        options.segmentBytes + SegmentCuts.reach(options.segmentBytes) + max(options.blockBytes, options.maxRecordBytes)
    }

    /// The same from any source; a download is scanned as it arrives (`StreamedBytes` must hold
    /// `ringBytesNeeded(options)`), and one that stops short fails with `readFailed`.
    public static func run<Filter: CSVRecordFilter>(
        source: any ScanSource, dataStart: Int, recordsBefore: Int, linesBefore: Int, expectedFields: Int,
        options: CSVScanOptions = CSVScanOptions(), makeFilter: @escaping @Sendable () -> Filter,
        progress: ((Int) -> Void)? = nil
    ) throws -> [CSVScanSegment<Filter>] {
        if let ring = source as? StreamedBytes {
            precondition(
                ring.capacity >= ringBytesNeeded(options), "a ring of \(ring.capacity) bytes is too small for this scan"
            )
        }
        let size = try source.size()
        let cuts = SegmentCuts(source: source, dataStart: dataStart, size: size, segmentBytes: options.segmentBytes)
        let workers = min(options.workers, cuts.count)
        let shared = ScanShared<Filter>(
            segments: cuts.count, dataStart: dataStart, segmentBytes: options.segmentBytes,
            workers: max(1, workers), source: source)

        if workers > 0 {
            let done = DispatchSemaphore(value: 0)
            for worker in 0..<workers {
                let work = UncheckedBox {
                    do {
                        var scanner = try SegmentScanner(
                            source: source, fileSize: size, expectedFields: expectedFields, options: options)
                        scanner.onRead = { shared.read($0) }
                        if source.forgets { scanner.onAdvance = { shared.hold(worker, from: $0) } }
                        while let task = shared.next(worker: worker) {
                            var filter = makeFilter()
                            let (index, start, end): (Int, Int, Int)
                            switch task {
                            case .segment(let segment):
                                (index, start, end) = (segment, cuts.start(segment), cuts.start(segment + 1))
                            case .rescan(let segment, let from, let to): (index, start, end) = (segment, from, to)
                            }
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

        // Put the segments together in file order; rescan any whose start was a wrong guess
        // (the workers have rescanned them already, unless the scan stopped before).
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
                var scanner = try SegmentScanner(
                    source: source, fileSize: size, expectedFields: expectedFields, options: options)
                var again = makeFilter()
                outcome = scanner.scan(from: expectedStart, to: outcome.boundary, filter: &again)
                filter = again
            }
            if let error = outcome.error {
                if case .readFailed(_, let reason) = error {
                    throw CSVError.readFailed(path: source.path, reason: reason)
                }
                throw error.shifted(records: records, lines: lines)
            }
            segments.append(
                CSVScanSegment(filter: filter, firstRecord: records + 1, firstLine: lines + 1, records: outcome.records)
            )
            records += outcome.records
            lines += outcome.lines
            expectedStart = max(outcome.end, expectedStart)
        }
        progress?(size - dataStart)
        return segments
    }
}

/// Where the segments of a scan start: `dataStart`, then just past the first line feed at or
/// after each multiple of `segmentBytes` (a guess; within about 256 KiB, less for small
/// segments, else the guess is the end of the bytes searched), then the file size. Each worker finds the cuts of its own segment,
/// reading only near them, so that a download is cut as it arrives.
struct SegmentCuts: Sendable {
    let source: any ScanSource
    let dataStart: Int
    let size: Int
    let segmentBytes: Int
    /// Segments: at least one, even for no data.
    let count: Int

    init(source: any ScanSource, dataStart: Int, size: Int, segmentBytes: Int) {
        self.source = source
        self.dataStart = dataStart
        self.size = size
        self.segmentBytes = segmentBytes
        let data = max(0, size - dataStart)
        count = max(1, (data + segmentBytes - 1) / segmentBytes)
    }

    /// The start of segment `index` (`count` for the end of the file).
    func start(_ index: Int) -> Int {
        if index <= 0 { return dataStart }
        if index >= count { return size }
        let nominal = dataStart + index * segmentBytes
        // A line is usually found in the first 4 KiB; then 64 KiB at a time.
        let window = Self.window(segmentBytes)
        var searched = 0
        while searched < 4 * window, nominal + searched < size {
            let want = min(searched == 0 ? min(4096, window) : window, size - nominal - searched)
            // A read error (or a download that stopped) here only places the cut at the end of
            // the bytes searched; the segment's own reads report it.
            guard let probe = try? source.bytes(at: nominal + searched, count: want), probe.count == want else {
                return min(size, nominal + searched)
            }
            if let at = probe.firstIndex(of: 0x0A) { return min(size, nominal + searched + at + 1) }
            searched += want
        }
        return min(size, nominal + searched)
    }

    /// Bytes searched at a time for a line feed after the first 4 KiB: 64 KiB, less for segments
    /// under 1 MiB (so that a small ring can hold what the search reads).
    static func window(_ segmentBytes: Int) -> Int { min(64 << 10, max(256, segmentBytes / 16)) }

    /// How far past the nominal cut the search may read.
    static func reach(_ segmentBytes: Int) -> Int { 5 * window(segmentBytes) }
}
