import EKSModel

/// Exit statuses, documented in the README.
public enum ExitStatus: Int32, Sendable {
    case success = 0
    /// Input problems: nothing was written.
    case inputError = 1
    /// Reports written, but some pods could not be scheduled.
    case incompletePlan = 2
    /// Reports written, but a total is above `--budget`.
    case overBudget = 3
    /// Reports could not be written (disk full, permissions).
    case outputError = 74
}

/// What a command produced: results for stdout, diagnostics and messages for stderr.
public struct CommandResult: Sendable {
    public var stdout: String = ""
    public var diagnostics: [Diagnostic] = []
    /// Plain lines for stderr (summaries of what was done or not done).
    public var messages: [String] = []
    public var status: ExitStatus = .success

    public init() {}

    /// Everything for stderr, diagnostics first.
    public var stderrLines: [String] { diagnostics.map(\.description) + messages }

    /// Writes `files` atomically, all or none; on failure records the error and exit status 74
    /// and returns false.
    mutating func writeAll(_ files: [(path: String, bytes: [UInt8])]) -> Bool {
        do {
            try AtomicFiles.write(files)
            return true
        } catch {
            messages.append("ekscost: \(error)")
            status = .outputError
            return false
        }
    }

    static func failure(_ diagnostics: [Diagnostic], _ message: String? = nil) -> CommandResult {
        var result = CommandResult()
        result.diagnostics = diagnostics
        if let message { result.messages.append(message) }
        result.status = .inputError
        return result
    }
}
