import EKSModel
import Foundation
import Testing

@testable import EKSInput

/// The integer sort the importer and the snapshot assembly put their prices in order with.
@Suite struct KeyOrderTests {
    @Test func sortsByKeyThenPosition() {
        // Key 0 at position 3; key 1 at 1 and 4; key 3 at 0 and 2 (ties keep their order).
        #expect(KeyOrder.positions([3, 1, 3, 0, 1]) == [3, 1, 4, 0, 2])
        #expect(KeyOrder.positions([]) == [])
        #expect(KeyOrder.positions([7]) == [0])
    }

    @Test func keysTooWideToPackWithThePositionSortTheSame() {
        // 64-bit keys leave no room for the position: the pairs are sorted instead.
        #expect(KeyOrder.positions([UInt64.max, 5, UInt64.max, 5, 1 << 63]) == [1, 3, 4, 0, 2])
    }

    @Test func permutesInPlaceAlongCycles() {
        var items = ["a", "b", "c", "d", "e"]
        // Position 0 takes item 3, 1 keeps b, 2 takes item 4, 3 takes item 0, 4 takes item 2.
        KeyOrder.permute(&items, by: [3, 1, 4, 0, 2])
        #expect(items == ["d", "b", "e", "a", "c"])
        var sorted = [30, 10, 30, 0, 10]
        KeyOrder.permute(&sorted, by: KeyOrder.positions(sorted.map { UInt64($0) }))
        #expect(sorted == [0, 10, 10, 30, 30])
    }

    @Test func bitsForNumbersBelowACount() {
        #expect(KeyOrder.bits(below: 0) == 1 && KeyOrder.bits(below: 2) == 1)
        #expect(KeyOrder.bits(below: 3) == 2 && KeyOrder.bits(below: 256) == 8 && KeyOrder.bits(below: 257) == 9)
    }
}
