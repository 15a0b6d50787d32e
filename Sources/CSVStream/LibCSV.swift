import CLibCSV

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// The only Swift file that sees C: libcsv, and the index kernel in Sources/CLibCSV/shim.h.

/// The C library's byte comparison (vectorised), for fields compared without decoding them.
@inline(__always)
func bytesEqual(_ first: UnsafeRawPointer, _ second: UnsafeRawPointer, count: Int) -> Bool {
    memcmp(first, second, count) == 0
}

/// The C library's overlapping copy, for moving unread bytes to the front of a buffer.
@inline(__always)
func moveBytes(to target: UnsafeMutableRawPointer, from source: UnsafeRawPointer, count: Int) {
    memmove(target, source, count)
}

/// Owns one libcsv parser at a stable heap address and turns its callbacks (C functions that
/// copy each field into `ekscsv_records`) into records.
struct RecordParser {
    let parser: UnsafeMutablePointer<csv_parser>
    let collected: UnsafeMutablePointer<ekscsv_records>
    let options: CSVReadOptions
    var recordsDelivered = 0
    /// Bytes of a leading UTF-8 byte order mark matched so far; nil once past the start.
    var bomMatched: Int? = 0

    /// `countsLines`: false when records are parsed one at a time with their line given
    /// (`parseRecord`), so no field is searched for line feeds.
    init(options: CSVReadOptions, countsLines: Bool = true) throws {
        self.options = options
        parser = .allocate(capacity: 1)
        var flags = UInt8(CSV_REPALL_NL | CSV_APPEND_NULL)
        if options.strict { flags |= UInt8(CSV_STRICT | CSV_STRICT_FINI) }
        guard csv_init(parser, flags) == 0 else {
            parser.deallocate()
            throw CSVError.outOfMemory(line: 1, record: 1)
        }
        // RFC 4180: blanks around an unquoted field belong to it.
        csv_set_space_func(parser, ekscsv_no_space)
        collected = .allocate(capacity: 1)
        collected.initialize(to: ekscsv_records())
        collected.pointee.line = 1
        collected.pointee.count_lines = countsLines ? 1 : 0
    }

    func close() {
        csv_free(parser)
        parser.deallocate()
        ekscsv_records_free(collected)
        collected.deallocate()
    }

    mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (CSVRecordView) throws -> Void) throws {
        var chunk = chunk
        if let matched = bomMatched {
            // A UTF-8 byte order mark is not data (libcsv would leave it in the first field).
            // It may arrive split over chunks of a byte or two.
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            var seen = matched
            var used = 0
            while seen < 3, used < chunk.count, chunk[used] == bom[seen] {
                seen += 1
                used += 1
            }
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
        let parsed = csv_parse(parser, base, chunk.count, ekscsv_records_field, ekscsv_records_record, collected)
        if collected.pointee.out_of_memory != 0 {
            throw CSVError.outOfMemory(line: currentLine, record: recordsDelivered + 1)
        }
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
        var line = collected.pointee.line + collected.pointee.embedded_line_feeds
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
        let startLine = collected.pointee.line
        let status = csv_fini(parser, ekscsv_records_field, ekscsv_records_record, collected)
        if collected.pointee.out_of_memory != 0 {
            throw CSVError.outOfMemory(line: startLine, record: recordsDelivered + 1)
        }
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
        let found = collected.pointee
        guard found.record_count > 0 else { return }
        var firstField = 0
        for index in 0..<found.record_count {
            let fieldEnd = found.record_ends[index]
            recordsDelivered += 1
            let view = CSVRecordView(
                number: recordsDelivered, line: found.record_lines[index], base: UnsafePointer(found.bytes),
                fieldEnds: UnsafeBufferPointer(start: found.field_ends + firstField, count: fieldEnd - firstField),
                firstFieldStart: firstField == 0 ? 0 : found.field_ends[firstField - 1])
            try body(view)
            firstField = fieldEnd
        }
        ekscsv_records_keep_partial(collected)
    }

    /// Parses the bytes of exactly one record, line end included, and hands it to `body` under
    /// the given number and line.
    mutating func parseRecord(
        _ bytes: UnsafeRawBufferPointer, number: Int, line: Int,
        _ body: (CSVRecordView) throws -> Void
    ) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        defer { ekscsv_records_clear(collected) }
        let parsed = csv_parse(parser, base, bytes.count, ekscsv_records_field, ekscsv_records_record, collected)
        if collected.pointee.out_of_memory != 0 { throw CSVError.outOfMemory(line: line, record: number) }
        if parsed < bytes.count {
            switch csv_error(parser) {
            case CSV_ENOMEM, CSV_ETOOBIG: throw CSVError.outOfMemory(line: line, record: number)
            default: throw CSVError.malformedQuote(line: line, record: number)
            }
        }
        let found = collected.pointee
        guard found.record_count == 1 else {
            throw CSVError.rejected(
                line: line, record: number,
                reason:
                    "a carriage return outside quotes splits this line into \(found.record_count) records; offer files end lines with a line feed only"
            )
        }
        try body(
            CSVRecordView(
                number: number, line: line, base: UnsafePointer(found.bytes),
                fieldEnds: UnsafeBufferPointer(start: found.field_ends, count: found.record_ends[0]),
                firstFieldStart: 0))
    }

    /// Whether libcsv's strict parse stops on these bytes (a malformed quote). The parser's
    /// state is undefined afterwards: make a new one.
    func refuses(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
        defer { ekscsv_records_clear(collected) }
        return csv_parse(parser, base, bytes.count, ekscsv_records_field, ekscsv_records_record, collected)
            < bytes.count
    }
}

/// RFC 4180 quoting of one field by libcsv: the field in quotes, inner quotes doubled.
func appendQuoted(_ field: [UInt8], to bytes: inout [UInt8]) {
    field.withUnsafeBytes { source in
        let size = csv_write2(nil, 0, source.baseAddress, source.count, UInt8(CSV_QUOTE))
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: size))
        bytes.withUnsafeMutableBytes { out in
            _ = csv_write2(out.baseAddress! + start, size, source.baseAddress, source.count, UInt8(CSV_QUOTE))
        }
    }
}

/// The positions the index kernel found in a byte buffer: commas and line feeds outside quotes,
/// and events (bytes that break libcsv's strict quoting, carriage returns outside quotes, line
/// feeds inside quotes), all as offsets from the buffer's start, in order.
///
/// Every array holds one entry per byte of the buffer, plus room for the kernel's unrolled
/// writes; pages are touched only as entries are written.
struct RecordIndex: ~Copyable {
    /// The kernels, slowest first: eight bytes at a time in integers (any CPU), AVX2, AVX-512.
    enum Kernel: Int32, CaseIterable {
        case portable = 0, avx2, avx512
    }

    /// The fastest kernel this machine runs, or the one `EKSCOST_SCAN_KERNEL` names (portable,
    /// avx2, avx512: for benchmarks; never one the machine lacks).
    static let best: Kernel = {
        let fastest = Kernel(rawValue: ekscsv_kernel_level()) ?? .portable
        guard let name = getenv("EKSCOST_SCAN_KERNEL").map({ String(cString: $0) }),
            let asked = Kernel.allCases.first(where: { "\($0)" == name })
        else { return fastest }
        return asked.rawValue <= fastest.rawValue ? asked : fastest
    }()

    /// The kernels this machine runs.
    static var available: [Kernel] { Kernel.allCases.filter { $0.rawValue <= ekscsv_kernel_level() } }

    private var state = ekscsv_index()
    let kernel: Kernel
    /// Bytes of buffer the arrays are sized for.
    private(set) var capacity: Int

    init(bytes: Int, kernel: Kernel = RecordIndex.best) {
        self.kernel = kernel
        capacity = bytes
        let entries = bytes + 128
        state.commas = .allocate(capacity: entries)
        state.line_ends = .allocate(capacity: entries)
        state.line_commas = .allocate(capacity: entries)
        state.events = .allocate(capacity: entries)
        reset()
    }

    deinit {
        state.commas.deallocate()
        state.line_ends.deallocate()
        state.line_commas.deallocate()
        state.events.deallocate()
    }

    /// Empty, at the start of a record outside quotes.
    mutating func reset() {
        state.comma_count = 0
        state.line_count = 0
        state.event_count = 0
        state.inside = 0
        state.prev_special = 1
        state.prev_closing = 0
    }

    var commas: UnsafePointer<UInt32> { UnsafePointer(state.commas) }
    var lineEnds: UnsafePointer<UInt32> { UnsafePointer(state.line_ends) }
    var lineCommas: UnsafePointer<UInt32> { UnsafePointer(state.line_commas) }
    var events: UnsafePointer<UInt32> { UnsafePointer(state.events) }
    var lineCount: Int { Int(state.line_count) }
    var eventCount: Int { Int(state.event_count) }
    /// Whether the bytes indexed so far end inside a quoted field.
    var insideQuotes: Bool { state.inside != 0 }

    /// Indexes the 64-byte blocks of `base` from `from`; `from + 64 × blocks` must not pass the
    /// capacity plus 64, and the bytes must be readable.
    mutating func index(_ base: UnsafePointer<UInt8>, from: Int, blocks: Int) {
        precondition(from >= 0 && from + blocks * 64 <= capacity + 64, "index past the buffer")
        ekscsv_index_blocks(&state, base, UInt32(from), UInt32(blocks), kernel.rawValue)
    }

    /// Forgets the line ends (all of them consumed), the commas before `commaCursor` and the
    /// events before `eventCursor`, and moves what is left `shift` bytes back, as the buffer's
    /// bytes were.
    mutating func drop(shift: Int, commaCursor: Int, eventCursor: Int) {
        let delta = UInt32(shift)
        let commaCount = Int(state.comma_count)
        for index in commaCursor..<commaCount { state.commas[index - commaCursor] = state.commas[index] - delta }
        state.comma_count = UInt32(commaCount - commaCursor)
        let eventCount = Int(state.event_count)
        for index in eventCursor..<eventCount { state.events[index - eventCursor] = state.events[index] - (delta << 1) }
        state.event_count = UInt32(eventCount - eventCursor)
        state.line_count = 0
    }

    /// Makes room for a buffer of `bytes`, keeping what was found.
    mutating func grow(to bytes: Int) {
        guard bytes > capacity else { return }
        let entries = bytes + 128
        func moved(_ old: UnsafeMutablePointer<UInt32>, _ count: UInt32) -> UnsafeMutablePointer<UInt32> {
            let new = UnsafeMutablePointer<UInt32>.allocate(capacity: entries)
            new.update(from: old, count: Int(count))
            old.deallocate()
            return new
        }
        state.commas = moved(state.commas, state.comma_count)
        state.line_ends = moved(state.line_ends, state.line_count)
        state.line_commas = moved(state.line_commas, state.line_count)
        state.events = moved(state.events, state.event_count)
        capacity = bytes
    }
}
