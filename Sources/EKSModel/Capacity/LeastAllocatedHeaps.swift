/// How allocated a node is against the others of its template, exactly:
/// `cpu × allocatableMemory + memory × allocatableCPU` in 128 bits. Within a template every node has
/// the same allocatable and DaemonSets, and the pod to place adds the same request to each, so the
/// least allocated by kube-scheduler's score (the mean of the CPU and memory shares) is the one with
/// the smallest key.
struct LoadKey: Sendable, Comparable {
    var high: Int64
    var low: UInt64

    static let zero = LoadKey(high: 0, low: 0)

    init(high: Int64, low: UInt64) {
        self.high = high
        self.low = low
    }

    init(used: ResourceRequests, allocatable: ResourceRequests) {
        let cpu = used.cpuMillicores.multipliedFullWidth(by: Swift.max(1, allocatable.memoryBytes))
        let memory = used.memoryBytes.multipliedFullWidth(by: Swift.max(1, allocatable.cpuMillicores))
        let (sum, carry) = cpu.low.addingReportingOverflow(memory.low)
        self.init(high: cpu.high &+ memory.high &+ (carry ? 1 : 0), low: sum)
    }

    static func < (lhs: LoadKey, rhs: LoadKey) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }
}

/// Per template, a binary min-heap of its nodes by (load, creation order): the top is the node the
/// scheduler picks among that template's nodes when it fits the pod. Nodes are slots of a
/// `NodePool`; a slot's heap position is kept so that its load can change in place.
struct LeastAllocatedHeaps: Sendable {
    private var heaps: [[Int]]
    /// Per slot: its load, creation order and position in its template's heap (-1 when in none).
    private var load: [LoadKey] = []
    private var order: [Int] = []
    private var position: [Int] = []
    private var templateOf: [Int] = []

    init(templates: Int) { heaps = Array(repeating: [], count: templates) }

    func isEmpty(_ template: Int) -> Bool { heaps[template].isEmpty }
    func count(_ template: Int) -> Int { heaps[template].count }
    /// The slot at heap index `index` of `template` (0 is the top).
    func slot(_ template: Int, at index: Int) -> Int { heaps[template][index] }

    @inline(__always)
    func precedes(_ a: Int, _ b: Int) -> Bool { load[a] < load[b] || (load[a] == load[b] && order[a] < order[b]) }

    mutating func insert(_ slot: Int, template: Int, load key: LoadKey, order rank: Int) {
        while load.count <= slot {
            load.append(.zero)
            order.append(0)
            position.append(-1)
            templateOf.append(-1)
        }
        load[slot] = key
        order[slot] = rank
        templateOf[slot] = template
        position[slot] = heaps[template].count
        heaps[template].append(slot)
        siftUp(position[slot], template)
    }

    mutating func remove(_ slot: Int) {
        let template = templateOf[slot]
        let index = position[slot]
        guard template >= 0, index >= 0 else { return }
        let last = heaps[template].count - 1
        swapAt(index, last, template)
        heaps[template].removeLast()
        position[slot] = -1
        templateOf[slot] = -1
        if index < last {
            let moved = heaps[template][index]
            siftUp(index, template)
            siftDown(position[moved], template)
        }
    }

    mutating func update(_ slot: Int, load key: LoadKey) {
        let template = templateOf[slot]
        guard template >= 0 else { return }
        let before = load[slot]
        load[slot] = key
        if key < before { siftUp(position[slot], template) } else if before < key { siftDown(position[slot], template) }
    }

    private mutating func swapAt(_ a: Int, _ b: Int, _ template: Int) {
        guard a != b else { return }
        heaps[template].swapAt(a, b)
        position[heaps[template][a]] = a
        position[heaps[template][b]] = b
    }

    private mutating func siftUp(_ start: Int, _ template: Int) {
        var index = start
        while index > 0 {
            let parent = (index - 1) / 2
            guard precedes(heaps[template][index], heaps[template][parent]) else { return }
            swapAt(index, parent, template)
            index = parent
        }
    }

    private mutating func siftDown(_ start: Int, _ template: Int) {
        var index = start
        let count = heaps[template].count
        while true {
            let left = 2 * index + 1, right = left + 1
            var smallest = index
            if left < count && precedes(heaps[template][left], heaps[template][smallest]) { smallest = left }
            if right < count && precedes(heaps[template][right], heaps[template][smallest]) { smallest = right }
            guard smallest != index else { return }
            swapAt(index, smallest, template)
            index = smallest
        }
    }

    /// The first slot of `template`, in (load, order), for which `fits` holds: the top when it fits,
    /// else a best-first walk down the heap past the nodes that do not.
    func first(of template: Int, where fits: (Int) -> Bool) -> Int? {
        let heap = heaps[template]
        guard let top = heap.first else { return nil }
        if fits(top) { return top }
        // Heap indices still to look at, as a small heap of their own.
        var frontier: [Int] = []
        func push(_ index: Int) {
            guard index < heap.count else { return }
            frontier.append(index)
            var child = frontier.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard precedes(heap[frontier[child]], heap[frontier[parent]]) else { break }
                frontier.swapAt(child, parent)
                child = parent
            }
        }
        func pop() -> Int {
            let first = frontier[0]
            frontier.swapAt(0, frontier.count - 1)
            frontier.removeLast()
            var index = 0
            while true {
                let left = 2 * index + 1, right = left + 1
                var smallest = index
                if left < frontier.count && precedes(heap[frontier[left]], heap[frontier[smallest]]) { smallest = left }
                if right < frontier.count && precedes(heap[frontier[right]], heap[frontier[smallest]]) { smallest = right }
                guard smallest != index else { break }
                frontier.swapAt(index, smallest)
                index = smallest
            }
            return first
        }
        push(1)
        push(2)
        while !frontier.isEmpty {
            let index = pop()
            if fits(heap[index]) { return heap[index] }
            push(2 * index + 1)
            push(2 * index + 2)
        }
        return nil
    }

    /// New creation ranks, keeping their order (when the pool renumbers its positions).
    mutating func renumber(_ slot: Int, order rank: Int) { order[slot] = rank }
}
