#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opening input files without ever blocking: only regular files are opened. A folder, FIFO,
/// socket or device named as an input is refused at once with one clear reason, before any
/// `open` (opening a FIFO for reading blocks until a writer comes, which may be never). The
/// file is then opened non-blocking and checked again, so one swapped in between the check and
/// the open is refused too.
public enum RegularFile {
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public let path: String
        /// `is a folder, not a regular file`, `cannot be read: Permission denied`.
        public let reason: String
        /// There is nothing at the path.
        public var isMissing = false

        public init(path: String, reason: String, isMissing: Bool = false) {
            self.path = path
            self.reason = reason
            self.isMissing = isMissing
        }
        public var description: String { "\(path): \(reason)" }
    }

    /// Why `path` cannot be read as a regular file, or nil when it can be opened.
    public static func problem(_ path: String) -> Problem? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return Problem(path: path, reason: errno == ENOENT ? String(cString: strerror(errno)) : "cannot be read: \(String(cString: strerror(errno)))",
                           isMissing: errno == ENOENT)
        }
        if let kind = kindName(info.st_mode) { return Problem(path: path, reason: "is \(kind), not a regular file") }
        return nil
    }

    /// An open, blocking, read-only descriptor of the regular file at `path`; the caller closes it.
    public static func open(_ path: String) throws(Problem) -> Int32 {
        if let problem = problem(path) { throw problem }
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw Problem(path: path, reason: "cannot be read: \(String(cString: strerror(errno)))") }
        var info = stat()
        if fstat(fd, &info) != 0 || kindName(info.st_mode) != nil {
            close(fd)
            throw Problem(path: path, reason: "is not a regular file")
        }
        // Regular files never block; clear the flag so reads behave as usual.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    /// The whole file. For small inputs (YAML, JSON): memory grows with the file.
    public static func contents(_ path: String) throws(Problem) -> [UInt8] {
        let fd = try open(path)
        defer { close(fd) }
        var bytes: [UInt8] = []
        var info = stat()
        if fstat(fd, &info) == 0, info.st_size > 0, info.st_size < Int.max / 2 { bytes.reserveCapacity(Int(info.st_size)) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Problem(path: path, reason: "cannot be read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return bytes
    }

    /// The first `count` bytes of the file (fewer when it is shorter).
    public static func prefix(_ path: String, count: Int) throws(Problem) -> [UInt8] {
        let fd = try open(path)
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, count - got) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            got += n
        }
        return Array(bytes[0..<got])
    }

    /// `a folder`, `a FIFO`… for anything that is not a regular file.
    static func kindName(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        default: "not a file"
        }
    }
}

extension CSVError {
    /// Opens a regular file for reading, or throws `cannotOpen` with the reason.
    static func opening(_ path: String) throws(CSVError) -> Int32 {
        do {
            return try RegularFile.open(path)
        } catch {
            throw .cannotOpen(path: path, reason: error.reason)
        }
    }
}
