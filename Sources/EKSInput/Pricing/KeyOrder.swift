/// A stable sort by a 64-bit key, done on integers: the positions of the items sorted by key,
/// then by position, and the permutation applied in place. Sorting plain integers is several
/// times faster than sorting prices of 32 bytes or more through a comparison closure, and the
/// items are never copied to a second array (for an offer file of several GB the prices found
/// are the bulk of the memory).
enum KeyOrder {
    /// Positions `0..<keys.count` sorted by `keys[position]`, then by position. When the key's
    /// bits and the position's fit in one word they are sorted as one integer.
    static func positions(_ keys: consuming [UInt64]) -> [UInt32] {
        precondition(keys.count < Int(UInt32.max), "more than 2^32 items")
        let keyBits = UInt64.bitWidth - (keys.max() ?? 0).leadingZeroBitCount
        let positionBits = UInt64.bitWidth - UInt64(keys.count).leadingZeroBitCount
        if keyBits + positionBits <= UInt64.bitWidth {
            for position in keys.indices { keys[position] = keys[position] << positionBits | UInt64(position) }
            keys.sort()
            let mask = (UInt64(1) << positionBits) - 1
            return keys.map { UInt32(truncatingIfNeeded: $0 & mask) }
        }
        var pairs = keys.enumerated().map { (key: $1, position: UInt32(truncatingIfNeeded: $0)) }
        pairs.sort { ($0.key, $0.position) < ($1.key, $1.position) }
        return pairs.map(\.position)
    }

    /// Puts `items[order[i]]` at `i` for every `i`, in place, following the permutation's cycles.
    static func permute<Item>(_ items: inout [Item], by order: consuming [UInt32]) {
        let done = UInt32.max
        for start in order.indices where order[start] != done {
            let first = items[start]
            var at = start
            while true {
                let from = Int(order[at])
                order[at] = done
                if from == start {
                    items[at] = first
                    break
                }
                items[at] = items[from]
                at = from
            }
        }
    }

    /// Bits that hold numbers below `count` (at least 1).
    static func bits(below count: Int) -> Int {
        UInt64.bitWidth - UInt64(max(1, count - 1)).leadingZeroBitCount
    }
}
