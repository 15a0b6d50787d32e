import Foundation

/// Wraps a closure that is only ever run on one thread at a time.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// What the workers of one scan share, under a lock: the next segment to scan, the results,
/// and the chain of segments known to start where the one before them ended. When a segment
/// of that chain has an error, that error is the scan's (as in a sequential scan): no further
/// segment is started, and a file still being written is abandoned.
final class ScanShared<Filter>: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private let count: Int
    private var outcomes: [SegmentOutcome?]
    private var filters: [Filter?]
    private var bytes = 0
    private var error: (any Error)?
    private let growing: GrowingFile?
    /// Segments before `chained` are known to start right; `chainEnd` is where the last of them ends.
    private var chained = 0
    private var chainEnd: Int
    private var stopped = false

    init(segments: Int, dataStart: Int, growing: GrowingFile?) {
        count = segments
        outcomes = Array(repeating: nil, count: segments)
        filters = Array(repeating: nil, count: segments)
        chainEnd = dataStart
        self.growing = growing
    }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < count, error == nil, !stopped else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }

    func finish(_ index: Int, outcome: SegmentOutcome, filter: Filter) {
        lock.lock()
        outcomes[index] = outcome
        filters[index] = filter
        // Extend the chain (the same test as the final merge); it stops at a wrong guess,
        // which only the merge rescans.
        while chained < count, let next = outcomes[chained] {
            if next.boundary <= chainEnd {
                chained += 1
                continue
            }
            guard next.start == chainEnd else { break }
            if next.error != nil {
                stopped = true
                break
            }
            chainEnd = max(chainEnd, next.end)
            chained += 1
        }
        let abandon = stopped
        lock.unlock()
        if abandon { growing?.abandon() }
    }

    func read(_ count: Int) {
        lock.lock()
        bytes += count
        lock.unlock()
    }

    func fail(_ failure: any Error) {
        lock.lock()
        if error == nil { error = failure }
        lock.unlock()
    }

    var bytesDone: Int {
        lock.lock()
        defer { lock.unlock() }
        return bytes
    }

    var failure: (any Error)? {
        lock.lock()
        defer { lock.unlock() }
        return error
    }

    /// The outcome and filter of segment `index`; nil for one never scanned (the scan stopped).
    func result(_ index: Int) -> (SegmentOutcome, Filter)? {
        lock.lock()
        defer { lock.unlock() }
        guard let outcome = outcomes[index], let filter = filters[index] else { return nil }
        return (outcome, filter)
    }
}
