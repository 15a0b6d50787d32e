/// One record found in a byte buffer by the index kernel (`RecordIndex`), not decoded: its
/// bytes and the commas between its fields. Valid only during the call it is handed to.
///
/// A `RawRecord` is given out only for a record that is well-formed RFC 4180 (every quote
/// opens a field, closes it or is doubled inside it; no carriage return outside quotes) with
/// the expected number of fields, so comparing a field's raw bytes with a literal that holds no
/// quote is exact: the field is the literal either quoted (`"Linux"`) or not (`Linux`).
@frozen public struct RawRecord {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let start: Int
    /// Offset of the line feed that ends the record.
    @usableFromInline let end: Int
    /// Offsets from `base` of the `count - 1` commas between the fields.
    @usableFromInline let commas: UnsafePointer<UInt32>
    /// Number of fields.
    public let count: Int

    @inlinable init(base: UnsafePointer<UInt8>, start: Int, end: Int, commas: UnsafePointer<UInt32>, count: Int) {
        self.base = base
        self.start = start
        self.end = end
        self.commas = commas
        self.count = count
    }

    /// Start and end offsets of field `index`: after the comma before it, up to the comma
    /// after it (or the line feed).
    @inlinable @inline(__always)
    func bounds(_ index: Int) -> (from: Int, to: Int) {
        precondition(index >= 0 && index < count, "field \(index) of a record of \(count)")
        let from = index == 0 ? start : Int(commas[index &- 1]) &+ 1
        let to = index == count &- 1 ? end : Int(commas[index])
        return (from, to)
    }

    /// The raw bytes of field `index`, quotes and all.
    func rawField(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let (from, to) = bounds(index)
        return UnsafeBufferPointer(start: base + from, count: to &- from)
    }

    /// `body` of the value of field `index` when reading it needs no unescaping (an unquoted
    /// field, or a quoted one with no quote inside, its quotes left out); nil for a field with a
    /// doubled quote.
    @inlinable public func withPlainField<T>(_ index: Int, _ body: (Span<UInt8>) throws -> T) rethrows -> T? {
        guard let field = plainField(index) else { return nil }
        return try body(field.span)
    }

    /// The value of field `index` when reading it needs no unescaping; nil for a field with a
    /// doubled quote.
    @inlinable func plainField(_ index: Int) -> UnsafeBufferPointer<UInt8>? {
        var (from, to) = bounds(index)
        if to &- from >= 2, base[from] == 0x22 {
            from &+= 1
            to &-= 1
            var at = from
            while at < to {
                if base[at] == 0x22 { return nil }
                at &+= 1
            }
        }
        return UnsafeBufferPointer(start: base + from, count: to &- from)
    }

    /// Whether field `index` holds exactly `literal`, which must not contain a quote.
    @inlinable @inline(__always)
    public func field(_ index: Int, equals literal: StaticString) -> Bool {
        field(index, equalsBuffer: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Whether field `index` holds exactly `bytes`, which must not contain a quote.
    @inlinable @inline(__always)
    public func field(_ index: Int, equals bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { field(index, equalsBuffer: $0) }
    }

    @inlinable @inline(__always)
    func field(_ index: Int, equalsBuffer bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var (from, to) = bounds(index)
        let n = bytes.count
        if to &- from == n &+ 2 {
            guard base[from] == 0x22, base[to &- 1] == 0x22 else { return false }
            from &+= 1
        } else if to &- from != n {
            return false
        }
        guard let literal = bytes.baseAddress else { return true }
        return Self.equal(UnsafeRawPointer(base + from), UnsafeRawPointer(literal), count: n)
    }

    /// Whether `count` bytes at `a` and `b` are equal. Literals are short (a column value such
    /// as "Compute Instance"): whole words, the last one overlapping the one before, beat both a
    /// loop over bytes and a call to memcmp.
    @inlinable @inline(__always)
    static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        if count >= 8 {
            var at = 0
            while at &+ 8 < count {
                if a.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                    != b.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                {
                    return false
                }
                at &+= 8
            }
            return a.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
                == b.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        }
        if count >= 4 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
                    == b.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        }
        var at = 0
        while at < count {
            if a.load(fromByteOffset: at, as: UInt8.self) != b.load(fromByteOffset: at, as: UInt8.self) {
                return false
            }
            at &+= 1
        }
        return true
    }

    /// The whole record, line feed included.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base + start, count: end &+ 1 &- start) }
}

/// Where one record lies in a buffer, as the index found it.
struct RecordSpan {
    var start: Int
    /// Offset of the line feed that ends it.
    var end: Int
    /// Fields as the commas outside quotes count them.
    var fields: Int
    /// Quoted as libcsv's strict mode wants, with no carriage return outside quotes: the raw
    /// fields are then exactly what libcsv would make of them.
    var wellFormed: Bool
    var embeddedLineFeeds: Int
    /// Its commas, in the index.
    var commas: UnsafePointer<UInt32>

    /// A blank line: no record.
    var isBlank: Bool { end == start }

    func raw(_ base: UnsafePointer<UInt8>) -> RawRecord {
        RawRecord(base: base, start: start, end: end, commas: commas, count: fields)
    }
}

/// A walk over the records of a `RecordIndex`, in order, from a record start.
struct RecordWalk {
    /// Start of the next record.
    var position = 0
    var commaCursor = 0
    var lineCursor = 0
    var eventCursor = 0

    /// The next record whose line feed the index has found.
    @inline(__always)
    mutating func next(_ index: borrowing RecordIndex) -> RecordSpan? {
        guard lineCursor < index.lineCount else { return nil }
        let end = Int(index.lineEnds[lineCursor])
        let commaEnd = Int(index.lineCommas[lineCursor])
        lineCursor &+= 1
        var wellFormed = true
        var embedded = 0
        let events = index.events
        while eventCursor < index.eventCount, Int(events[eventCursor] >> 1) <= end {
            if events[eventCursor] & 1 == 0 { wellFormed = false } else { embedded &+= 1 }
            eventCursor &+= 1
        }
        let span = RecordSpan(
            start: position, end: end, fields: commaEnd &- commaCursor &+ 1, wellFormed: wellFormed,
            embeddedLineFeeds: embedded, commas: index.commas + commaCursor)
        position = end &+ 1
        commaCursor = commaEnd
        return span
    }

    /// After the buffer's bytes before `position` are dropped: the index keeps what the rest
    /// needs, renumbered.
    mutating func dropConsumed(_ index: inout RecordIndex) {
        index.drop(shift: position, commaCursor: commaCursor, eventCursor: eventCursor)
        position = 0
        commaCursor = 0
        lineCursor = 0
        eventCursor = 0
    }
}

/// Records of bytes already in memory (the head of a file, tests).
enum RecordSplitter {
    /// Calls `body` with each record of `base[0..<count]` that ends with a line feed, blank
    /// lines included, until it returns false. `base` must be readable, and zero, for 64 bytes
    /// past `count`. Returns where the records handed out end and whether the bytes end inside
    /// quotes.
    static func forEach(
        in base: UnsafePointer<UInt8>, count: Int, kernel: RecordIndex.Kernel = RecordIndex.best,
        _ body: (RecordSpan) throws -> Bool
    ) rethrows -> (rest: Int, insideQuotes: Bool) {
        var index = RecordIndex(bytes: count + 64, kernel: kernel)
        index.index(base, from: 0, blocks: (count + 63) / 64)
        var walk = RecordWalk()
        while let span = walk.next(index), span.end < count {
            guard try body(span) else { break }
        }
        // (A line feed past `count` cannot be: the padding is zeros.)
        return (walk.position, index.insideQuotes)
    }
}
