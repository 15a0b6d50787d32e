import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// Why a path cannot be read (or written) as ekscost needs: the path, the reason, and whether
/// there is nothing there at all.
package struct FileProblem: Error, Sendable, Hashable, CustomStringConvertible {
    package let path: String
    /// `is a folder, not a regular file`, `cannot be read: Permission denied`.
    package let reason: String
    /// There is nothing at the path.
    package var isMissing = false

    package init(path: String, reason: String, isMissing: Bool = false) {
        self.path = path
        self.reason = reason
        self.isMissing = isMissing
    }

    package var description: String { "\(path): \(reason)" }

    /// `No such file or directory`: the C library's wording, which users know.
    static func reason(_ errno: Errno) -> String { String(cString: strerror(errno.rawValue)) }

    /// Runs `body`, whose only errors are `FileProblem`s, keeping that type (a closure passed
    /// through a `rethrows` function such as `withUnsafeBytes` loses it).
    static func typed<T>(_ body: () throws -> T) throws(FileProblem) -> T {
        do {
            return try body()
        } catch let problem as FileProblem {
            throw problem
        } catch {
            throw FileProblem(path: "", reason: "\(error)")
        }
    }
}

/// A regular input file open for reading, through swift-system's `FileDescriptor`: only regular files
/// are opened. A folder, FIFO, socket or device named as an input is refused at once with one
/// clear reason, before any `open` (opening a FIFO for reading blocks until a writer comes,
/// which may be never). The file is then opened non-blocking and checked again, so one swapped
/// in between the check and the open is refused too. Reads retry when interrupted (EINTR).
package struct RegularFile: Sendable {
    package typealias Problem = FileProblem

    package let path: String
    let descriptor: FileDescriptor

    /// Why `path` cannot be read as a regular file, or nil when it can be opened.
    package static func problem(_ path: String) -> FileProblem? {
        let status: Stat
        do {
            status = try FilePath(path).stat()
        } catch {
            let missing = error == .noSuchFileOrDirectory
            return FileProblem(
                path: path,
                reason: missing ? FileProblem.reason(error) : "cannot be read: \(FileProblem.reason(error))",
                isMissing: missing)
        }
        if let kind = FileKind.name(status.type) {
            return FileProblem(path: path, reason: "is \(kind), not a regular file")
        }
        return nil
    }

    /// Opens the regular file at `path` for reading; `close()` it when done.
    package static func open(_ path: String) throws(FileProblem) -> RegularFile {
        if let problem = problem(path) { throw problem }
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(
                FilePath(path), .readOnly,
                options: [.nonBlocking, .closeOnExec, FileDescriptor.OpenOptions(rawValue: O_NOCTTY)])
        } catch {
            throw FileProblem(path: path, reason: "cannot be read: \(FileProblem.reason(error as? Errno ?? .ioError))")
        }
        guard let status = try? descriptor.stat(), FileKind.name(status.type) == nil else {
            try? descriptor.close()
            throw FileProblem(path: path, reason: "is not a regular file")
        }
        // Regular files never block; clear the flag so reads behave as usual.
        _ = fcntl(descriptor.rawValue, F_SETFL, fcntl(descriptor.rawValue, F_GETFL) & ~O_NONBLOCK)
        return RegularFile(path: path, descriptor: descriptor)
    }

    /// The file's size in bytes now.
    package func size() throws(FileProblem) -> Int {
        do {
            return Int(try descriptor.stat().size)
        } catch {
            throw FileProblem(path: path, reason: "cannot be read: \(FileProblem.reason(error))")
        }
    }

    /// Reads at the current position into `buffer`; 0 at the end of the file.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileProblem) -> Int {
        do {
            return try descriptor.read(into: buffer)
        } catch {
            throw FileProblem(path: path, reason: "cannot be read: \(FileProblem.reason(error as? Errno ?? .ioError))")
        }
    }

    /// Reads at `offset` (the position stays where it was) into `buffer`; 0 at the end.
    package func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(FileProblem) -> Int {
        do {
            return try descriptor.read(fromAbsoluteOffset: Int64(offset), into: buffer)
        } catch {
            throw FileProblem(path: path, reason: "cannot be read: \(FileProblem.reason(error as? Errno ?? .ioError))")
        }
    }

    /// Fills `buffer` from `offset` as far as the file goes; the bytes read.
    package func readFully(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(FileProblem) -> Int {
        var got = 0
        while got < buffer.count {
            let n = try read(at: offset + got, into: UnsafeMutableRawBufferPointer(rebasing: buffer[got...]))
            if n == 0 { break }
            got += n
        }
        return got
    }

    /// Up to `count` bytes from `offset` (fewer at the end of the file).
    package func bytes(at offset: Int, count: Int) throws(FileProblem) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = try FileProblem.typed { try bytes.withUnsafeMutableBytes { try readFully(at: offset, into: $0) } }
        bytes.removeLast(count - got)
        return bytes
    }

    package func close() { try? descriptor.close() }

    /// The whole file. For small inputs (YAML, JSON): memory grows with the file.
    package static func contents(_ path: String) throws(FileProblem) -> [UInt8] {
        let file = try open(path)
        defer { file.close() }
        var bytes: [UInt8] = []
        if let size = try? file.size(), size > 0, size < Int.max / 2 { bytes.reserveCapacity(size) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = try FileProblem.typed { try buffer.withUnsafeMutableBytes { try file.read(into: $0) } }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return bytes
    }

    /// The first `count` bytes of the file (fewer when it is shorter).
    package static func prefix(_ path: String, count: Int) throws(FileProblem) -> [UInt8] {
        let file = try open(path)
        defer { file.close() }
        return try file.bytes(at: 0, count: count)
    }
}

/// What kind of thing sits at a path, in words, for anything that is not a regular file.
enum FileKind {
    static func name(_ type: FileType) -> String? {
        switch type {
        case .regular: nil
        case .directory: "a folder"
        case .fifo: "a FIFO (named pipe)"
        case .socket: "a socket"
        case .characterSpecial: "a character device"
        case .blockSpecial: "a block device"
        default: "not a file"
        }
    }
}
