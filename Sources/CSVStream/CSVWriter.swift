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
