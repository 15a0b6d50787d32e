package import EKSModel
import Foundation

/// Exit statuses, documented in docs/diagnostics.md.
package enum ExitStatus: Int32, Sendable {
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
package struct CommandResult: Sendable {
    package var stdout: String = ""
    package var diagnostics: [Diagnostic] = []
    /// Plain lines for stderr (summaries of what was done or not done).
    package var messages: [String] = []
    package var status: ExitStatus = .success

    package init() {}

    /// Everything for stderr, diagnostics first.
    package var stderrLines: [String] { diagnostics.map(\.description) + messages }

    /// Writes `files`, each folder's files as one report set (`ReportSet`), and only once all
    /// are ready; on failure records the error and exit status 74 and returns false.
    mutating func writeAll(_ files: [(path: String, bytes: [UInt8])]) -> Bool {
        var folders: [String] = []
        var sets: [String: [(name: String, bytes: [UInt8])]] = [:]
        for file in files {
            let folder = (file.path as NSString).deletingLastPathComponent
            if sets[folder] == nil { folders.append(folder) }
            sets[folder, default: []].append(((file.path as NSString).lastPathComponent, file.bytes))
        }
        do {
            for folder in folders { try ReportSet.replace(in: folder, files: sets[folder]!) }
            return true
        } catch {
            messages.append("ekscost: \(error)")
            status = .outputError
            return false
        }
    }

    /// Writes `files` one by one atomically (`AtomicFiles`: temporary file, flushed, renamed,
    /// folder flushed; stale temporaries of the folder removed first), renaming none until all
    /// are complete: for snapshots and the catalog, which live in a folder with other files.
    /// On failure records the error and exit status 74 and returns false.
    mutating func writeFiles(_ files: [(path: String, content: AtomicFiles.Content)]) -> Bool {
        do {
            try AtomicFiles.write(contents: files)
            return true
        } catch {
            messages.append("ekscost: \(error)")
            status = .outputError
            return false
        }
    }

    /// When the diagnostics hold errors: says how many and what was not done (`no report
    /// written`), sets exit status 1 and returns true, so the command stops there.
    mutating func stopsOnErrors(_ consequence: String?) -> Bool {
        guard diagnostics.hasErrors else { return false }
        let count = diagnostics.errors.count
        messages.append("ekscost: \(count) error\(count == 1 ? "" : "s")" + (consequence.map { "; \($0)" } ?? ""))
        status = .inputError
        return true
    }

    /// The result of a command stopped by errors in its inputs.
    static func stopped(by diagnostics: [Diagnostic], _ consequence: String) -> CommandResult {
        var result = CommandResult()
        result.diagnostics = diagnostics
        _ = result.stopsOnErrors(consequence)
        result.status = .inputError
        return result
    }

    static func failure(_ diagnostics: [Diagnostic], _ message: String? = nil) -> CommandResult {
        var result = CommandResult()
        result.diagnostics = diagnostics
        if let message { result.messages.append(message) }
        result.status = .inputError
        return result
    }
}
