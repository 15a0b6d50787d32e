import CLibCSV

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decides, record by record, which records of a large CSV file are worth parsing.
///
/// Record numbers and lines handed to a filter count from the start of the part of the file it
/// scans (1 for its first record); `CSVScanSegment.firstRecord` and `firstLine` turn them into
/// the file's.
public protocol CSVRecordFilter {
    /// A raw look at a well-formed record that has the expected number of fields. Returning
    /// false skips the record unparsed, so return false only when no parse of this record
    /// could be wanted.
    mutating func wants(_ record: RawRecord) -> Bool
    /// A record parsed by libcsv: every record `wants` accepted, and every record whose raw
    /// form the scanner could not vouch for (unusual quoting, a carriage return) that libcsv
    /// parsed into the expected number of fields. An error thrown here stops the scan and is
    /// reported as `CSVError.rejected` with the record's number and line.
    mutating func visit(_ record: CSVRecordView) throws
}

/// Sizes for a filtered scan.
public struct CSVScanOptions: Sendable {
    /// Threads that scan parts of the file at once.
    public var workers: Int
    /// Bytes per part of the file handed to one worker at a time.
    public var segmentBytes: Int
    /// Bytes read at a time; memory stays proportional to `workers × blockBytes`.
    public var blockBytes: Int
    /// A record longer than this is an error (almost always an unterminated quote).
    public var maxRecordBytes: Int

    public init(workers: Int = 2, segmentBytes: Int = 32 << 20, blockBytes: Int = 2 << 20, maxRecordBytes: Int = 16 << 20) {
        self.workers = max(1, workers)
        self.segmentBytes = max(1, segmentBytes)
        self.blockBytes = max(64, blockBytes)
        self.maxRecordBytes = max(64, maxRecordBytes)
    }
}

/// What scanning one part of a file found.
struct SegmentOutcome {
    /// Offset of the first record scanned.
    var start: Int
    /// Offset just past the last record scanned: the first record start at or past the part's
    /// end, or the end of the file.
    var end: Int
    var records = 0
    var lines = 0
    /// The first problem, numbered from the start of the part.
    var error: CSVError?
}

/// Scans records from one offset to another through a fixed-size buffer: the raw scanner finds
/// each record and its fields, the filter looks at the raw bytes, and only the records it wants
/// (and those the raw scanner cannot vouch for) go through libcsv.
struct SegmentScanner: ~Copyable {
    let fd: Int32
    let fileSize: Int
    let expectedFields: Int
    let options: CSVScanOptions
    var buffer: UnsafeMutablePointer<UInt8>
    var capacity: Int
    /// Separator masks of the record being looked at, one per 8-byte word.
    let separators: UnsafeMutablePointer<UInt64>
    let separatorCapacity: Int
    let cursor: UnsafeMutablePointer<RawRecord.Cursor>
    var parser: RecordParser
    /// Set when libcsv stopped on an error: its state is then undefined until it is made anew.
    var parserNeedsReset = false
    /// Bytes read so far.
    var bytesRead = 0
    /// Told the bytes of every block read, for progress.
    var onRead: ((Int) -> Void)?

    init(fd: Int32, fileSize: Int, expectedFields: Int, options: CSVScanOptions) throws {
        self.fd = fd
        self.fileSize = fileSize
        self.expectedFields = expectedFields
        self.options = options
        capacity = options.blockBytes
        buffer = .allocate(capacity: capacity + 16)
        separatorCapacity = 8192  // words: records up to 64 KiB get a raw look, longer ones go to libcsv
        separators = .allocate(capacity: separatorCapacity)
        cursor = .allocate(capacity: 1)
        cursor.initialize(to: RawRecord.Cursor())
        parser = try Self.makeParser(options)
    }

    static func makeParser(_ options: CSVScanOptions) throws -> RecordParser {
        var parser = try RecordParser(options: CSVReadOptions(chunkSize: 4096, strict: true, maxFieldBytes: options.maxRecordBytes))
        parser.bomMatched = nil
        return parser
    }

    deinit {
        buffer.deallocate()
        separators.deallocate()
        cursor.deallocate()
        parser.close()
    }

    /// Scans the records that start in `[start, boundary)` (a record that starts before
    /// `boundary` is read to its end, wherever that is).
    mutating func scan<Filter: CSVRecordFilter>(from start: Int, to boundary: Int, filter: inout Filter) -> SegmentOutcome {
        var outcome = SegmentOutcome(start: start, end: start)
        guard start < boundary, start < fileSize else { return outcome }
        if parserNeedsReset {
            parser.close()
            do {
                parser = try Self.makeParser(options)
            } catch {
                outcome.error = .outOfMemory(line: 1, record: 1)
                return outcome
            }
            parserNeedsReset = false
        }
        var bufferOffset = start   // file offset of buffer[0]
        var valid = 0
        var position = 0           // start of the current record in the buffer
        var atEOF = false
        func refill(_ scanner: inout SegmentScanner) -> CSVError? {
            if position > 0 {
                let keep = valid - position
                if keep > 0 { memmove(scanner.buffer, scanner.buffer + position, keep) }
                bufferOffset += position
                valid = keep
                position = 0
            }
            if valid == scanner.capacity {
                // One record fills the buffer: grow it, up to the longest record allowed.
                guard scanner.capacity < scanner.options.maxRecordBytes else {
                    return .recordTooLong(line: outcome.lines + 1, record: outcome.records + 1, limit: scanner.options.maxRecordBytes)
                }
                let grown = min(scanner.capacity * 2, scanner.options.maxRecordBytes)
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown + 16)
                bigger.update(from: scanner.buffer, count: valid)
                scanner.buffer.deallocate()
                scanner.buffer = bigger
                scanner.capacity = grown
            }
            // Read up to the segment's end; past it, only what finishes the last record.
            let toBoundary = boundary - (bufferOffset + valid)
            let target = min(scanner.capacity, valid + max(toBoundary, 64 * 1024))
            while valid < target {
                let n = pread(scanner.fd, scanner.buffer + valid, target - valid, off_t(bufferOffset + valid))
                if n < 0 {
                    if errno == EINTR { continue }
                    return .readFailed(path: "", reason: String(cString: strerror(errno)))
                }
                if n == 0 { atEOF = true; break }
                valid += n
                scanner.bytesRead += n
                scanner.onRead?(n)
            }
            if bufferOffset + valid >= scanner.fileSize { atEOF = true }
            (scanner.buffer + valid).initialize(repeating: 0, count: 16)
            return nil
        }
        if let error = refill(&self) { outcome.error = error; return outcome }
        func fail(_ error: CSVError, _ scanner: inout SegmentScanner) -> SegmentOutcome {
            outcome.error = scanner.clarify(error, record: UnsafeRawBufferPointer(start: scanner.buffer + position, count: valid - position))
            return outcome
        }
        while true {
            let result = RawRecordScanner.scan(buffer, from: position, limit: valid,
                                               separators: separators, capacity: separatorCapacity)
            switch result {
            case .incomplete(let insideQuotes):
                if atEOF {
                    if position < valid {
                        let line = outcome.lines + 1, record = outcome.records + 1
                        return fail(insideQuotes ? .unterminatedQuote(line: line, record: record)
                                                 : .truncatedRecord(line: line, record: record), &self)
                    }
                    outcome.end = bufferOffset + valid
                    return outcome
                }
                if let error = refill(&self) { return fail(error, &self) }
                continue
            case .record(let end, let fields, let wellFormed, let embeddedLineFeeds):
                let line = outcome.lines + 1
                outcome.lines += 1 + embeddedLineFeeds
                if end > position {  // a blank line is no record
                    outcome.records += 1
                    if let error = handle(start: position, end: end, fields: fields, wellFormed: wellFormed,
                                          number: outcome.records, line: line, filter: &filter) {
                        outcome.error = error
                        return outcome
                    }
                }
                position = end + 1
                if bufferOffset + position >= boundary {
                    outcome.end = bufferOffset + position
                    return outcome
                }
            }
        }
    }

    /// A record that never ends (the input ends inside quotes, or no line end comes within the
    /// longest record allowed) is usually one stray quote that turned the rest of the input
    /// inside out: libcsv's strict parse of the record's bytes says so when it finds one.
    mutating func clarify(_ error: CSVError, record bytes: UnsafeRawBufferPointer) -> CSVError {
        switch error {
        case .unterminatedQuote(let line, let record), .recordTooLong(let line, let record, _):
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return error }
            parserNeedsReset = true
            let parsed = csv_parse(parser.parser, base, bytes.count, fieldCallback, recordCallback, parser.state)
            parser.state.pointee.bytes.removeAll(keepingCapacity: true)
            parser.state.pointee.fieldEnds.removeAll(keepingCapacity: true)
            parser.state.pointee.records.removeAll(keepingCapacity: true)
            return parsed < bytes.count ? .malformedQuote(line: line, record: record) : error
        default:
            return error
        }
    }

    /// Looks at one record: skipped on the filter's word, else parsed and visited.
    mutating func handle<Filter: CSVRecordFilter>(start: Int, end: Int, fields: Int, wellFormed: Bool,
                                                  number: Int, line: Int, filter: inout Filter) -> CSVError? {
        if wellFormed {
            guard fields == expectedFields else {
                return .raggedRecord(line: line, record: number, expected: expectedFields, found: fields)
            }
            let raw = RawRecord(base: UnsafePointer(buffer), start: start, end: end,
                                separators: UnsafePointer(separators), count: fields, cursor: cursor)
            if !filter.wants(raw) { return nil }
        }
        let bytes = UnsafeRawBufferPointer(start: buffer + start, count: end + 1 - start)
        let expected = expectedFields
        do {
            try parser.parseRecord(bytes, number: number, line: line) { record in
                guard record.count == expected else {
                    throw CSVError.raggedRecord(line: line, record: number, expected: expected, found: record.count)
                }
                do {
                    try filter.visit(record)
                } catch {
                    throw CSVError.rejected(line: line, record: number, reason: "\(error)")
                }
            }
        } catch let error as CSVError {
            parserNeedsReset = true
            return error
        } catch {
            parserNeedsReset = true
            return .rejected(line: line, record: number, reason: "\(error)")
        }
        return nil
    }
}

extension RecordParser {
    /// Parses the bytes of exactly one record, line end included, and hands it to `body` under
    /// the given number and line.
    mutating func parseRecord(_ bytes: UnsafeRawBufferPointer, number: Int, line: Int,
                              _ body: (CSVRecordView) throws -> Void) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        defer {
            state.pointee.bytes.removeAll(keepingCapacity: true)
            state.pointee.fieldEnds.removeAll(keepingCapacity: true)
            state.pointee.records.removeAll(keepingCapacity: true)
        }
        let parsed = csv_parse(parser, base, bytes.count, fieldCallback, recordCallback, state)
        if parsed < bytes.count {
            switch csv_error(parser) {
            case CSV_ENOMEM, CSV_ETOOBIG: throw CSVError.outOfMemory(line: line, record: number)
            default: throw CSVError.malformedQuote(line: line, record: number)
            }
        }
        let records = state.pointee.records
        guard records.count == 1 else {
            throw CSVError.rejected(line: line, record: number,
                                    reason: "a carriage return outside quotes splits this line into \(records.count) records; offer files end lines with a line feed only")
        }
        try state.pointee.bytes.withUnsafeBufferPointer { fieldBytes in
            try state.pointee.fieldEnds.withUnsafeBufferPointer { ends in
                let view = CSVRecordView(number: number, line: line, base: fieldBytes.baseAddress,
                                         fieldEnds: UnsafeBufferPointer(rebasing: ends[0..<records[0].fieldEnd]),
                                         firstFieldStart: 0)
                try body(view)
            }
        }
    }
}
