/// Where something was written in a user's file: 1-based line and column.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int?
    /// 1-based document number in a multi-document YAML file, when there are several.
    public var document: Int?

    public init(file: String, line: Int, column: Int? = nil, document: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.document = document
    }

    /// `file:line` or `file:line:column`, the form editors and CI annotate.
    public var description: String {
        if let column { return "\(file):\(line):\(column)" }
        return "\(file):\(line)"
    }
}

/// A problem found in the user's input, reported as a value so one run can report them all.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning, note
    }

    public var severity: Severity
    /// Lower-case, no final period, says what was expected.
    public var message: String
    public var location: SourceLocation?

    public init(_ severity: Severity, _ message: String, at location: SourceLocation? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    public static func error(_ message: String, at location: SourceLocation? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: location)
    }

    public static func warning(_ message: String, at location: SourceLocation? = nil) -> Diagnostic {
        Diagnostic(.warning, message, at: location)
    }

    /// `file:line:column: error: message`, with the document number when it matters.
    public var description: String {
        var text = ""
        if let location {
            text = "\(location): "
            if let document = location.document { text += "(document \(document)) " }
        }
        return text + "\(severity.rawValue): \(message)"
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errors: [Diagnostic] { filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { filter { $0.severity == .warning } }
}
