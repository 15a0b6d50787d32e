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

    /// Line the problem was found on, when it concerns the content.
    public var line: Int? {
        switch self {
        case .cannotOpen, .readFailed: nil
        case .malformedQuote(let line, _), .unterminatedQuote(let line, _),
             .fieldTooLong(let line, _, _), .outOfMemory(let line, _): line
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
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, _), .readFailed(let path, _): "\(path): error: \(message)"
        default: "line \(line ?? 0): error: \(message)"
        }
    }
}
