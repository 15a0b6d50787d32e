/// First fit in order without looking at every node: a max segment tree over positions (nodes
/// in the order first fit visits them) holding each node's free CPU, memory and pod slots and a
/// bit for its kind of node (template). A subtree whose largest free amounts are below a pod's
/// request, or holding no node of a kind the pod may use, is passed over whole; what is left is
/// checked exactly by the caller (extended resources, host ports), which goes on from the next
/// position when the node does not fit after all. A position holding no node has nothing free.
struct FirstFitIndex: Sendable {
    private var cpu: [Int64]
    private var memory: [Int64]
    private var slots: [Int64]
    private var kinds: [UInt64]
    /// Positions the tree holds (a power of two).
    private(set) var capacity: Int

    init(capacity wanted: Int = 16) {
        var size = 16
        while size < wanted { size *= 2 }
        capacity = size
        cpu = Array(repeating: -1, count: 2 * size)
        memory = Array(repeating: -1, count: 2 * size)
        slots = Array(repeating: 0, count: 2 * size)
        kinds = Array(repeating: 0, count: 2 * size)
    }

    /// The bit of kind (template) `kind`; kinds beyond 64 share bits, which only makes the test weaker.
    @inline(__always)
    static func bit(_ kind: Int) -> UInt64 { 1 << UInt64(kind & 63) }

    /// Sets what the node at `position` has free.
    mutating func set(_ position: Int, cpu freeCPU: Int64, memory freeMemory: Int64, slots freeSlots: Int64, kinds bits: UInt64) {
        if position >= capacity { grow(toHold: position) }
        var node = position + capacity
        cpu[node] = freeCPU
        memory[node] = freeMemory
        slots[node] = freeSlots
        kinds[node] = bits
        node /= 2
        while node >= 1 {
            let left = 2 * node, right = left + 1
            cpu[node] = max(cpu[left], cpu[right])
            memory[node] = max(memory[left], memory[right])
            slots[node] = max(slots[left], slots[right])
            kinds[node] = kinds[left] | kinds[right]
            node /= 2
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
        return search(node: 1, low: 0, high: capacity, start: start, cpu: needCPU, memory: needMemory, kinds: wanted)
    }

    private func search(node: Int, low: Int, high: Int, start: Int, cpu needCPU: Int64, memory needMemory: Int64,
                        kinds wanted: UInt64) -> Int? {
        guard high > start, cpu[node] >= needCPU, memory[node] >= needMemory, slots[node] >= 1, kinds[node] & wanted != 0 else {
            return nil
        }
        if high - low == 1 { return low }
        let middle = (low + high) / 2
        return search(node: 2 * node, low: low, high: middle, start: start, cpu: needCPU, memory: needMemory, kinds: wanted)
            ?? search(node: 2 * node + 1, low: middle, high: high, start: start, cpu: needCPU, memory: needMemory, kinds: wanted)
    }

    /// Doubles the positions until `position` fits, keeping what is held.
    private mutating func grow(toHold position: Int) {
        var bigger = FirstFitIndex(capacity: 2 * capacity)
        while bigger.capacity <= position { bigger = FirstFitIndex(capacity: 2 * bigger.capacity) }
        for leaf in 0..<capacity where slots[leaf + capacity] > 0 || cpu[leaf + capacity] >= 0 {
            bigger.set(leaf, cpu: cpu[leaf + capacity], memory: memory[leaf + capacity], slots: slots[leaf + capacity],
                       kinds: kinds[leaf + capacity])
        }
        self = bigger
    }
}
