import FileAccess

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

    /// `body` of the bytes of field `index` (quotes removed, doubled quotes collapsed).
    public func withBytes<T>(at index: Int, _ body: (Span<UInt8>) throws -> T) rethrows -> T {
        try body(bytes(at: index).span)
    }

    /// Whether field `index` equals `bytes` byte for byte.
    public func field(_ index: Int, equals bytes: [UInt8]) -> Bool {
        let field = self.bytes(at: index)
        guard field.count == bytes.count else { return false }
        return field.isEmpty
            || bytes.withUnsafeBufferPointer { bytesEqual(field.baseAddress!, $0.baseAddress!, count: field.count) }
    }

    /// The raw bytes of field `index` (quotes removed, doubled quotes collapsed).
    func bytes(at index: Int) -> UnsafeBufferPointer<UInt8> {
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
        return bytesEqual(field.baseAddress!, literal.utf8Start, count: field.count)
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
            let file = try CSVError.opening(path)
            defer { file.close() }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: options.chunkSize, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let n = try CSVError.reading(file) { (file) throws(FileProblem) in try file.read(into: buffer) }
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
