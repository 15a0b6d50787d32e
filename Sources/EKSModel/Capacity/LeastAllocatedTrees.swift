/// How allocated a node is against the others of its template, exactly:
/// `cpu × allocatableMemory + memory × allocatableCPU` in 128 bits. Within a template every node has
/// the same allocatable and DaemonSets, and the pod to place adds the same request to each, so the
/// least allocated by kube-scheduler's score (the mean of the CPU and memory shares) is the one with
/// the smallest key.
struct LoadKey: Sendable, Comparable {
    var high: Int64
    var low: UInt64

    static let zero = LoadKey(high: 0, low: 0)
    static let none = LoadKey(high: .max, low: .max)

    init(high: Int64, low: UInt64) {
        self.high = high
        self.low = low
    }

    init(used: borrowing ResourceRequests, allocatable: borrowing ResourceRequests) {
        let cpu = used.cpuMillicores.multipliedFullWidth(by: Swift.max(1, allocatable.memoryBytes))
        let memory = used.memoryBytes.multipliedFullWidth(by: Swift.max(1, allocatable.cpuMillicores))
        let (sum, carry) = cpu.low.addingReportingOverflow(memory.low)
        self.init(high: cpu.high &+ memory.high &+ (carry ? 1 : 0), low: sum)
    }

    static func < (lhs: LoadKey, rhs: LoadKey) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }
}

/// Per template, its nodes in a tree that answers "the least allocated node with room for this
/// pod" without looking at the others: every subtree knows its least loaded node (by load, then
/// creation order), the most CPU, memory and pod slots any of its nodes has free, and for each pod
/// shape (a distinct CPU and memory request, up to 64) whether one of its nodes has room for such a
/// pod. A search takes subtrees least loaded first and drops those without room for the pod; so a
/// template whose nodes are all full costs one look (the largest free CPU and the largest free
/// memory may sit on different nodes, which the shapes tell apart), and the least loaded node, when
/// it fits, is found at once. Nodes are slots of a `NodePool`, each at a position of its template's
/// tree.
struct LeastAllocatedTrees: Sendable {
    /// A subtree: its least (load, order) node and that node's slot (-1 when it holds none), and the
    /// most CPU, memory and pod slots any of its nodes has free.
    private struct Entry: Sendable, Equatable {
        var load = LoadKey.none
        var order = Int.max
        var slot = -1
        var freeCPU: Int64 = -1
        var freeMemory: Int64 = -1
        var freeSlots: Int64 = 0
        /// Bit s: some node of the subtree has room for a pod of shape s.
        var shapesWithRoom: UInt64 = 0

        @inline(__always)
        func precedes(_ other: Entry) -> Bool { load < other.load || (load == other.load && order < other.order) }

        @inline(__always)
        func canHold(cpu: Int64, memory: Int64, shape: UInt64) -> Bool {
            slot >= 0 && freeCPU >= cpu && freeMemory >= memory && freeSlots >= 1 && shapesWithRoom & shape != 0
        }
    }

    private struct Tree: Sendable {
        var capacity = 0
        var entries: [Entry] = []
        /// Positions without a node.
        var vacant: [Int] = []
    }

    private var trees: [Tree]
    /// Per slot: its template and position there (-1 when in none).
    private var template: [Int] = []
    private var position: [Int] = []

    /// The pods' shapes (CPU, memory); none when there are more than 64 (then every bit is set and
    /// only the largest free amounts prune).
    private let shapes: [(cpu: Int64, memory: Int64)]

    init(templates: Int, shapes: [(cpu: Int64, memory: Int64)] = []) {
        trees = Array(repeating: Tree(), count: templates)
        self.shapes = shapes.count <= 64 ? shapes : []
    }

    /// The bit of shape `index` for a query (every bit when shapes are not told apart).
    func bit(ofShape index: Int) -> UInt64 { shapes.isEmpty ? ~0 : 1 << UInt64(index) }

    private func shapesWithRoom(_ free: Free) -> UInt64 {
        guard !shapes.isEmpty else { return ~0 }
        guard free.slots >= 1 else { return 0 }
        var bits: UInt64 = 0
        for (index, shape) in shapes.enumerated() where free.cpu >= shape.cpu && free.memory >= shape.memory {
            bits |= 1 << UInt64(index)
        }
        return bits
    }

    /// What a node has free, as the tree keeps it.
    struct Free {
        var cpu: Int64
        var memory: Int64
        var slots: Int64
    }

    mutating func insert(_ slot: Int, template kind: Int, load key: LoadKey, order rank: Int, free: Free) {
        while template.count <= slot {
            template.append(-1)
            position.append(-1)
        }
        if trees[kind].vacant.isEmpty { grow(kind) }
        let at = trees[kind].vacant.removeLast()
        template[slot] = kind
        position[slot] = at
        set(
            kind, at,
            Entry(
                load: key, order: rank, slot: slot, freeCPU: free.cpu, freeMemory: free.memory, freeSlots: free.slots,
                shapesWithRoom: shapesWithRoom(free)))
    }

    mutating func remove(_ slot: Int) {
        let kind = template[slot]
        let at = position[slot]
        guard kind >= 0 else { return }
        set(kind, at, Entry())
        trees[kind].vacant.append(at)
        template[slot] = -1
        position[slot] = -1
    }

    mutating func update(_ slot: Int, load key: LoadKey, order rank: Int, free: Free) {
        let kind = template[slot]
        guard kind >= 0 else { return }
        set(
            kind, position[slot],
            Entry(
                load: key, order: rank, slot: slot, freeCPU: free.cpu, freeMemory: free.memory,
                freeSlots: free.slots, shapesWithRoom: shapesWithRoom(free)))
    }

    private mutating func set(_ kind: Int, _ at: Int, _ entry: Entry) {
        let capacity = trees[kind].capacity
        trees[kind].entries.withUnsafeMutableBufferPointer { entries in
            var node = at + capacity
            entries[node] = entry
            node /= 2
            while node >= 1 {
                let combined = Self.combine(entries[2 * node], entries[2 * node + 1])
                // Nothing above changes when this subtree's summary did not.
                if combined == entries[node] { return }
                entries[node] = combined
                node /= 2
            }
        }
    }

    @inline(__always)
    private static func combine(_ left: Entry, _ right: Entry) -> Entry {
        var parent = left.precedes(right) ? left : right
        parent.freeCPU = max(left.freeCPU, right.freeCPU)
        parent.freeMemory = max(left.freeMemory, right.freeMemory)
        parent.freeSlots = max(left.freeSlots, right.freeSlots)
        parent.shapesWithRoom = left.shapesWithRoom | right.shapesWithRoom
        return parent
    }

    /// Doubles a tree's positions, keeping its nodes.
    private mutating func grow(_ kind: Int) {
        let old = trees[kind]
        let capacity = max(8, 2 * old.capacity)
        var tree = Tree(
            capacity: capacity, entries: Array(repeating: Entry(), count: 2 * capacity),
            vacant: Array((old.capacity..<capacity).reversed()) + old.vacant)
        for at in 0..<old.capacity { tree.entries[at + capacity] = old.entries[at + old.capacity] }
        for node in stride(from: capacity - 1, through: 1, by: -1) {
            tree.entries[node] = Self.combine(tree.entries[2 * node], tree.entries[2 * node + 1])
        }
        trees[kind] = tree
    }

    /// The least loaded node of `template` (by load, then creation order), whatever it has free.
    func lightest(of kind: Int) -> Int? {
        guard trees[kind].capacity > 0, trees[kind].entries[1].slot >= 0 else { return nil }
        return trees[kind].entries[1].slot
    }

    /// The least loaded node of `template` (by load, then creation order) with at least `cpu` and
    /// `memory` free and a pod slot, for which, when `exactly`, `fits` holds too (the exact test:
    /// extended resources, host ports); nil when there is none. `shapeIndex` is the pod's shape
    /// (`cpu` and `memory`) among those the trees were made with, or nil.
    func leastLoaded(
        of kind: Int, cpu: Int64, memory: Int64, shapeIndex: Int? = nil, exactly: Bool, where fits: (Int) -> Bool
    ) -> Int? {
        guard trees[kind].capacity > 0 else { return nil }
        let shape = shapeIndex.map(bit(ofShape:)) ?? ~0
        return trees[kind].entries.withUnsafeBufferPointer { entries in
            let capacity = trees[kind].capacity
            guard entries[1].canHold(cpu: cpu, memory: memory, shape: shape) else { return nil }
            // The least loaded node overall, when it fits, is the answer.
            let top = entries[1].slot
            if entries[capacity + position[top]].canHold(cpu: cpu, memory: memory, shape: shape)
                && (!exactly || fits(top))
            {
                return top
            }
            // Otherwise subtrees in order of their least loaded node, leaving out those where no node
            // has the room. The open subtrees are few and this runs for most pods, so they are kept in
            // a small binary heap on the stack rather than in a collection that allocates per search.
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * capacity) { frontier in
                var open = 0
                func precedes(_ a: Int, _ b: Int) -> Bool { entries[a].precedes(entries[b]) }
                func push(_ node: Int) {
                    var at = open
                    open += 1
                    while at > 0, precedes(node, frontier[(at - 1) / 2]) {
                        frontier[at] = frontier[(at - 1) / 2]
                        at = (at - 1) / 2
                    }
                    frontier[at] = node
                }
                func pop() -> Int {
                    let first = frontier[0]
                    open -= 1
                    let last = frontier[open]
                    var at = 0
                    while true {
                        var child = 2 * at + 1
                        guard child < open else { break }
                        if child + 1 < open && precedes(frontier[child + 1], frontier[child]) { child += 1 }
                        guard precedes(frontier[child], last) else { break }
                        frontier[at] = frontier[child]
                        at = child
                    }
                    frontier[at] = last
                    return first
                }
                push(1)
                while open > 0 {
                    let node = pop()
                    if node >= capacity {
                        if !exactly || fits(entries[node].slot) { return entries[node].slot }
                        continue
                    }
                    for child in 2 * node...2 * node + 1
                    where entries[child].canHold(cpu: cpu, memory: memory, shape: shape) { push(child) }
                }
                return nil
            }
        }
    }
}
