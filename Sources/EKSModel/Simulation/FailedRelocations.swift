/// Relocations found impossible since the last change that could make them possible, for one
/// scale-down or consolidation pass, so that a pass after a node's removal looks again only at the
/// nodes that change could concern.
///
/// A relocation's first-fit scan reads the node's own pods and the pods of the nodes it looked at;
/// the nodes it passed over had too little CPU, memory or slots, or came after it stopped. Within a
/// pass the pool changes only by moving a removed node's pods onto others and taking the node out,
/// which only takes room away: a node passed over stays passed over, and the scan reads the same
/// nodes with the same pods unless one of them, or the node itself, was touched. So a failure holds
/// until then. A change that can add room (a node replaced by another type) forgets every failure.
struct FailedRelocations {
    /// Per failed node, where the nodes its scan looked at are in `store`.
    private var looked: [Int: Range<Int>] = [:]
    private var store: [Int] = []

    func contains(_ slot: Int) -> Bool { looked[slot] != nil }

    mutating func record(_ slot: Int, visited: [Int]) {
        looked[slot] = store.count..<store.count + visited.count
        store += visited
    }

    /// Forgets the failures of the `touched` nodes and of those whose scan looked at one of them.
    mutating func forget(touching touched: [Int]) {
        let changed = Set(touched)
        looked = looked.filter { slot, range in
            !changed.contains(slot) && !store[range].contains(where: changed.contains)
        }
    }

    mutating func forgetAll() {
        looked.removeAll()
        store.removeAll()
    }
}
