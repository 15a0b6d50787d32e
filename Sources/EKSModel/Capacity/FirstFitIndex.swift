/// First fit in order without looking at every node: a max segment tree over positions (nodes
/// in the order first fit visits them) holding each node's free CPU, memory and pod slots and a
/// bit for its kind of node (template). A subtree whose largest free amounts are below a pod's
/// request, or holding no node of a kind the pod may use, is passed over whole; what is left is
/// checked exactly by the caller (extended resources, host ports), which goes on from the next
/// position when the node does not fit after all. A position holding no node has nothing free.
struct FirstFitIndex: Sendable {
    /// A subtree's largest free CPU, memory and pod slots, and the bits of the kinds it holds.
    private struct Entry: Sendable, Equatable {
        var cpu: Int64 = -1
        var memory: Int64 = -1
        var slots: Int64 = 0
        var kinds: UInt64 = 0

        @inline(__always)
        func holds(cpu needCPU: Int64, memory needMemory: Int64, kinds wanted: UInt64) -> Bool {
            cpu >= needCPU && memory >= needMemory && slots >= 1 && kinds & wanted != 0
        }
    }

    private var entries: [Entry]
    /// Positions the tree holds (a power of two).
    private(set) var capacity: Int

    init(capacity wanted: Int = 16) {
        var size = 16
        while size < wanted { size *= 2 }
        capacity = size
        entries = Array(repeating: Entry(), count: 2 * size)
    }

    /// The bit of kind (template) `kind`; kinds beyond 64 share bits, which only makes the test weaker.
    @inline(__always)
    static func bit(_ kind: Int) -> UInt64 { 1 << UInt64(kind & 63) }

    /// Sets what the node at `position` has free.
    mutating func set(
        _ position: Int, cpu freeCPU: Int64, memory freeMemory: Int64, slots freeSlots: Int64, kinds bits: UInt64
    ) {
        if position >= capacity { grow(toHold: position) }
        let capacity = self.capacity
        entries.withUnsafeMutableBufferPointer { entries in
            var node = position + capacity
            entries[node] = Entry(cpu: freeCPU, memory: freeMemory, slots: freeSlots, kinds: bits)
            node /= 2
            while node >= 1 {
                let left = entries[2 * node]
                let right = entries[2 * node + 1]
                let combined = Entry(
                    cpu: max(left.cpu, right.cpu), memory: max(left.memory, right.memory),
                    slots: max(left.slots, right.slots), kinds: left.kinds | right.kinds)
                // Nothing above changes when this subtree's summary did not.
                if combined == entries[node] { return }
                entries[node] = combined
                node /= 2
            }
        }
    }

    /// No node at `position` any more.
    mutating func clear(_ position: Int) {
        guard position < capacity else { return }
        set(position, cpu: -1, memory: -1, slots: 0, kinds: 0)
    }

    /// The first position at or after `start` with at least `cpu` and `memory` free, a pod slot, and
    /// a kind among `kinds`; nil when none has.
    func first(from start: Int, cpu needCPU: Int64, memory needMemory: Int64, kinds wanted: UInt64) -> Int? {
        guard start < capacity else { return nil }
        let capacity = self.capacity
        return entries.withUnsafeBufferPointer { entries in
            // Walk down from the root, always into the leftmost subtree that may hold an answer at or
            // after `start`, going on to the next subtree to the right when one turns out to hold none.
            var node = 1
            var low = 0
            var high = capacity
            while true {
                if high > start && entries[node].holds(cpu: needCPU, memory: needMemory, kinds: wanted) {
                    if high - low == 1 { return low }
                    node *= 2
                    high = (low + high) / 2
                    continue
                }
                // Climb while this subtree is a right child (the root has no next subtree).
                if node == 1 { return nil }
                while node & 1 == 1 {
                    node /= 2
                    low -= high - low
                    if node == 1 { return nil }
                }
                let width = high - low
                node += 1
                low += width
                high += width
            }
        }
    }

    /// Doubles the positions until `position` fits, keeping what is held.
    private mutating func grow(toHold position: Int) {
        var size = 2 * capacity
        while size <= position { size *= 2 }
        var bigger = FirstFitIndex(capacity: size)
        for leaf in 0..<capacity where entries[leaf + capacity] != Entry() {
            let entry = entries[leaf + capacity]
            bigger.set(leaf, cpu: entry.cpu, memory: entry.memory, slots: entry.slots, kinds: entry.kinds)
        }
        self = bigger
    }
}
