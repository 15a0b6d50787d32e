import Foundation
import Testing

@testable import EKSModel

/// The node pool's indices answer what a walk over every node answers: first fit in order, and
/// the least loaded node with room. Random nodes and requests, fixed seeds.
@Suite struct NodePoolIndexTests {
    struct Generator {
        var state: UInt64
        mutating func next(_ range: ClosedRange<Int>) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return range.lowerBound + Int((state >> 33) % UInt64(range.count))
        }
    }

    struct Node {
        var cpu: Int64
        var memory: Int64
        var slots: Int64
        var kind: Int
        var live: Bool
    }

    @Test(arguments: [1, 2, 3])
    func firstFitFindsTheFirstNodeWithRoomInOrder(seed: Int) {
        var random = Generator(state: UInt64(seed) * 7919)
        var index = FirstFitIndex()
        var nodes: [Node] = []
        for round in 0..<3000 {
            // Change or add a node (positions grow past the initial capacity), sometimes clear one.
            let position = random.next(0...min(nodes.count, 300))
            let node = Node(
                cpu: Int64(random.next(-1...40)) * 100, memory: Int64(random.next(-1...40)) << 20,
                slots: Int64(random.next(0...3)), kind: random.next(0...70), live: random.next(1...10) > 2)
            if position == nodes.count { nodes.append(node) } else { nodes[position] = node }
            if node.live {
                index.set(
                    position, cpu: node.cpu, memory: node.memory, slots: node.slots, kinds: FirstFitIndex.bit(node.kind)
                )
            } else {
                index.clear(position)
            }
            let cpu = Int64(random.next(0...30)) * 100
            let memory = Int64(random.next(0...30)) << 20
            let kinds = FirstFitIndex.bit(random.next(0...70)) | FirstFitIndex.bit(random.next(0...70))
            let start = random.next(0...nodes.count)
            let expected = nodes.indices.first { position in
                let node = nodes[position]
                return position >= start && node.live && node.cpu >= cpu && node.memory >= memory && node.slots >= 1
                    && FirstFitIndex.bit(node.kind) & kinds != 0
            }
            #expect(index.first(from: start, cpu: cpu, memory: memory, kinds: kinds) == expected, "round \(round)")
        }
    }

    @Test(arguments: [1, 2, 3])
    func theLeastLoadedNodeWithRoomIsTheOneAWalkFinds(seed: Int) {
        var random = Generator(state: UInt64(seed) * 104_729)
        var trees = LeastAllocatedTrees(templates: 3)
        // The same nodes in trees that also tell 16 pod shapes apart.
        var shapes: [(cpu: Int64, memory: Int64)] = []
        for index in 0..<16 {
            let cpu = Int64(index / 4) * 500
            let memory = Int64(index % 4) * 5 << 20
            shapes.append((cpu, memory))
        }
        var shaped = LeastAllocatedTrees(templates: 3, shapes: shapes)
        var load: [LoadKey?] = []
        var free: [LeastAllocatedTrees.Free] = []
        var kinds: [Int] = []
        var order: [Int] = []
        for round in 0..<3000 {
            let slot = random.next(0...min(load.count, 200))
            if slot == load.count {
                load.append(nil)
                free.append(LeastAllocatedTrees.Free(cpu: 0, memory: 0, slots: 0))
                kinds.append(0)
                order.append(0)
            }
            let key = LoadKey(high: Int64(random.next(0...2)), low: UInt64(random.next(0...50)))
            let room = LeastAllocatedTrees.Free(
                cpu: Int64(random.next(0...20)) * 100, memory: Int64(random.next(0...20)) << 20,
                slots: Int64(random.next(0...2)))
            if load[slot] == nil {
                let kind = random.next(0...2)
                trees.insert(slot, template: kind, load: key, order: round, free: room)
                shaped.insert(slot, template: kind, load: key, order: round, free: room)
                kinds[slot] = kind
                order[slot] = round
                load[slot] = key
            } else if random.next(1...10) == 1 {
                trees.remove(slot)
                shaped.remove(slot)
                load[slot] = nil
            } else {
                trees.update(slot, load: key, order: order[slot], free: room)
                shaped.update(slot, load: key, order: order[slot], free: room)
                load[slot] = key
            }
            free[slot] = room
            let cpu = Int64(random.next(0...15)) * 100
            let memory = Int64(random.next(0...15)) << 20
            let kind = random.next(0...2)
            // The exact test refuses some nodes that have the room, as extended resources or ports would.
            let refused = Set((0..<3).map { _ in random.next(0...load.count) })
            let expected = load.indices.filter { slot in
                load[slot] != nil && kinds[slot] == kind && free[slot].cpu >= cpu && free[slot].memory >= memory
                    && free[slot].slots >= 1
                    && !refused.contains(slot)
            }.min { a, b in (load[a]!, order[a]) < (load[b]!, order[b]) }
            #expect(
                trees.leastLoaded(of: kind, cpu: cpu, memory: memory, exactly: true, where: { !refused.contains($0) })
                    == expected,
                "round \(round)")
            // Without the exact test, the tree's own test (CPU, memory, a slot) decides; and the lightest
            // node of the template is the least loaded whatever it has free.
            let ofKind = load.indices.filter { load[$0] != nil && kinds[$0] == kind }
            let withRoom = ofKind.filter { free[$0].cpu >= cpu && free[$0].memory >= memory && free[$0].slots >= 1 }
            let byLoad = { (a: Int, b: Int) in (load[a]!, order[a]) < (load[b]!, order[b]) }
            #expect(
                trees.leastLoaded(of: kind, cpu: cpu, memory: memory, exactly: false, where: { _ in false })
                    == withRoom.min(by: byLoad),
                "round \(round)")
            #expect(trees.lightest(of: kind) == ofKind.min(by: byLoad), "round \(round)")
            // A pod of one of the shapes: the shaped trees' search, without and with the exact test.
            let shape = random.next(0...15)
            let fitting = ofKind.filter {
                free[$0].cpu >= shapes[shape].cpu && free[$0].memory >= shapes[shape].memory && free[$0].slots >= 1
            }
            #expect(
                shaped.leastLoaded(
                    of: kind, cpu: shapes[shape].cpu, memory: shapes[shape].memory, shapeIndex: shape,
                    exactly: false, where: { _ in false }) == fitting.min(by: byLoad), "round \(round)")
            #expect(
                shaped.leastLoaded(
                    of: kind, cpu: shapes[shape].cpu, memory: shapes[shape].memory, shapeIndex: shape,
                    exactly: true, where: { !refused.contains($0) })
                    == fitting.filter { !refused.contains($0) }.min(by: byLoad), "round \(round)")
        }
    }
}
