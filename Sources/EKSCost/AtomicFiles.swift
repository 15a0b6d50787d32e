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

    /// What goes into one file: bytes at hand, or a producer that hands its bytes over in
    /// pieces (for files too large to hold in memory).
    public enum Content {
        case bytes([UInt8])
        case stream((_ write: ([UInt8]) throws -> Void) throws -> Void)
    }

    public static func write(_ files: [(path: String, bytes: [UInt8])]) throws {
        try write(contents: files.map { ($0.path, .bytes($0.bytes)) })
    }

    public static func write(contents files: [(path: String, content: Content)]) throws {
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
                switch file.content {
                case .bytes(let bytes): try writeFlushed(bytes, to: temporary)
                case .stream(let producer): try writeFlushed(producer, to: temporary)
                }
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
        try writeFlushed({ try $0(bytes) }, to: path)
    }

    static func writeFlushed(_ producer: (([UInt8]) throws -> Void) throws -> Void, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
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
            try producer(append)
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
}
