/// Writes RFC 4180 CSV into memory: a field is quoted only when it must be (it holds a comma, a
/// quote, a line break, or leading / trailing blanks a spreadsheet would drop), with quotes
/// doubled by libcsv.
public struct CSVWriter: Sendable {
    public enum LineEnding: Sendable {
        /// RFC 4180's CRLF.
        case crlf
        /// LF, as AWS's offer files and most Unix tools write.
        case lf

        var bytes: [UInt8] { self == .crlf ? [0x0D, 0x0A] : [0x0A] }
    }

    public private(set) var bytes: [UInt8] = []
    let lineEnding: [UInt8]
    /// Fields written so far in the record `writeField` is building.
    private var fieldsInRecord = 0

    public init(lineEnding: LineEnding = .crlf) {
        self.lineEnding = lineEnding.bytes
    }

    public mutating func writeRecord(_ fields: [String]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(0x2C) }
            append(field)
        }
        bytes.append(contentsOf: lineEnding)
    }

    /// Writes one field of a record built field by field (wide rows of numbers, without an array of
    /// strings per row); `endRecord()` ends it.
    public mutating func writeField(_ field: String) {
        if fieldsInRecord > 0 { bytes.append(0x2C) }
        fieldsInRecord += 1
        append(field)
    }

    /// Writes an integer field, digits straight into the output.
    public mutating func writeField(_ value: Int) {
        // Comma, sign and up to 20 digits, written backwards into a small buffer, appended at once.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 22) { buffer in
            var at = 22
            var magnitude = value.magnitude
            repeat {
                at -= 1
                buffer[at] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                at -= 1
                buffer[at] = 0x2D
            }
            if fieldsInRecord > 0 {
                at -= 1
                buffer[at] = 0x2C
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[at..<22]))
        }
        fieldsInRecord += 1
    }

    /// Writes one integer field per value, as `writeField(_: Int)` writes each (integers never need
    /// quoting): the digits of a whole row's values go into one buffer, appended at once, so that a
    /// wide row of small numbers (capacity.csv's replica columns) costs a few instructions a field.
    public mutating func writeIntegerFields(_ values: [Int]) {
        guard !values.isEmpty else { return }
        // Per value a comma, a sign and up to 19 digits.
        let capacity = values.count * 21
        let first = fieldsInRecord == 0
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var at = 0
            values.withUnsafeBufferPointer { values in
                for value in values {
                    buffer[at] = 0x2C
                    at += 1
                    if value >= 0 && value < 10 {
                        buffer[at] = 0x30 &+ UInt8(truncatingIfNeeded: value)
                        at += 1
                    } else if value >= 10 && value < 100 {
                        buffer[at] = 0x30 &+ UInt8(truncatingIfNeeded: value / 10)
                        buffer[at + 1] = 0x30 &+ UInt8(truncatingIfNeeded: value % 10)
                        at += 2
                    } else {
                        at = Self.writeDigits(of: value, into: buffer, at: at)
                    }
                }
            }
            // No comma before a record's first field.
            let start = first ? 1 : 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<at]))
        }
        fieldsInRecord += values.count
    }

    /// Writes `value`'s sign and digits at `at`; returns the position after them.
    private static func writeDigits(of value: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int {
        var at = at
        if value < 0 {
            buffer[at] = 0x2D
            at += 1
        }
        var magnitude = value.magnitude
        var digits = 0
        repeat {
            digits += 1
            magnitude /= 10
        } while magnitude > 0
        magnitude = value.magnitude
        for offset in stride(from: digits - 1, through: 0, by: -1) {
            buffer[at + offset] = 0x30 + UInt8(magnitude % 10)
            magnitude /= 10
        }
        return at + digits
    }

    /// Writes `count` empty fields.
    public mutating func writeEmptyFields(_ count: Int) {
        guard count > 0 else { return }
        // A comma before each, but the record's first.
        bytes.append(contentsOf: repeatElement(0x2C, count: fieldsInRecord > 0 ? count : count - 1))
        fieldsInRecord += count
    }

    public mutating func endRecord() {
        bytes.append(contentsOf: lineEnding)
        fieldsInRecord = 0
    }

    public mutating func reserveCapacity(_ byteCount: Int) { bytes.reserveCapacity(byteCount) }

    /// One field as `writeRecord` writes it (quoted only when it must be).
    public static func encoded(_ field: String) -> [UInt8] {
        var writer = CSVWriter()
        writer.append(field)
        return writer.bytes
    }

    /// The output as a string (it is always valid UTF-8 when the fields were).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ field: String) {
        let utf8 = Array(field.utf8)
        guard Self.needsQuotes(utf8) else {
            bytes.append(contentsOf: utf8)
            return
        }
        appendQuoted(utf8, to: &bytes)
    }

    static func needsQuotes(_ utf8: [UInt8]) -> Bool {
        if let first = utf8.first, first == 0x20 || first == 0x09 { return true }
        if let last = utf8.last, last == 0x20 || last == 0x09 { return true }
        return utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
    }
}
