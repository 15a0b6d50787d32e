import CLibCSV

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the reader treats its input.
public struct CSVReadOptions: Sendable {
    /// Bytes read and handed to libcsv at a time; memory stays proportional to this.
    public var chunkSize: Int
    /// Reject quotes inside unquoted fields, text after a closing quote and an unterminated
    /// quote at the end of the input (libcsv's CSV_STRICT and CSV_STRICT_FINI).
    public var strict: Bool
    /// A field longer than this is an error: it is almost always an unterminated quote that
    /// would otherwise swallow the rest of a multi-gigabyte file into one field.
    public var maxFieldBytes: Int

    public init(chunkSize: Int = 64 * 1024, strict: Bool = true, maxFieldBytes: Int = 16 * 1024 * 1024) {
        self.chunkSize = max(1, chunkSize)
        self.strict = strict
        self.maxFieldBytes = maxFieldBytes
    }
}

/// One record, as handed to a `CSVReader.forEachRecord` body.
///
/// The field bytes live in the reader's buffer and are valid only during the call: copy what
/// you keep (`string(at:)`, `strings`).
public struct CSVRecordView {
    /// 1-based number of the record in the input (blank lines are not records).
    public let number: Int
    /// 1-based line on which the record starts.
    public let line: Int
    let base: UnsafePointer<UInt8>?
    let fieldEnds: UnsafeBufferPointer<Int>
    let firstFieldStart: Int

    public var count: Int { fieldEnds.count }

    /// The raw bytes of field `index` (quotes removed, doubled quotes collapsed).
    public func bytes(at index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? firstFieldStart : fieldEnds[index - 1]
        let end = fieldEnds[index]
        guard let base else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base + start, count: end - start)
    }

    /// Field `index` decoded as UTF-8 (invalid sequences become U+FFFD).
    public func string(at index: Int) -> String {
        String(decoding: bytes(at: index), as: UTF8.self)
    }

    /// Whether field `index` equals `literal` byte for byte, without decoding it.
    public func field(_ index: Int, equals literal: StaticString) -> Bool {
        let field = bytes(at: index)
        guard field.count == literal.utf8CodeUnitCount else { return false }
        if field.isEmpty { return true }
        return memcmp(field.baseAddress!, literal.utf8Start, field.count) == 0
    }

    /// Every field decoded as UTF-8.
    public var strings: [String] { (0..<count).map(string(at:)) }

    /// A copy that outlives the call.
    public var record: CSVRecord { CSVRecord(number: number, line: line, fields: strings) }
}

/// A record copied out of the reader.
public struct CSVRecord: Sendable, Equatable {
    public let number: Int
    public let line: Int
    public let fields: [String]

    public init(number: Int, line: Int, fields: [String]) {
        self.number = number
        self.line = line
        self.fields = fields
    }
}

/// Streams CSV records through libcsv, a fixed-size chunk at a time, in constant memory.
///
/// Unlike bare libcsv it keeps blanks around unquoted fields (RFC 4180 says they belong to the
/// field), drops a leading UTF-8 byte order mark, counts lines so every record and every error
/// carries its line number, and accepts ragged rows (checking field counts is the caller's
/// business, since real offer files mix 2-field metadata rows with 90-field data rows).
public struct CSVReader {
    enum Source {
        case file(String)
        case bytes([UInt8])
    }

    let source: Source
    public let options: CSVReadOptions

    /// Reads the file at `path`.
    public init(path: String, options: CSVReadOptions = CSVReadOptions()) {
        self.source = .file(path)
        self.options = options
    }

    /// Reads bytes already in memory (tests, small inputs).
    public init(bytes: [UInt8], options: CSVReadOptions = CSVReadOptions()) {
        self.source = .bytes(bytes)
        self.options = options
    }

    /// Reads a string's UTF-8 bytes.
    public init(string: String, options: CSVReadOptions = CSVReadOptions()) {
        self.init(bytes: Array(string.utf8), options: options)
    }

    /// Calls `body` for every record, in order. An error thrown by `body` stops reading and is
    /// rethrown as it is.
    public func forEachRecord(_ body: (CSVRecordView) throws -> Void) throws {
        var parser = try RecordParser(options: options)
        defer { parser.close() }
        switch source {
        case .bytes(let bytes):
            var offset = 0
            repeat {
                let end = min(bytes.count, offset + options.chunkSize)
                try bytes.withUnsafeBytes { all in
                    try parser.feed(UnsafeRawBufferPointer(rebasing: all[offset..<end]), body)
                }
                offset = end
            } while offset < bytes.count
        case .file(let path):
            let fd = try CSVError.opening(path)
            defer { close(fd) }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: options.chunkSize, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let n = read(fd, buffer.baseAddress, options.chunkSize)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CSVError.readFailed(path: path, reason: String(cString: strerror(errno)))
                }
                if n == 0 { break }
                try parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), body)
            }
        }
        try parser.finish(body)
    }

    /// Every record, copied. For small inputs only: memory grows with the input.
    public func readAll() throws -> [CSVRecord] {
        var records: [CSVRecord] = []
        try forEachRecord { records.append($0.record) }
        return records
    }
}

/// What the C callbacks write into: the fields of the records completed so far in this chunk.
/// Reached through a stable pointer, never a class, so the callbacks pay no retain/release or
/// exclusivity checks.
struct ParseState {
    var bytes: [UInt8] = []
    /// End offset in `bytes` of every completed field, in order.
    var fieldEnds: [Int] = []
    /// For every completed record: (index one past its last field in `fieldEnds`, start line).
    var records: [(fieldEnd: Int, line: Int)] = []
    /// Line on which the record being read started.
    var line = 1
    /// Line feeds seen inside the fields of the record being read.
    var embeddedLineFeeds = 0
}

func fieldCallback(_ data: UnsafeMutableRawPointer?, _ length: Int, _ context: UnsafeMutableRawPointer?) {
    let state = context!.assumingMemoryBound(to: ParseState.self)
    if length > 0, let data {
        let field = UnsafeRawBufferPointer(start: data, count: length)
        state.pointee.bytes.append(contentsOf: field)
        if memchr(data, 0x0A, length) != nil {
            state.pointee.embeddedLineFeeds += field.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
    }
    state.pointee.fieldEnds.append(state.pointee.bytes.count)
}

func recordCallback(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
    let state = context!.assumingMemoryBound(to: ParseState.self)
    let fieldEnd = state.pointee.fieldEnds.count
    let previousEnd = state.pointee.records.last?.fieldEnd ?? 0
    if fieldEnd > previousEnd {
        state.pointee.records.append((fieldEnd, state.pointee.line))
    }
    // With CSV_REPALL_NL every line feed outside a field ends a line, including the LF of a
    // CRLF pair (reported as an empty row after the CR that ended the record).
    state.pointee.line += state.pointee.embeddedLineFeeds + (terminator == 0x0A ? 1 : 0)
    state.pointee.embeddedLineFeeds = 0
}

private func keepBlanks(_ c: UInt8) -> Int32 { 0 }

/// Owns one libcsv parser at a stable heap address and turns its callbacks into records.
struct RecordParser {
    let parser: UnsafeMutablePointer<csv_parser>
    let state: UnsafeMutablePointer<ParseState>
    let options: CSVReadOptions
    var recordsDelivered = 0
    /// Bytes of a leading UTF-8 byte order mark matched so far; nil once past the start.
    var bomMatched: Int? = 0

    init(options: CSVReadOptions) throws {
        self.options = options
        parser = .allocate(capacity: 1)
        var flags = UInt8(CSV_REPALL_NL | CSV_APPEND_NULL)
        if options.strict { flags |= UInt8(CSV_STRICT | CSV_STRICT_FINI) }
        guard csv_init(parser, flags) == 0 else {
            parser.deallocate()
            throw CSVError.outOfMemory(line: 1, record: 1)
        }
        csv_set_space_func(parser, keepBlanks)
        state = .allocate(capacity: 1)
        state.initialize(to: ParseState())
        state.pointee.bytes.reserveCapacity(options.chunkSize * 2)
    }

    func close() {
        csv_free(parser)
        parser.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (CSVRecordView) throws -> Void) throws {
        var chunk = chunk
        if let matched = bomMatched {
            // A UTF-8 byte order mark is not data (libcsv would leave it in the first field).
            // It may arrive split over chunks of a byte or two.
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            var seen = matched
            var used = 0
            while seen < 3, used < chunk.count, chunk[used] == bom[seen] { seen += 1; used += 1 }
            if seen == 3 {
                bomMatched = nil
                chunk = UnsafeRawBufferPointer(rebasing: chunk[used...])
            } else if used == chunk.count {
                bomMatched = seen
                return
            } else {
                // Not a byte order mark: the bytes held back so far are data.
                bomMatched = nil
                if seen > 0 { try bom[0..<seen].withUnsafeBytes { try parse($0, body) } }
                chunk = UnsafeRawBufferPointer(rebasing: chunk[used...])
            }
        }
        try parse(chunk, body)
    }

    mutating func parse(_ chunk: UnsafeRawBufferPointer, _ body: (CSVRecordView) throws -> Void) throws {
        guard let base = chunk.baseAddress, !chunk.isEmpty else { return }
        let parsed = csv_parse(parser, base, chunk.count, fieldCallback, recordCallback, state)
        if parsed < chunk.count {
            try deliver(body)
            throw parseError()
        }
        if csv_get_buffer_size(parser) > options.maxFieldBytes {
            try deliver(body)
            throw CSVError.fieldTooLong(line: currentLine, record: recordsDelivered + 1, limit: options.maxFieldBytes)
        }
        try deliver(body)
    }

    /// The line the parser has reached inside the record being read.
    var currentLine: Int {
        var line = state.pointee.line + state.pointee.embeddedLineFeeds
        if let entry = parser.pointee.entry_buf {
            for i in 0..<parser.pointee.entry_pos where entry[i] == 0x0A { line += 1 }
        }
        return line
    }

    mutating func finish(_ body: (CSVRecordView) throws -> Void) throws {
        if let matched = bomMatched, matched > 0 {
            // The whole input was a prefix of a byte order mark: it is data.
            bomMatched = nil
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            try bom[0..<matched].withUnsafeBytes { try parse($0, body) }
        }
        let startLine = state.pointee.line
        let status = csv_fini(parser, fieldCallback, recordCallback, state)
        if status != 0 || csv_error(parser) != CSV_SUCCESS {
            try deliver(body)
            throw CSVError.unterminatedQuote(line: startLine, record: recordsDelivered + 1)
        }
        try deliver(body)
    }

    func parseError() -> CSVError {
        let record = recordsDelivered + 1
        switch csv_error(parser) {
        case CSV_ENOMEM, CSV_ETOOBIG: return .outOfMemory(line: currentLine, record: record)
        default: return .malformedQuote(line: currentLine, record: record)
        }
    }

    /// Hands every completed record to `body`, then keeps only the fields of the record still
    /// being read.
    mutating func deliver(_ body: (CSVRecordView) throws -> Void) throws {
        let records = state.pointee.records
        guard !records.isEmpty else { return }
        let lastFieldEnd = records.last!.fieldEnd
        try state.pointee.bytes.withUnsafeBufferPointer { bytes in
            try state.pointee.fieldEnds.withUnsafeBufferPointer { ends in
                var firstField = 0
                for record in records {
                    let start = firstField == 0 ? 0 : ends[firstField - 1]
                    recordsDelivered += 1
                    let view = CSVRecordView(
                        number: recordsDelivered, line: record.line, base: bytes.baseAddress,
                        fieldEnds: UnsafeBufferPointer(rebasing: ends[firstField..<record.fieldEnd]),
                        firstFieldStart: start)
                    try body(view)
                    firstField = record.fieldEnd
                }
            }
        }
        // Keep the partial record's fields, moved to the front.
        let keptByteStart = lastFieldEnd == 0 ? 0 : state.pointee.fieldEnds[lastFieldEnd - 1]
        let remainingEnds = state.pointee.fieldEnds[lastFieldEnd...].map { $0 - keptByteStart }
        state.pointee.bytes.removeSubrange(0..<keptByteStart)
        state.pointee.fieldEnds = Array(remainingEnds)
        state.pointee.records.removeAll(keepingCapacity: true)
    }
}
