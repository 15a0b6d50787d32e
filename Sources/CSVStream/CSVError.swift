import FileAccess

/// What can go wrong reading CSV. Every case that concerns the content names the line where
/// the offending record starts and its record number.
public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case readFailed(path: String, reason: String)
    /// A quote inside an unquoted field, or text after a closing quote.
    case malformedQuote(line: Int, record: Int)
    /// The input ended inside a quoted field.
    case unterminatedQuote(line: Int, record: Int)
    case fieldTooLong(line: Int, record: Int, limit: Int)
    case outOfMemory(line: Int, record: Int)
    /// A record with a different number of fields than the header.
    case raggedRecord(line: Int, record: Int, expected: Int, found: Int)
    /// The input ended in the middle of a record: no line feed after its last field.
    case truncatedRecord(line: Int, record: Int)
    /// No line end outside quotes within `limit` bytes.
    case recordTooLong(line: Int, record: Int, limit: Int)
    /// The record's content was refused by the code reading it (`CSVRecordFilter.visit`).
    case rejected(line: Int, record: Int, reason: String)

    /// Line the problem was found on, when it concerns the content.
    public var line: Int? {
        switch self {
        case .cannotOpen, .readFailed: nil
        case .malformedQuote(let line, _), .unterminatedQuote(let line, _),
            .fieldTooLong(let line, _, _), .outOfMemory(let line, _),
            .raggedRecord(let line, _, _, _), .truncatedRecord(let line, _),
            .recordTooLong(let line, _, _), .rejected(let line, _, _):
            line
        }
    }

    /// Number of the record the problem is in, when it concerns the content.
    public var record: Int? {
        switch self {
        case .cannotOpen, .readFailed: nil
        case .malformedQuote(_, let record), .unterminatedQuote(_, let record),
            .fieldTooLong(_, let record, _), .outOfMemory(_, let record),
            .raggedRecord(_, let record, _, _), .truncatedRecord(_, let record),
            .recordTooLong(_, let record, _), .rejected(_, let record, _):
            record
        }
    }

    /// The same problem with its line and record moved on by `lines` and `records` (for a
    /// part of a file scanned on its own, numbered from 1).
    public func shifted(records: Int, lines: Int) -> CSVError {
        switch self {
        case .cannotOpen, .readFailed: self
        case .malformedQuote(let l, let r): .malformedQuote(line: l + lines, record: r + records)
        case .unterminatedQuote(let l, let r): .unterminatedQuote(line: l + lines, record: r + records)
        case .fieldTooLong(let l, let r, let limit): .fieldTooLong(line: l + lines, record: r + records, limit: limit)
        case .outOfMemory(let l, let r): .outOfMemory(line: l + lines, record: r + records)
        case .raggedRecord(let l, let r, let e, let f):
            .raggedRecord(line: l + lines, record: r + records, expected: e, found: f)
        case .truncatedRecord(let l, let r): .truncatedRecord(line: l + lines, record: r + records)
        case .recordTooLong(let l, let r, let limit): .recordTooLong(line: l + lines, record: r + records, limit: limit)
        case .rejected(let l, let r, let reason): .rejected(line: l + lines, record: r + records, reason: reason)
        }
    }

    /// The message without a location, lower-case, no final period.
    public var message: String {
        switch self {
        case .cannotOpen(_, let reason): "cannot open: \(reason)"
        case .readFailed(_, let reason): "cannot read: \(reason)"
        case .malformedQuote(_, let record):
            "record \(record): malformed quoting (a quote inside an unquoted field, or text after a closing quote); quote the whole field and double any quote inside it"
        case .unterminatedQuote(_, let record):
            "record \(record): quoted field never closed before the end of the input (truncated file?)"
        case .fieldTooLong(_, let record, let limit):
            "record \(record): a field is longer than \(limit) bytes (an unterminated quote?)"
        case .outOfMemory(_, let record): "record \(record): out of memory while reading a field"
        case .raggedRecord(_, let record, let expected, let found):
            "record \(record): \(found) field\(found == 1 ? "" : "s") where the header has \(expected) (a ragged, cut or corrupt row)"
        case .truncatedRecord(_, let record):
            "record \(record): the input ends in the middle of this record, with no line feed after it (truncated file?)"
        case .recordTooLong(_, let record, let limit):
            "record \(record): no line end outside quotes within \(limit) bytes (an unterminated quote?)"
        case .rejected(_, let record, let reason): "record \(record): \(reason)"
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, _), .readFailed(let path, _): "\(path): error: \(message)"
        default: "line \(line ?? 0): error: \(message)"
        }
    }
}

extension CSVError {
    /// Opens a regular file for reading, or throws `cannotOpen` with the reason.
    static func opening(_ path: String) throws(CSVError) -> RegularFile {
        do {
            return try RegularFile.open(path)
        } catch {
            throw .cannotOpen(path: path, reason: error.reason)
        }
    }

    /// `read` on `file`, a failure as `readFailed` naming the file.
    static func reading<T>(_ file: RegularFile, _ read: (RegularFile) throws(FileProblem) -> T) throws(CSVError) -> T {
        do {
            return try read(file)
        } catch {
            throw .readFailed(path: file.path, reason: error.reason)
        }
    }
}
