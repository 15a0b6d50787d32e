import Foundation

/// A file that another thread is still writing (a download being spooled), so that it can be
/// scanned while it arrives: readers wait here for the bytes they need.
///
/// The writer announces the final size once it knows it (`expect`), reports each batch of
/// bytes written (`grew`), and says when it stops (`finish`), early or not. A reader that is
/// done with the file early (it found an error) says so with `abandon`, and the writer may stop.
public final class GrowingFile: @unchecked Sendable {
    private let condition = NSCondition()
    private var size: Int?
    private var written = 0
    private var finished = false
    private var abandoned = false

    public init() {}

    // MARK: The writer's side

    /// The size the file will have (a Content-Length).
    public func expect(size: Int) {
        condition.lock()
        self.size = size
        condition.broadcast()
        condition.unlock()
    }

    /// `bytes` are now written in all, and readable.
    public func grew(to bytes: Int) {
        condition.lock()
        written = bytes
        condition.broadcast()
        condition.unlock()
    }

    /// No more bytes will come (the file is complete, or the writing failed).
    public func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Whether the reader gave up on the file: writing more is wasted.
    public var isAbandoned: Bool {
        condition.lock()
        defer { condition.unlock() }
        return abandoned
    }

    // MARK: The reader's side

    /// Bytes written so far, without waiting.
    public var bytesWritten: Int {
        condition.lock()
        defer { condition.unlock() }
        return written
    }

    /// Waits until the final size is announced; nil when the writing stopped first (no size
    /// was announced, or it failed before).
    public func expectedSize() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while size == nil && !finished { condition.wait() }
        return size
    }

    /// Waits until at least `count` bytes are written, or the writing stopped; returns the
    /// bytes written. Fewer than `count` means no more will come.
    public func waitFor(_ count: Int) -> Int {
        condition.lock()
        defer { condition.unlock() }
        while written < count && !finished { condition.wait() }
        return written
    }

    /// The reader stops reading (after an error of its own).
    public func abandon() {
        condition.lock()
        abandoned = true
        condition.unlock()
    }
}
