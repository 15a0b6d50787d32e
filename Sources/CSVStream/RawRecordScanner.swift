#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One record found in a byte buffer by `RawRecordScanner`, not decoded: its bytes and where
/// its fields start and end. Valid only during the call it is handed to.
///
/// The scanner gives out a `RawRecord` only for a record that is well-formed RFC 4180 (every
/// quote opens a field, closes it or is doubled inside it) with the expected number of fields,
/// so comparing a field's raw bytes with a literal that holds no quote is exact: the field is
/// the literal either quoted (`"Linux"`) or not (`Linux`).
@frozen public struct RawRecord {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let start: Int
    /// Offset of the line feed that ends the record.
    @usableFromInline let end: Int
    /// One mask per 8-byte word from `start`: the high bit of each byte that is a comma
    /// between fields.
    @usableFromInline let separators: UnsafePointer<UInt64>
    /// Number of fields.
    public let count: Int
    /// Where the last lookup stopped, so lookups in ascending field order walk the masks once.
    @usableFromInline let cursor: UnsafeMutablePointer<Cursor>

    /// A word and the number of commas in the words before it.
    @usableFromInline struct Cursor {
        @usableFromInline var word = 0
        @usableFromInline var before = 0
        @usableFromInline init() {}
        @usableFromInline init(word: Int, before: Int) {
            self.word = word
            self.before = before
        }
    }

    @inlinable init(base: UnsafePointer<UInt8>, start: Int, end: Int, separators: UnsafePointer<UInt64>, count: Int,
                    cursor: UnsafeMutablePointer<Cursor>) {
        self.base = base
        self.start = start
        self.end = end
        self.separators = separators
        self.count = count
        self.cursor = cursor
        cursor.pointee = Cursor()
    }

    /// Commas in one word's mask.
    @inlinable @inline(__always)
    static func separatorCount(_ mask: UInt64) -> Int {
        Int(truncatingIfNeeded: ((mask >> 7) &* 0x0101_0101_0101_0101) >> 56)
    }

    /// Start and end offsets of field `index`: after the comma before it, up to the comma
    /// after it (or the line feed).
    @inlinable
    func bounds(_ index: Int) -> (from: Int, to: Int) {
        precondition(index >= 0 && index < count, "field \(index) of a record of \(count)")
        var word = 0
        var bits = separators[0]
        var from = start
        if index > 0 {
            // Commas before the one that opens the field, counted from the cursor when it is
            // not past that comma.
            var before = 0
            if cursor.pointee.before <= index &- 1 {
                word = cursor.pointee.word
                before = cursor.pointee.before
                bits = separators[word]
            }
            var skip = index &- 1 &- before
            while true {
                let n = RawRecord.separatorCount(bits)
                if skip < n { break }
                skip &-= n
                before &+= n
                word &+= 1
                bits = separators[word]
            }
            cursor.pointee = Cursor(word: word, before: before)
            while skip > 0 {
                bits &= bits &- 1
                skip &-= 1
            }
            from = start &+ (word << 3) &+ (bits.trailingZeroBitCount >> 3) &+ 1
            bits &= bits &- 1
        }
        if index == count &- 1 { return (from, end) }
        while bits == 0 {
            word &+= 1
            bits = separators[word]
        }
        return (from, start &+ (word << 3) &+ (bits.trailingZeroBitCount >> 3))
    }

    /// The raw bytes of field `index`, quotes and all.
    @inlinable public func rawField(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let (from, to) = bounds(index)
        return UnsafeBufferPointer(start: base + from, count: to &- from)
    }

    /// Whether field `index` holds exactly `literal`, which must not contain a quote.
    @inlinable public func field(_ index: Int, equals literal: StaticString) -> Bool {
        field(index, equals: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Whether field `index` holds exactly `bytes`, which must not contain a quote.
    @inlinable public func field(_ index: Int, equals bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let (from, to) = bounds(index)
        let length = to &- from
        let n = bytes.count
        if length == n &+ 2 {
            guard base[from] == 0x22, base[to &- 1] == 0x22 else { return false }
            return n == 0 || memcmp(base + (from &+ 1), bytes.baseAddress!, n) == 0
        }
        if length == n {
            return n == 0 || memcmp(base + from, bytes.baseAddress!, n) == 0
        }
        return false
    }

    /// The whole record, line feed included.
    public var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base + start, count: end &+ 1 &- start) }
}

/// Finds record boundaries and field separators in raw CSV bytes, eight bytes at a time,
/// without decoding anything.
///
/// Quote parity decides what is inside a quoted field: every quote toggles it, so a doubled
/// quote inside a field toggles twice and a line feed or comma between an odd number of
/// quotes belongs to a field. The same pass checks the quoting rules libcsv's strict mode
/// enforces (an opening quote starts a field, a closing quote is followed by a comma, a line
/// feed or a second quote), so a record this scanner calls well-formed is one libcsv would
/// split into exactly the same fields.
enum RawRecordScanner {
    /// What scanning from a record's start found.
    enum Outcome {
        /// A record ending with the line feed at `end`.
        case record(end: Int, fields: Int, wellFormed: Bool, embeddedLineFeeds: Int)
        /// The data ran out before the record ended; `insideQuotes` tells whether it ran out
        /// inside a quoted field.
        case incomplete(insideQuotes: Bool)
    }

    static let high: UInt64 = 0x8080_8080_8080_8080
    static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    static let quotes: UInt64 = 0x2222_2222_2222_2222
    static let commas: UInt64 = 0x2C2C_2C2C_2C2C_2C2C
    static let lineFeeds: UInt64 = 0x0A0A_0A0A_0A0A_0A0A

    /// The high bit of every byte of `word` equal to the byte repeated in `pattern`; exact,
    /// with no false positives from borrows.
    @inline(__always)
    static func matches(_ word: UInt64, _ pattern: UInt64) -> UInt64 {
        let y = word ^ pattern
        return ~(((y & low7) &+ low7) | y | low7)
    }

    /// Scans the record that starts at `start` (outside any quote). `base` must stay readable,
    /// and hold no line feed, quote or comma, for 8 bytes past `limit`: callers pad with zeros.
    /// One separator mask per word goes to `separators`; a record of more than `capacity`
    /// words is reported as not well-formed (it goes to libcsv).
    static func scan(_ base: UnsafePointer<UInt8>, from start: Int, limit: Int,
                     separators: UnsafeMutablePointer<UInt64>, capacity: Int) -> Outcome {
        let raw = UnsafeRawPointer(base)
        var offset = start
        var word = 0
        var inside: UInt64 = 0                 // all high bits set when the last word ended inside quotes
        var previousSpecialTop: UInt64 = 0x80  // the byte before the record counts as a line end
        var previousClosingTop: UInt64 = 0
        var bad: UInt64 = 0
        var fields = 1
        var embedded = 0
        while offset < limit {
            let bytes = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
            let q = matches(bytes, quotes), c = matches(bytes, commas), l = matches(bytes, lineFeeds)
            // Prefix XOR of the quote bits: the high bit of a byte is set when, after it, the
            // scan is inside a quoted field.
            var x = q
            x ^= x << 8
            x ^= x << 16
            x ^= x << 32
            x ^= inside
            let special = q | c | l
            let previousSpecial = (special << 8) | previousSpecialTop
            let closing = q & ~x
            let afterClosing = (closing << 8) | previousClosingTop
            // An opening quote must follow a comma, a line end or a closing quote (a doubled
            // quote); a closing quote must be followed by a comma, a line end or a quote.
            var wrong = (q & x & ~previousSpecial) | (afterClosing & ~special)
            var separatorBits = c & ~x
            let ends = l & ~x
            var quotedLineFeeds = l & x
            if ends != 0 {
                let first = ends & (0 &- ends)
                let upTo = first | (first &- 1)
                separatorBits &= upTo
                wrong &= upTo
                quotedLineFeeds &= upTo
            }
            bad |= wrong
            if quotedLineFeeds != 0 { embedded &+= RawRecord.separatorCount(quotedLineFeeds) }
            separators[min(word, capacity &- 1)] = separatorBits
            fields &+= RawRecord.separatorCount(separatorBits)
            word &+= 1
            if ends != 0 {
                let end = offset &+ ((ends & (0 &- ends)).trailingZeroBitCount >> 3)
                return .record(end: end, fields: fields, wellFormed: bad == 0 && word <= capacity,
                               embeddedLineFeeds: embedded)
            }
            inside = (0 &- (x >> 63)) & high
            previousSpecialTop = special >> 56
            previousClosingTop = closing >> 56
            offset &+= 8
        }
        // Parity at `limit`: the zero padding past it holds no quote.
        return .incomplete(insideQuotes: inside != 0)
    }
}
