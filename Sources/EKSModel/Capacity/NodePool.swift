import HeapModule

/// The nodes of one cluster and what runs on them, for the capacity planner and the time
/// simulation alike. Its invariants are kept here and only here:
///
/// - A node keeps its slot while it lives (nothing shifts); freed slots are reused.
/// - Nodes have a creation order (a replacement takes the place of the node it replaces); first
///   fit and the scheduler's ties follow it. `slotsInOrder` lists the live slots in that order.
/// - Every change of a node's pods goes through `add` / `remove`, which keep the indices right:
///   per template a tree by load and free room (the scheduler's choice in O(log n)), a first-fit tree by free
///   room, per workload the slots running its pods, and running counts of nodes per template and
///   group, ENIs and subnet addresses.
/// - A heap of timers holds when nodes the Cluster Autoscaler finds unneeded may go.
///
/// The scheduler's choice, first fit and the scale-down relocation are in NodePoolQueries.swift;
/// the indices and the stale first-fit list are internal so that those can read them, and only
/// this file changes them.
struct NodePool: Sendable {
    let rules: PlacementRules
    /// Per slot: what runs there, whether a node lives there, its creation position, when it was
    /// launched and since when it has been unneeded.
    private(set) var bins: [NodeBin] = []
    private(set) var isLive: [Bool] = []
    private(set) var position: [Int] = []
    private(set) var launchedAt: [Int] = []
    private(set) var unneededSince: [Int?] = []
    private var addressUse: [NodeAddressUse] = []
    /// Per template, once it has had a node: ENIs and addresses by workload pods taking an IP.
    private var addressTables: [[NodeAddressUse]]
    private var freeSlots: [Int] = []
    /// Live slots in creation order, and the slot at each position (-1 when none).
    private(set) var slotsInOrder: [Int] = []
    private(set) var slotAtPosition: [Int] = []
    /// Running counts.
    private(set) var nodesPerTemplate: [Int]
    private(set) var nodesPerGroup: [Int]
    private(set) var enis = 0
    private(set) var subnetIPsPerGroup: [Int]
    /// Templates with at least one node, in template order.
    private(set) var occupiedTemplates: [Int] = []
    /// Per workload: the slots running its pods, with how many each runs.
    private(set) var hosts: [[(slot: Int, pods: Int)]]
    /// Per workload: the bits of the templates that admit it (see `FirstFitIndex.bit`).
    let admittingKinds: [UInt64]
    var leastAllocated: LeastAllocatedTrees
    var firstFit = FirstFitIndex()
    /// Slots whose first-fit entry is out of date (brought up to date before a first-fit query).
    var staleFirstFit: [Int] = []
    private var timers = Heap<UnneededTimer>()
    /// Buffers the queries reuse, so that placing and removing pods allocates nothing.
    var scratch = Scratch()

    struct Scratch: Sendable {
        var best: [(template: Int, slot: Int, score: Double)] = []
        var hosts: [(slot: Int, pods: Int, position: Int, taken: Int)] = []
        var extras: [RelocationExtra] = []
    }

    init(rules: PlacementRules) {
        self.rules = rules
        nodesPerTemplate = Array(repeating: 0, count: rules.templates.count)
        nodesPerGroup = Array(repeating: 0, count: rules.cluster.nodeGroups.count)
        subnetIPsPerGroup = nodesPerGroup
        addressTables = Array(repeating: [], count: rules.templates.count)
        hosts = Array(repeating: [], count: rules.workloads.count)
        admittingKinds = rules.workloads.indices.map { workload in
            rules.templates.indices.reduce(UInt64(0)) { $0 | (rules.admits($1, workload) ? FirstFitIndex.bit($1) : 0) }
        }
        leastAllocated = LeastAllocatedTrees(templates: rules.templates.count, shapes: rules.shapes)
    }

    var count: Int { slotsInOrder.count }
    var isEmpty: Bool { slotsInOrder.isEmpty }

    // MARK: - Nodes

    /// Starts a node holding `bin`, last in creation order; returns its slot.
    @discardableResult
    mutating func launch(_ bin: NodeBin, at time: Int) -> Int {
        if slotAtPosition.count >= 2 * max(16, slotsInOrder.count) { renumberPositions() }
        let slot = place(bin, at: time, position: slotAtPosition.count)
        slotAtPosition.append(slot)
        slotsInOrder.append(slot)
        return slot
    }

    /// Takes a node out; returns what ran on it and when it was launched.
    @discardableResult
    mutating func removeNode(_ slot: Int) -> (bin: NodeBin, launchedAt: Int) {
        let index = orderIndex(of: slot)
        slotsInOrder.remove(at: index)
        slotAtPosition[position[slot]] = -1
        return vacate(slot)
    }

    /// Replaces a node by one of `template` holding the same pods, launched at `time`, in the same
    /// place in creation order; returns the new node's slot.
    @discardableResult
    mutating func replace(_ slot: Int, by template: Int, at time: Int) -> (
        slot: Int, replaced: NodeBin, launchedAt: Int
    ) {
        let index = orderIndex(of: slot)
        let rank = position[slot]
        let (old, launched) = vacate(slot)
        var bin = old
        bin.template = template
        let new = place(bin, at: time, position: rank)
        slotsInOrder[index] = new
        slotAtPosition[rank] = new
        return (new, old, launched)
    }

    private func orderIndex(of slot: Int) -> Int {
        let rank = position[slot]
        var low = 0
        var high = slotsInOrder.count
        while low < high {
            let middle = (low + high) / 2
            if position[slotsInOrder[middle]] < rank { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private mutating func place(_ bin: NodeBin, at time: Int, position rank: Int) -> Int {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            bins[slot] = bin
            isLive[slot] = true
            position[slot] = rank
            launchedAt[slot] = time
            unneededSince[slot] = nil
        } else {
            slot = bins.count
            bins.append(bin)
            isLive.append(true)
            position.append(rank)
            launchedAt.append(time)
            unneededSince.append(nil)
            addressUse.append(NodeAddressUse(enis: 0, subnetIPs: 0))
        }
        let template = bin.template
        let group = rules.templateGroup[template]
        if nodesPerTemplate[template] == 0 {
            occupiedTemplates.insert(
                template, at: occupiedTemplates.firstIndex { $0 > template } ?? occupiedTemplates.count)
        }
        nodesPerTemplate[template] += 1
        nodesPerGroup[group] += 1
        if addressTables[template].isEmpty {
            addressTables[template] = (0...max(0, rules.templateSlots[template])).map {
                rules.addresses(template: template, ipPods: $0)
            }
        }
        addressUse[slot] = addresses(template: template, ipPods: bin.ipPods)
        enis += addressUse[slot].enis
        subnetIPsPerGroup[group] += addressUse[slot].subnetIPs
        bin.podsByWorkload.forEach { workload, pods in hosts[workload].append((slot, pods)) }
        leastAllocated.insert(slot, template: template, load: load(of: slot), order: rank, free: free(of: slot))
        staleFirstFit.append(slot)
        return slot
    }

    private mutating func vacate(_ slot: Int) -> (bin: NodeBin, launchedAt: Int) {
        let bin = bins[slot]
        let template = bin.template
        let group = rules.templateGroup[template]
        nodesPerTemplate[template] -= 1
        if nodesPerTemplate[template] == 0, let index = occupiedTemplates.firstIndex(of: template) {
            occupiedTemplates.remove(at: index)
        }
        nodesPerGroup[group] -= 1
        enis -= addressUse[slot].enis
        subnetIPsPerGroup[group] -= addressUse[slot].subnetIPs
        bin.podsByWorkload.forEach { workload, _ in
            if let index = hostIndex(of: slot, for: workload) { hosts[workload].remove(at: index) }
        }
        leastAllocated.remove(slot)
        firstFit.clear(position[slot])
        isLive[slot] = false
        unneededSince[slot] = nil
        bins[slot] = NodeBin(template: template)
        freeSlots.append(slot)
        return (bin, launchedAt[slot])
    }

    /// Gives the live nodes positions 0, 1, … again (same order), so the first-fit tree stays as
    /// small as the pool rather than growing with every node ever launched.
    private mutating func renumberPositions() {
        firstFit = FirstFitIndex(capacity: 2 * max(16, slotsInOrder.count))
        slotAtPosition = slotsInOrder
        for (rank, slot) in slotsInOrder.enumerated() {
            position[slot] = rank
            leastAllocated.update(slot, load: load(of: slot), order: rank, free: free(of: slot))
            staleFirstFit.append(slot)
        }
    }

    // MARK: - Pods

    /// Puts `count` pods of `workload` on the node in `slot`.
    mutating func add(_ count: Int, of workload: Int, to slot: Int) {
        guard count > 0 else { return }
        bins[slot].add(count, of: workload, rules.pods[workload])
        if let index = hostIndex(of: slot, for: workload) {
            hosts[workload][index].pods += count
        } else {
            hosts[workload].append((slot, count))
        }
        podsChanged(slot)
    }

    /// Takes `count` pods of `workload` off the node in `slot`.
    mutating func remove(_ count: Int, of workload: Int, from slot: Int) {
        guard count > 0 else { return }
        bins[slot].remove(count, of: workload, rules.pods[workload])
        if let index = hostIndex(of: slot, for: workload) {
            hosts[workload][index].pods -= count
            if hosts[workload][index].pods <= 0 { hosts[workload].remove(at: index) }
        }
        podsChanged(slot)
    }

    /// Where `slot` is among the hosts of `workload` (a workload runs on few nodes).
    private func hostIndex(of slot: Int, for workload: Int) -> Int? {
        hosts[workload].withUnsafeBufferPointer { hosts in hosts.firstIndex { $0.slot == slot } }
    }

    private mutating func podsChanged(_ slot: Int) {
        let template = bins[slot].template
        let group = rules.templateGroup[template]
        let use = addresses(template: template, ipPods: bins[slot].ipPods)
        enis += use.enis - addressUse[slot].enis
        subnetIPsPerGroup[group] += use.subnetIPs - addressUse[slot].subnetIPs
        addressUse[slot] = use
        leastAllocated.update(slot, load: load(of: slot), order: position[slot], free: free(of: slot))
        staleFirstFit.append(slot)
    }

    @inline(__always)
    private func addresses(template: Int, ipPods: Int) -> NodeAddressUse {
        ipPods >= 0 && ipPods < addressTables[template].count
            ? addressTables[template][ipPods] : rules.addresses(template: template, ipPods: ipPods)
    }

    private func load(of slot: Int) -> LoadKey {
        LoadKey(used: bins[slot].used, allocatable: rules.templateAllocatable[bins[slot].template])
    }

    /// What the node in `slot` has free for workload pods.
    func free(of slot: Int) -> LeastAllocatedTrees.Free {
        let template = bins[slot].template
        return LeastAllocatedTrees.Free(
            cpu: rules.templateRoom[template].cpuMillicores - bins[slot].used.cpuMillicores,
            memory: rules.templateRoom[template].memoryBytes - bins[slot].used.memoryBytes,
            slots: Int64(rules.templateSlots[template] - bins[slot].pods))
    }

    // MARK: - Unneeded nodes

    mutating func markUnneeded(_ slot: Int, since time: Int) {
        guard unneededSince[slot] == nil else { return }
        unneededSince[slot] = time
        timers.insert(UnneededTimer(since: time, slot: slot))
    }

    mutating func markNeeded(_ slot: Int) { unneededSince[slot] = nil }

    /// Moves every launch and unneeded time `shift` seconds later (the fast-forward of a repeating period).
    mutating func shiftTimes(by shift: Int) {
        for slot in launchedAt.indices { launchedAt[slot] += shift }
        for slot in unneededSince.indices { unneededSince[slot] = unneededSince[slot].map { $0 + shift } }
        timers = Heap(timers.unordered.map { UnneededTimer(since: $0.since + shift, slot: $0.slot) })
    }

    /// When the soonest unneeded time started (nil when no node is unneeded).
    mutating func earliestUnneededSince() -> Int? {
        while let top = timers.min {
            if isLive[top.slot] && unneededSince[top.slot] == top.since { return top.since }
            timers.removeMin()
        }
        return nil
    }
}

/// What a relocation's moves so far add to one target node.
struct RelocationExtra: Sendable {
    var slot: Int
    var cpu: Int64 = 0
    var memory: Int64 = 0
    var pods = 0
    /// Only for pods with extended resources or host ports.
    var extended = ExtendedResources.none
    var ports: [HostPort] = []
}

/// A node marked unneeded since a time; the pool's heap of these, soonest first, drops entries of
/// nodes since marked needed or removed when they come to the top.
struct UnneededTimer: Comparable, Sendable {
    var since: Int
    var slot: Int

    static func < (lhs: UnneededTimer, rhs: UnneededTimer) -> Bool { (lhs.since, lhs.slot) < (rhs.since, rhs.slot) }
}
