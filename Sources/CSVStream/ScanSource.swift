import FileAccess
import Foundation

/// The bytes a scan reads: a file on disk (`FileSource`), or a download held in memory while it
/// is scanned (`StreamedBytes`).
public protocol ScanSource: AnyObject, Sendable {
    /// What messages call it: the file's path, or the URL being downloaded.
    var path: String { get }
    /// Its size in bytes: the file's, or the length the server announced.
    func size() throws(CSVError) -> Int
    /// Copies bytes from `offset` into `buffer`, waiting for them if they have not arrived; at
    /// least one byte unless `offset` is at the end (0). A download that stopped short throws.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int
    /// Whether the source forgets bytes the readers have released (`release(below:)`): then every
    /// reader must keep a hold on what it may still read.
    var forgets: Bool { get }
    /// No reader will read before `offset` again.
    func release(below offset: Int)
    /// The readers stop early (after an error of their own): whoever supplies the bytes may stop.
    func abandon()
}

extension ScanSource {
    /// Up to `count` bytes from `offset` (fewer at the end); a download that stopped first throws.
    public func bytes(at offset: Int, count: Int) throws(CSVError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, count), alignment: 16)
        defer { buffer.deallocate() }
        var got = 0
        while got < count {
            let n = try read(at: offset + got, into: UnsafeMutableRawBufferPointer(rebasing: buffer[got..<count]))
            if n == 0 { break }
            got += n
        }
        return Array(buffer[..<got])
    }
}

/// A regular file on disk, read with pread(2); it keeps every byte.
public final class FileSource: ScanSource {
    let file: RegularFile
    public var path: String { file.path }

    /// Opens the file, or throws `cannotOpen` with the reason; `close()` it when done.
    public init(path: String) throws(CSVError) {
        file = try CSVError.opening(path)
    }

    public func size() throws(CSVError) -> Int {
        try CSVError.reading(file) { (file) throws(FileProblem) in try file.size() }
    }

    /// Fills `buffer` as far as the file goes.
    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
        try CSVError.reading(file) { (file) throws(FileProblem) in try file.readFully(at: offset, into: buffer) }
    }

    public var forgets: Bool { false }
    public func release(below offset: Int) {}
    public func abandon() {}
    public func close() { file.close() }
}

/// A download scanned as it arrives, never written to disk: the downloading thread copies the
/// body into a ring of `capacity` bytes allocated once (its pages reused for the whole body, so
/// the kernel allocates no page per byte as it does for a spool file), and the scan's readers
/// copy out of it.
///
/// The writer blocks while the ring is full, that is while writing would overwrite bytes at or
/// past the lowest offset a reader may still read (`release(below:)` moves it on); readers block
/// until their bytes have arrived. The ring must hold what the readers need at once (the scan
/// checks it: `ParallelCSVScan.ringBytesNeeded`), else they would wait for each other forever.
///
/// The writer announces the length (`begin(size:)`, nil when the server announced none: the
/// body is then spooled to a file instead and this is unused), appends the body's pieces, and
/// says when it stops (`finish`), early or not. Readers that give up (`abandon`) make `append`
/// return false.
public final class StreamedBytes: ScanSource, @unchecked Sendable {
    public let path: String
    public let capacity: Int
    private let ring: UnsafeMutableRawPointer
    private let condition = NSCondition()
    // Shared, under `condition`.
    private var begun = false
    private var announced: Int?
    /// Bytes the readers may read.
    private var published = 0
    private var finished = false
    private var abandoned = false
    /// Bytes before this offset are released; the writer may overwrite them.
    private var floor = 0
    private var writerWaiting = false
    // The writer's own.
    private var appended = 0
    private var lastPublished = DispatchTime.now().uptimeNanoseconds

    /// `path`: what messages call it (the URL).
    public init(path: String, capacity: Int = 64 << 20) {
        self.path = path
        self.capacity = max(1, capacity)
        ring = .allocate(byteCount: self.capacity, alignment: 64)
    }

    deinit { ring.deallocate() }

    // MARK: The writer's side

    /// The body's length, or nil when it is not known (the body is then not streamed here).
    public func begin(size: Int?) {
        condition.lock()
        begun = true
        announced = size
        condition.broadcast()
        condition.unlock()
    }

    /// Copies `piece` in, waiting while the ring is full; false when the readers abandoned it.
    /// The bytes are published to readers every megabyte, every 50 ms, and when the ring fills.
    public func append(_ piece: UnsafeRawBufferPointer) -> Bool {
        var rest = piece[...]
        while !rest.isEmpty {
            var room = capacity - (appended - floorSeen)
            if room <= 0 {
                condition.lock()
                published = appended
                condition.broadcast()
                while appended - floor >= capacity && !abandoned {
                    writerWaiting = true
                    condition.wait()
                }
                writerWaiting = false
                floorSeen = floor
                let stop = abandoned
                condition.unlock()
                if stop { return false }
                room = capacity - (appended - floorSeen)
            }
            let count = min(room, rest.count, capacity)
            copyIn(UnsafeRawBufferPointer(rebasing: rest.prefix(count)))
            appended += count
            rest = rest.dropFirst(count)
        }
        let now = DispatchTime.now().uptimeNanoseconds
        if appended - publishedSeen >= 1 << 20 || now - lastPublished >= 50_000_000 {
            lastPublished = now
            condition.lock()
            published = appended
            floorSeen = floor
            let stop = abandoned
            condition.broadcast()
            condition.unlock()
            publishedSeen = appended
            if stop { return false }
        }
        return true
    }
    /// The writer's last look at `floor` and at what it published.
    private var floorSeen = 0
    private var publishedSeen = 0

    private func copyIn(_ bytes: UnsafeRawBufferPointer) {
        let at = appended % capacity
        let first = min(bytes.count, capacity - at)
        (ring + at).copyMemory(from: bytes.baseAddress!, byteCount: first)
        if first < bytes.count { ring.copyMemory(from: bytes.baseAddress! + first, byteCount: bytes.count - first) }
    }

    /// No more bytes will come (the body is complete, or the download failed).
    public func finish() {
        condition.lock()
        published = appended
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Whether the readers gave up: downloading more is wasted.
    public var isAbandoned: Bool {
        condition.lock()
        defer { condition.unlock() }
        return abandoned
    }

    // MARK: The readers' side

    /// Waits until the writer has begun or stopped; the announced length, nil when there is none
    /// (the download stopped first, or the body is not streamed).
    public func announcedSize() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !begun && !finished { condition.wait() }
        return announced
    }

    /// Bytes received so far, without waiting.
    public var bytesReceived: Int {
        condition.lock()
        defer { condition.unlock() }
        return published
    }

    public func size() throws(CSVError) -> Int {
        if let size = announcedSize() { return size }
        throw stoppedShort(size: nil)
    }

    /// Bytes a read waits for at most before it copies what has come.
    public static let readAhead = 64 << 10

    /// Waits for up to `readAhead` bytes from `offset` (or to the end), then copies what has arrived.
    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
        let size = try self.size()
        guard offset < size, !buffer.isEmpty else { return 0 }
        condition.lock()
        let wanted = min(offset + min(buffer.count, Self.readAhead), size)
        while published < wanted && !finished { condition.wait() }
        let (available, released) = (published - offset, floor)
        condition.unlock()
        guard offset >= released else {
            throw .readFailed(
                path: path,
                reason: "bytes from \(offset) were read already and are no longer held (\(released) bytes released)")
        }
        guard available > 0 else { throw stoppedShort(size: size) }
        // The bytes stay put while being copied: this reader's hold keeps the floor at or below `offset`.
        let count = min(available, buffer.count, capacity)
        let at = offset % capacity
        let first = min(count, capacity - at)
        buffer.baseAddress!.copyMemory(from: ring + at, byteCount: first)
        if first < count { (buffer.baseAddress! + first).copyMemory(from: ring, byteCount: count - first) }
        return count
    }

    func stoppedShort(size: Int?) -> CSVError {
        condition.lock()
        while !finished { condition.wait() }
        let received = published
        condition.unlock()
        return .readFailed(
            path: path, reason: "the download stopped at \(received) bytes" + (size.map { " of \($0)" } ?? ""))
    }

    public var forgets: Bool { true }

    public func release(below offset: Int) {
        condition.lock()
        if offset > floor {
            floor = offset
            if writerWaiting { condition.broadcast() }
        }
        condition.unlock()
    }

    public func abandon() {
        condition.lock()
        abandoned = true
        condition.broadcast()
        condition.unlock()
    }
}
