import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
/// field. Workers scan segments in any order; then the segments are put together in file order,
/// and a segment whose start turns out not to be where the previous one really ended (the guess
/// was wrong) is scanned again from the right place before its results count. Errors are
/// likewise reported only from segments that start where they should, so the result is the
/// same as one sequential scan.
public enum ParallelCSVScan {
    /// Reads and parses records from the start of the file until `isLast` says one is the last
    /// wanted (a header row), or `maxRecords` or `maxBytes` is reached.
    public static func head(path: String, maxRecords: Int = 64, maxBytes: Int = 1 << 20,
                            isLast: (CSVRecord) -> Bool) throws -> CSVHead {
        let fd = try CSVError.opening(path)
        defer { close(fd) }
        let size = try fileSize(fd, path: path)
        let length = min(size, maxBytes)
        var bytes = [UInt8](repeating: 0, count: length + 64)
        var got = 0
        while got < length {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, length - got, off_t(got)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CSVError.readFailed(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            got += n
        }
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
        return head
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
        let fd = try CSVError.opening(path)
        defer { close(fd) }
        let size = try fileSize(fd, path: path)
        let starts = try segmentStarts(fd: fd, path: path, from: dataStart, size: size, options: options)
        let shared = ScanShared<Filter>(segments: starts.count - 1)

        let workers = min(options.workers, starts.count - 1)
        if workers > 0 {
            let done = DispatchSemaphore(value: 0)
            for _ in 0..<workers {
                let work = UncheckedBox {
                    do {
                        var scanner = try SegmentScanner(fd: fd, fileSize: size, expectedFields: expectedFields, options: options)
                        scanner.onRead = { shared.read($0) }
                        while let index = shared.next() {
                            var filter = makeFilter()
                            let outcome = scanner.scan(from: starts[index], to: starts[index + 1], filter: &filter)
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
        for index in 0..<(starts.count - 1) {
            var (outcome, filter) = shared.result(index)
            if outcome.start != expectedStart {
                var scanner = try SegmentScanner(fd: fd, fileSize: size, expectedFields: expectedFields, options: options)
                var again = makeFilter()
                outcome = scanner.scan(from: expectedStart, to: starts[index + 1], filter: &again)
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

    static func fileSize(_ fd: Int32, path: String) throws -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CSVError.readFailed(path: path, reason: String(cString: strerror(errno))) }
        return Int(info.st_size)
    }

    /// Segment starts: `dataStart`, then a guess just past the first line feed at or after each
    /// multiple of `segmentBytes`, then the file size.
    static func segmentStarts(fd: Int32, path: String, from dataStart: Int, size: Int, options: CSVScanOptions) throws -> [Int] {
        var starts = [dataStart]
        guard dataStart < size else { return starts + [size] }
        let window = 64 * 1024
        var probe = [UInt8](repeating: 0, count: window)
        var nominal = dataStart + options.segmentBytes
        while nominal < size {
            var cut: Int?
            var searched = 0
            while cut == nil, searched < 4 * window, nominal + searched < size {
                let n = probe.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, window, off_t(nominal + searched)) }
                guard n > 0 else {
                    if n < 0 && errno == EINTR { continue }
                    break
                }
                if let at = probe[0..<n].firstIndex(of: 0x0A) { cut = nominal + searched + at + 1 }
                searched += n
            }
            if let cut, cut < size, cut > starts.last! { starts.append(cut) }
            nominal = max(nominal + options.segmentBytes, (starts.last ?? nominal) + 1)
        }
        starts.append(size)
        return starts
    }
}

/// Wraps a closure that is only ever run on one thread at a time.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// What the workers of one scan share, under a lock.
final class ScanShared<Filter>: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private let count: Int
    private var outcomes: [SegmentOutcome?]
    private var filters: [Filter?]
    private var bytes = 0
    private var error: Error?

    init(segments: Int) {
        count = segments
        outcomes = Array(repeating: nil, count: segments)
        filters = Array(repeating: nil, count: segments)
    }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < count, error == nil else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }

    func finish(_ index: Int, outcome: SegmentOutcome, filter: Filter) {
        lock.lock()
        outcomes[index] = outcome
        filters[index] = filter
        lock.unlock()
    }

    func read(_ count: Int) {
        lock.lock()
        bytes += count
        lock.unlock()
    }

    func fail(_ failure: Error) {
        lock.lock()
        if error == nil { error = failure }
        lock.unlock()
    }

    var bytesDone: Int {
        lock.lock()
        defer { lock.unlock() }
        return bytes
    }

    var failure: Error? {
        lock.lock()
        defer { lock.unlock() }
        return error
    }

    func result(_ index: Int) -> (SegmentOutcome, Filter) {
        lock.lock()
        defer { lock.unlock() }
        return (outcomes[index]!, filters[index]!)
    }
}
