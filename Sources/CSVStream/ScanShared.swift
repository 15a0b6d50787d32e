import Foundation

/// Wraps a closure that is only ever run on one thread at a time.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// A piece of work for one worker of a scan.
enum ScanTask {
    /// Scan segment `index` from its cut to the next.
    case segment(Int)
    /// Scan segment `index` again from `from` (where the one before it really ended) to `to`
    /// (its end): its cut was a wrong guess.
    case rescan(Int, from: Int, to: Int)
}

/// What the workers of one scan share, under a lock: the next segment to scan, the results,
/// and the chain of segments known to start where the one before them ended. When a segment
/// of that chain has an error, that error is the scan's (as in a sequential scan): no further
/// segment is started, and the source is abandoned. A segment found to start at a wrong guess
/// is scanned again at once from the right place, before any further segment.
///
/// A source that forgets bytes (`StreamedBytes`) is told, as the workers move on, the lowest
/// offset anything may still read: each worker's hold (where it reads next), the end of the
/// chain (where a rescan would start) and the cut of the next segment to hand out.
final class ScanShared<Filter>: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private let count: Int
    private var outcomes: [SegmentOutcome?]
    private var filters: [Filter?]
    private var bytes = 0
    private var error: (any Error)?
    private let source: any ScanSource
    private let forgets: Bool
    private let dataStart: Int
    private let segmentBytes: Int
    /// Per worker, the lowest offset it may still read (`Int.max`: none).
    private var holds: [Int]
    /// Segments before `chained` are known to start right; `chainEnd` is where the last of them ends.
    private var chained = 0
    private var chainEnd: Int
    private var stopped = false
    /// The rescan waiting for a worker, and the last segment one was asked for.
    private var pendingRescan: ScanTask?
    private var rescanned = -1

    init(segments: Int, dataStart: Int, segmentBytes: Int, workers: Int, source: any ScanSource) {
        count = segments
        outcomes = Array(repeating: nil, count: segments)
        filters = Array(repeating: nil, count: segments)
        chainEnd = dataStart
        self.dataStart = dataStart
        self.segmentBytes = segmentBytes
        self.source = source
        forgets = source.forgets
        holds = Array(repeating: Int.max, count: workers)
    }

    /// The next task for `worker`: a rescan first, else the next segment; nil when none is left.
    func next(worker: Int) -> ScanTask? {
        lock.lock()
        defer { releaseAndUnlock() }
        guard error == nil, !stopped else {
            holds[worker] = Int.max
            return nil
        }
        if let task = pendingRescan {
            pendingRescan = nil
            if case .rescan(_, let from, _) = task { holds[worker] = from }
            return task
        }
        guard nextIndex < count else {
            holds[worker] = Int.max
            return nil
        }
        nextIndex += 1
        holds[worker] = dataStart + (nextIndex - 1) * segmentBytes
        return .segment(nextIndex - 1)
    }

    /// `worker` reads nothing before `offset` from now on.
    func hold(_ worker: Int, from offset: Int) {
        guard forgets else { return }
        lock.lock()
        holds[worker] = offset
        releaseAndUnlock()
    }

    /// Tells a source that forgets the lowest offset still needed; unlocks.
    private func releaseAndUnlock() {
        guard forgets else { return lock.unlock() }
        var floor = min(chainEnd, holds.min() ?? Int.max)
        if nextIndex < count, !stopped, error == nil { floor = min(floor, dataStart + nextIndex * segmentBytes) }
        lock.unlock()
        if floor < Int.max { source.release(below: floor) }
    }

    func finish(_ index: Int, outcome: SegmentOutcome, filter: Filter) {
        lock.lock()
        outcomes[index] = outcome
        filters[index] = filter
        // Extend the chain (the same test as the final merge); it stops at a wrong guess,
        // which is rescanned next.
        while chained < count, let next = outcomes[chained] {
            if next.boundary <= chainEnd {
                chained += 1
                continue
            }
            guard next.start == chainEnd else {
                if rescanned != chained {
                    rescanned = chained
                    pendingRescan = .rescan(chained, from: chainEnd, to: next.boundary)
                }
                break
            }
            if next.error != nil {
                stopped = true
                break
            }
            chainEnd = max(chainEnd, next.end)
            chained += 1
        }
        let abandon = stopped
        releaseAndUnlock()
        if abandon { source.abandon() }
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
