import CSVStream
public import EKSModel
import FileAccess

/// Input files as diagnostics see them: a folder, FIFO, socket or device named where a file is
/// expected, or a file that cannot be read, is one located error at once, and nothing is ever
/// opened in a way that could block (`RegularFile`).
public enum InputFile {
    /// Why `path` cannot be read as `what` (`scenario`, `load curve`…), or nil when it can.
    public static func problem(_ path: String, what: String) -> Diagnostic? {
        RegularFile.problem(path).map { diagnostic($0, what: what) }
    }

    /// The file's text, or a located error saying why it cannot be read.
    public static func text(_ path: String, what: String) -> (text: String?, diagnostic: Diagnostic?) {
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.contents(path)
        } catch {
            return (nil, diagnostic(error, what: what))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return (nil, .error("\(what) is not UTF-8 text", at: SourceLocation(file: path, line: 1)))
        }
        return (text, nil)
    }

    static func diagnostic(_ problem: RegularFile.Problem, what: String) -> Diagnostic {
        .error(
            "cannot open \(what): \(problem.isMissing ? "no such file" : problem.reason)",
            at: SourceLocation(file: problem.path, line: 1))
    }
}
