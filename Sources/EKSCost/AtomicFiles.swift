import FileAccess
import Foundation

/// Writes files so that a reader, or a kill at any moment, never sees half a file: each is
/// written to a temporary file in the same folder (named `.ekscost-tmp-<pid>-<name>`), flushed
/// to disk, and renamed over the old one; then the folder itself is flushed, so the rename
/// survives a crash of the machine too. Nothing is renamed until every temporary file is
/// complete. Before writing, what killed runs left in the folder is removed
/// (`StaleTemporaries`). Snapshots (`pricing import`, `pricing fetch`) and the instance catalog
/// are written this way; for a set of files that must change together (a scenario's report),
/// see `ReportSet`.
package enum AtomicFiles {
    package struct WriteError: Error, CustomStringConvertible {
        package let path: String
        package let reason: String
        package var description: String { "cannot write \(path): \(reason)" }

        package init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }

        init(_ problem: FileProblem) { self.init(path: problem.path, reason: problem.reason) }

        /// A file system failure as a write error; any other error (a producer's) as it is.
        static func converting(_ error: any Error) -> any Error {
            (error as? FileProblem).map { WriteError($0) } ?? error
        }
    }

    /// What goes into one file: bytes at hand, or a producer that hands its bytes over in
    /// pieces (for files too large to hold in memory).
    package enum Content {
        case bytes([UInt8])
        case stream((_ write: ([UInt8]) throws -> Void) throws -> Void)
    }

    /// The prefix of every temporary name ekscost makes, so that a later run can recognise
    /// what a killed run left (`StaleTemporaries`).
    package static let temporaryPrefix = ".ekscost-"

    /// The one naming scheme of ekscost's temporaries: `.ekscost-<kind>-<pid>-<name>` (`tmp`
    /// for a file being written, `stage` and `old` for report folders, `fetch` for a download
    /// spool), which `StaleTemporaries` recognises.
    package static func temporaryName(_ kind: String, for name: String) -> String {
        "\(temporaryPrefix)\(kind)-\(ProcessInfo.processInfo.processIdentifier)-\(name)"
    }

    package static func write(_ files: [(path: String, bytes: [UInt8])]) throws {
        try write(contents: files.map { ($0.path, .bytes($0.bytes)) })
    }

    package static func write(contents files: [(path: String, content: Content)]) throws {
        var written: [(temporary: String, final: String)] = []
        var cleaned: Set<String> = []
        do {
            for file in files {
                let folder = (file.path as NSString).deletingLastPathComponent
                try createFolder(folder)
                if cleaned.insert(folder).inserted { StaleTemporaries.remove(in: folder.isEmpty ? "." : folder) }
                let name = (file.path as NSString).lastPathComponent
                let temporary = (folder.isEmpty ? "" : folder + "/") + temporaryName("tmp", for: name)
                try writeFlushed(file.content, to: temporary)
                written.append((temporary, file.path))
            }
            for file in written { try Folders.rename(file.temporary, to: file.final) }
            for folder in Set(written.map { ($0.final as NSString).deletingLastPathComponent }) {
                try flushFolder(folder.isEmpty ? "." : folder)
            }
        } catch {
            for file in written { try? FileManager.default.removeItem(atPath: file.temporary) }
            throw WriteError.converting(error)
        }
    }

    static func createFolder(_ folder: String) throws {
        guard !folder.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: folder, reason: "cannot create the folder (\(error.localizedDescription))")
        }
    }

    /// A temporary file of ours, created or truncated, open for writing; the caller closes it.
    /// A symbolic link or anything but a regular file planted at the name is refused.
    static func create(_ path: String) throws(WriteError) -> OutputFile {
        do {
            return try OutputFile.create(path)
        } catch {
            throw WriteError(error)
        }
    }

    /// Writes `content` to a new file at `path` and flushes it to disk; removes it on failure.
    static func writeFlushed(_ content: Content, to path: String) throws {
        let file = try create(path)
        defer { file.close() }
        do {
            switch content {
            case .bytes(let bytes): try file.write(bytes)
            case .stream(let producer): try producer { try file.write($0) }
            }
            try file.sync()
        } catch {
            file.remove()
            throw WriteError.converting(error)
        }
    }

    /// Flushes a folder's entries (new names, renames) to disk.
    static func flushFolder(_ folder: String) throws(WriteError) {
        do {
            try Folders.flush(folder)
        } catch {
            throw WriteError(error)
        }
    }
}
