import CSVStream
import EKSModel

/// The bundled data files (price snapshots, the instance catalog) are CSV tables with a fixed
/// header. This reads one: a first row other than `columns` stops with an error saying what the
/// file is not; each later row with the right number of fields goes to `row`, which reports its
/// problems through the closure it is given. Every problem carries the file and line.
enum HeaderedTable {
    static func read(
        path: String, columns: [String], kind: String,
        row: (_ fields: [String], _ line: Int, _ report: (String) -> Void) throws -> Void
    ) -> [Diagnostic] {
        read(CSVReader(path: path), file: path, columns: columns, kind: kind, row: row)
    }

    /// The same for a table held in memory or any reader; `path` names it in diagnostics.
    static func read(
        _ reader: CSVReader, file path: String, columns: [String], kind: String,
        row: (_ fields: [String], _ line: Int, _ report: (String) -> Void) throws -> Void
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        func error(_ line: Int, _ message: String) {
            diagnostics.append(.error(message, at: SourceLocation(file: path, line: line)))
        }
        let readingProblems = CSVFileProblems.whileReading(path) {
            try reader.forEachRecord { record in
                if record.number == 1 {
                    if record.strings != columns {
                        error(record.line, "not \(kind): the header must be \(columns.joined(separator: ","))")
                        throw StopReading()
                    }
                    return
                }
                guard record.count == columns.count else {
                    error(record.line, "expected \(columns.count) fields, found \(record.count)")
                    return
                }
                try row(record.strings, record.line) { error(record.line, $0) }
            }
        }
        diagnostics += readingProblems
        return diagnostics
    }
}

/// Thrown from a record callback to stop reading a file early.
struct StopReading: Error {}

enum CSVFileProblems {
    /// Runs `read` and turns what it throws into a diagnostic at the file's line: libcsv's and
    /// the reader's errors with their line, anything else at line 1; `StopReading` is no error.
    static func whileReading(_ path: String, _ read: () throws -> Void) -> [Diagnostic] {
        do {
            try read()
        } catch is StopReading {
        } catch let error as CSVError {
            return [.error(error.message, at: SourceLocation(file: path, line: error.line ?? 1))]
        } catch {
            return [.error("\(error)", at: SourceLocation(file: path, line: 1))]
        }
        return []
    }
}
