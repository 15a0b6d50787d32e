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

    /// Writes `count` empty fields.
    public mutating func writeEmptyFields(_ count: Int) {
        for _ in 0..<count {
            if fieldsInRecord > 0 { bytes.append(0x2C) }
            fieldsInRecord += 1
        }
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
