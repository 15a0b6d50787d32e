import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes a set of files so that a reader never sees half a file: each is written to a
/// temporary file in the same folder, flushed, and renamed over the old one. Nothing is
/// renamed until every temporary file is complete.
public enum AtomicFiles {
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    public static func write(_ files: [(path: String, bytes: [UInt8])]) throws {
        var written: [(temporary: String, final: String)] = []
        do {
            for file in files {
                let folder = (file.path as NSString).deletingLastPathComponent
                if !folder.isEmpty {
                    do {
                        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    } catch {
                        throw WriteError(path: folder, reason: "cannot create the folder (\(error.localizedDescription))")
                    }
                }
                let name = (file.path as NSString).lastPathComponent
                let temporary = (folder.isEmpty ? "" : folder + "/") + ".\(name).\(getpid()).tmp"
                try writeFlushed(file.bytes, to: temporary)
                written.append((temporary, file.path))
            }
            for file in written {
                guard rename(file.temporary, file.final) == 0 else {
                    throw WriteError(path: file.final, reason: String(cString: strerror(errno)))
                }
            }
        } catch {
            for file in written { unlink(file.temporary) }
            throw error
        }
    }

    static func writeFlushed(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                unlink(path)
                throw WriteError(path: path, reason: reason)
            }
            offset += n
        }
        guard fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw WriteError(path: path, reason: reason)
        }
    }
}
