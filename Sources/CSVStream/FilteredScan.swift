import FileAccess

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
    /// Bytes per part of the file handed to one worker at a time: small enough that the
    /// workers end together (and follow a download closely), large enough that finding the
    /// cuts costs nothing.
    public var segmentBytes: Int
    /// Bytes read at a time; memory stays proportional to `workers × blockBytes`.
    public var blockBytes: Int
    /// A record longer than this is an error (almost always an unterminated quote).
    public var maxRecordBytes: Int

    public init(
        workers: Int = 2, segmentBytes: Int = 8 << 20, blockBytes: Int = 512 << 10, maxRecordBytes: Int = 16 << 20
    ) {
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
    /// Where the part was to end: records that start before it belong to it.
    var boundary = 0
    var records = 0
    var lines = 0
    /// The first problem, numbered from the start of the part.
    var error: CSVError?
}

/// Scans records from one offset to another through a fixed-size buffer: the index kernel
/// finds each record and its commas, the filter looks at the raw bytes, and only the records it
/// wants (and those whose raw form the kernel cannot vouch for) go through libcsv.
struct SegmentScanner: ~Copyable {
    let source: any ScanSource
    let fileSize: Int
    let expectedFields: Int
    let options: CSVScanOptions
    /// `capacity` bytes and 64 more, zero past the data, for the kernel's whole blocks.
    var buffer: UnsafeMutablePointer<UInt8>
    var capacity: Int
    var index: RecordIndex
    var parser: RecordParser
    /// Set when libcsv stopped on an error: its state is then undefined until it is made anew.
    var parserNeedsReset = false
    /// Bytes read so far.
    var bytesRead = 0
    /// Told the bytes of every block read, for progress.
    var onRead: ((Int) -> Void)?
    /// Told, after every read, the offset of the next (nothing before it is read again), for a
    /// source that forgets what its readers are done with.
    var onAdvance: ((Int) -> Void)?

    init(source: any ScanSource, fileSize: Int, expectedFields: Int, options: CSVScanOptions) throws {
        self.source = source
        self.fileSize = fileSize
        self.expectedFields = expectedFields
        self.options = options
        capacity = options.blockBytes
        buffer = .allocate(capacity: capacity + 64)
        index = RecordIndex(bytes: capacity)
        parser = try Self.makeParser(options)
    }

    static func makeParser(_ options: CSVScanOptions) throws -> RecordParser {
        var parser = try RecordParser(
            options: CSVReadOptions(chunkSize: 4096, strict: true, maxFieldBytes: options.maxRecordBytes),
            countsLines: false)
        parser.bomMatched = nil
        return parser
    }

    deinit {
        buffer.deallocate()
        parser.close()
    }

    /// Scans the records that start in `[start, boundary)` (a record that starts before
    /// `boundary` is read to its end, wherever that is).
    mutating func scan<Filter: CSVRecordFilter>(from start: Int, to boundary: Int, filter: inout Filter)
        -> SegmentOutcome
    {
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
        index.reset()
        var bufferOffset = start  // file offset of buffer[0]
        var valid = 0  // bytes read into the buffer
        var indexed = 0  // bytes indexed (past `valid` only for the padded last block)
        var walk = RecordWalk()  // walk.position: start of the current record in the buffer
        var atEOF = false
        while true {
            // 1. Every record whose line end the index has found.
            while let span = walk.next(index) {
                let line = outcome.lines + 1
                outcome.lines += 1 + span.embeddedLineFeeds
                if !span.isBlank {
                    outcome.records += 1
                    if let error = handle(span, number: outcome.records, line: line, filter: &filter) {
                        outcome.error = error
                        return outcome
                    }
                }
                if bufferOffset + walk.position >= boundary {
                    outcome.end = bufferOffset + walk.position
                    return outcome
                }
            }
            // 2. Index what has been read, in whole blocks; at the end of the file the zeros
            // after the data complete the last one.
            if valid - indexed >= 64 || (atEOF && indexed < valid) {
                let blocks = max(1, (valid - indexed) / 64)
                index.index(buffer, from: indexed, blocks: blocks)
                indexed += blocks * 64
                continue
            }
            if atEOF {
                if walk.position < valid {
                    let line = outcome.lines + 1
                    let record = outcome.records + 1
                    let error: CSVError =
                        index.insideQuotes
                        ? .unterminatedQuote(line: line, record: record)
                        : .truncatedRecord(line: line, record: record)
                    outcome.error = clarify(
                        error,
                        record: UnsafeRawBufferPointer(start: buffer + walk.position, count: valid - walk.position))
                    return outcome
                }
                outcome.end = bufferOffset + valid
                return outcome
            }
            // 3. Read more: drop the records done with, grow for a record longer than the buffer.
            if walk.position > 0 {
                let keep = valid - walk.position
                if keep > 0 { moveBytes(to: buffer, from: buffer + walk.position, count: keep) }
                bufferOffset += walk.position
                valid = keep
                indexed -= walk.position
                walk.dropConsumed(&index)
            }
            if valid == capacity {
                guard capacity < options.maxRecordBytes else {
                    let error = CSVError.recordTooLong(
                        line: outcome.lines + 1, record: outcome.records + 1, limit: options.maxRecordBytes)
                    outcome.error = clarify(error, record: UnsafeRawBufferPointer(start: buffer, count: valid))
                    return outcome
                }
                let grown = min(capacity * 2, options.maxRecordBytes)
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown + 64)
                bigger.update(from: buffer, count: valid)
                buffer.deallocate()
                buffer = bigger
                capacity = grown
                index.grow(to: grown)
            }
            // Up to the segment's end; past it, only what finishes the last record.
            let toBoundary = boundary - (bufferOffset + valid)
            let target = min(capacity, valid + max(toBoundary, 64 * 1024))
            // A file fills the buffer to `target`; a download gives what has come (64 KiB or more).
            let n: Int
            do {
                n = try source.read(
                    at: bufferOffset + valid,
                    into: UnsafeMutableRawBufferPointer(start: buffer + valid, count: target - valid))
            } catch {
                guard case .readFailed(_, let reason) = error else {
                    preconditionFailure("a read fails with readFailed")
                }
                outcome.error = .readFailed(path: "", reason: reason)
                return outcome
            }
            if n == 0 { atEOF = true }
            valid += n
            bytesRead += n
            onRead?(n)
            onAdvance?(bufferOffset + valid)
            if bufferOffset + valid >= fileSize { atEOF = true }
            (buffer + valid).initialize(repeating: 0, count: 64)
        }
    }

    /// A record that never ends (the input ends inside quotes, or no line end comes within the
    /// longest record allowed) is usually one stray quote that turned the rest of the input
    /// inside out: libcsv's strict parse of the record's bytes says so when it finds one.
    mutating func clarify(_ error: CSVError, record bytes: UnsafeRawBufferPointer) -> CSVError {
        switch error {
        case .unterminatedQuote(let line, let record), .recordTooLong(let line, let record, _):
            guard !bytes.isEmpty else { return error }
            parserNeedsReset = true
            return parser.refuses(bytes) ? .malformedQuote(line: line, record: record) : error
        default:
            return error
        }
    }

    /// Looks at one record: skipped on the filter's word, else parsed and visited.
    mutating func handle<Filter: CSVRecordFilter>(_ span: RecordSpan, number: Int, line: Int, filter: inout Filter)
        -> CSVError?
    {
        if span.wellFormed {
            guard span.fields == expectedFields else {
                return .raggedRecord(line: line, record: number, expected: expectedFields, found: span.fields)
            }
            if !filter.wants(span.raw(buffer)) { return nil }
        }
        let bytes = UnsafeRawBufferPointer(start: buffer + span.start, count: span.end + 1 - span.start)
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
