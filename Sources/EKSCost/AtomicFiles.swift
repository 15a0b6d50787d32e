import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes files so that a reader, or a kill at any moment, never sees half a file: each is
/// written to a temporary file in the same folder (named `.ekscost-tmp-<pid>-<name>`), flushed
/// to disk, and renamed over the old one; then the folder itself is flushed, so the rename
/// survives a crash of the machine too. Nothing is renamed until every temporary file is
/// complete. Before writing, what killed runs left in the folder is removed
/// (`StaleTemporaries`). Snapshots (`pricing import`, `pricing fetch`) and the instance catalog
/// are written this way; for a set of files that must change together (a scenario's report),
/// see `ReportSet`.
public enum AtomicFiles {
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// What goes into one file: bytes at hand, or a producer that hands its bytes over in
    /// pieces (for files too large to hold in memory).
    public enum Content {
        case bytes([UInt8])
        case stream((_ write: ([UInt8]) throws -> Void) throws -> Void)
    }

    /// The prefix of every temporary name ekscost makes, so that a later run can recognise
    /// what a killed run left (`StaleTemporaries`).
    public static let temporaryPrefix = ".ekscost-"

    /// The one naming scheme of ekscost's temporaries: `.ekscost-<kind>-<pid>-<name>` (`tmp`
    /// for a file being written, `stage` and `old` for report folders, `fetch` for a download
    /// spool), which `StaleTemporaries` recognises.
    public static func temporaryName(_ kind: String, for name: String) -> String {
        "\(temporaryPrefix)\(kind)-\(getpid())-\(name)"
    }

    public static func write(_ files: [(path: String, bytes: [UInt8])]) throws {
        try write(contents: files.map { ($0.path, .bytes($0.bytes)) })
    }

    public static func write(contents files: [(path: String, content: Content)]) throws {
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
            for file in written {
                guard rename(file.temporary, file.final) == 0 else {
                    throw WriteError(path: file.final, reason: String(cString: strerror(errno)))
                }
            }
            for folder in Set(written.map { ($0.final as NSString).deletingLastPathComponent }) {
                try flushFolder(folder.isEmpty ? "." : folder)
            }
        } catch {
            for file in written { unlink(file.temporary) }
            throw error
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
    static func create(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o644)
        guard fd >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw WriteError(path: path, reason: "it is not a regular file")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    /// Writes `content` to a new file at `path` and flushes it to disk; removes it on failure.
    static func writeFlushed(_ content: Content, to path: String) throws {
        let fd = try create(path)
        defer { close(fd) }
        func append(_ bytes: [UInt8]) throws {
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw WriteError(path: path, reason: String(cString: strerror(errno)))
                }
                offset += n
            }
        }
        do {
            switch content {
            case .bytes(let bytes): try append(bytes)
            case .stream(let producer): try producer(append)
            }
        } catch {
            unlink(path)
            throw error
        }
        guard fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw WriteError(path: path, reason: reason)
        }
    }

    /// Flushes a folder's entries (new names, renames) to disk.
    static func flushFolder(_ folder: String) throws {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw WriteError(path: folder, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        // Some file systems cannot flush a folder (EINVAL); the rename is done all the same.
        if fsync(fd) != 0 && errno != EINVAL && errno != EROFS {
            throw WriteError(path: folder, reason: String(cString: strerror(errno)))
        }
    }
}
