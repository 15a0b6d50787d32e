import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// A new file of ekscost's own (a temporary that becomes a report, a snapshot or a download
/// spool), open for writing through swift-system's `FileDescriptor`. Writes retry when
/// interrupted and always write everything; `sync()` flushes the file to disk.
package struct OutputFile: Sendable {
    package let path: String
    let descriptor: FileDescriptor

    /// Creates (or truncates) the file at `path`. A symbolic link or anything but a regular
    /// file planted at the name is refused, so a temporary name cannot be turned into a write
    /// elsewhere.
    package static func create(_ path: String) throws(FileProblem) -> OutputFile {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(
                FilePath(path), .writeOnly, options: [.create, .truncate, .closeOnExec, .noFollow, .nonBlocking],
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            throw FileProblem(path: path, reason: FileProblem.reason(error as? Errno ?? .ioError))
        }
        guard let status = try? descriptor.stat(), status.type == .regular else {
            try? descriptor.close()
            throw FileProblem(path: path, reason: "it is not a regular file")
        }
        _ = fcntl(descriptor.rawValue, F_SETFL, fcntl(descriptor.rawValue, F_GETFL) & ~O_NONBLOCK)
        return OutputFile(path: path, descriptor: descriptor)
    }

    /// Writes all of `bytes`.
    package func write(_ bytes: UnsafeRawBufferPointer) throws(FileProblem) {
        do {
            _ = try descriptor.writeAll(bytes)
        } catch {
            throw FileProblem(path: path, reason: FileProblem.reason(error as? Errno ?? .ioError))
        }
    }

    package func write(_ bytes: [UInt8]) throws(FileProblem) {
        try FileProblem.typed { try bytes.withUnsafeBytes { try write($0) } }
    }

    /// Flushes what was written to disk (`fsync`; swift-system has no call for it).
    package func sync() throws(FileProblem) {
        while fsync(descriptor.rawValue) != 0 {
            if errno == EINTR { continue }
            throw FileProblem(path: path, reason: String(cString: strerror(errno)))
        }
    }

    package func close() { try? descriptor.close() }

    /// Removes the file (a temporary given up).
    package func remove() { unlink(path) }
}
