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
    private var slotAtPosition: [Int] = []
    /// Running counts.
    private(set) var nodesPerTemplate: [Int]
    private(set) var nodesPerGroup: [Int]
    private(set) var enis = 0
    private(set) var subnetIPsPerGroup: [Int]
    /// Templates with at least one node, in template order.
    private(set) var occupiedTemplates: [Int] = []
    /// Per workload: the slots running its pods.
    private(set) var hosts: [[Int]]
    /// Per workload: the bits of the templates that admit it (see `FirstFitIndex.bit`).
    private let admittingKinds: [UInt64]
    private var leastAllocated: LeastAllocatedTrees
    private var firstFit = FirstFitIndex()
    /// Slots whose first-fit entry is out of date (brought up to date before a first-fit query).
    private var staleFirstFit: [Int] = []
    private var timers = UnneededTimers()

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
        leastAllocated = LeastAllocatedTrees(templates: rules.templates.count)
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
    mutating func replace(_ slot: Int, by template: Int, at time: Int) -> (slot: Int, replaced: NodeBin, launchedAt: Int) {
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
        var low = 0, high = slotsInOrder.count
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
        let template = bin.template, group = rules.templateGroup[template]
        if nodesPerTemplate[template] == 0 {
            occupiedTemplates.insert(template, at: occupiedTemplates.firstIndex { $0 > template } ?? occupiedTemplates.count)
        }
        nodesPerTemplate[template] += 1
        nodesPerGroup[group] += 1
        if addressTables[template].isEmpty {
            addressTables[template] = (0...max(0, rules.templateSlots[template])).map { rules.addresses(template: template, ipPods: $0) }
        }
        addressUse[slot] = addresses(template: template, ipPods: bin.ipPods)
        enis += addressUse[slot].enis
        subnetIPsPerGroup[group] += addressUse[slot].subnetIPs
        for workload in bin.podsByWorkload.workloadIndices { hosts[workload].append(slot) }
        leastAllocated.insert(slot, template: template, load: load(of: slot), order: rank, free: free(of: slot))
        staleFirstFit.append(slot)
        return slot
    }

    private mutating func vacate(_ slot: Int) -> (bin: NodeBin, launchedAt: Int) {
        let bin = bins[slot]
        let template = bin.template, group = rules.templateGroup[template]
        nodesPerTemplate[template] -= 1
        if nodesPerTemplate[template] == 0, let index = occupiedTemplates.firstIndex(of: template) { occupiedTemplates.remove(at: index) }
        nodesPerGroup[group] -= 1
        enis -= addressUse[slot].enis
        subnetIPsPerGroup[group] -= addressUse[slot].subnetIPs
        for workload in bin.podsByWorkload.workloadIndices {
            if let index = hosts[workload].firstIndex(of: slot) { hosts[workload].remove(at: index) }
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
        let before = bins[slot].podsByWorkload[workload]
        bins[slot].add(count, of: workload, rules.pods[workload])
        if before == 0 { hosts[workload].append(slot) }
        podsChanged(slot)
    }

    /// Takes `count` pods of `workload` off the node in `slot`.
    mutating func remove(_ count: Int, of workload: Int, from slot: Int) {
        guard count > 0 else { return }
        bins[slot].remove(count, of: workload, rules.pods[workload])
        if bins[slot].podsByWorkload[workload] == 0, let index = hosts[workload].firstIndex(of: slot) { hosts[workload].remove(at: index) }
        podsChanged(slot)
    }

    private mutating func podsChanged(_ slot: Int) {
        let template = bins[slot].template, group = rules.templateGroup[template]
        let use = addresses(template: template, ipPods: bins[slot].ipPods)
        enis += use.enis - addressUse[slot].enis
        subnetIPsPerGroup[group] += use.subnetIPs - addressUse[slot].subnetIPs
        addressUse[slot] = use
        leastAllocated.update(slot, load: load(of: slot), order: position[slot], free: free(of: slot))
        staleFirstFit.append(slot)
    }

    @inline(__always)
    private func addresses(template: Int, ipPods: Int) -> NodeAddressUse {
        ipPods >= 0 && ipPods < addressTables[template].count ? addressTables[template][ipPods] : rules.addresses(template: template, ipPods: ipPods)
    }

    private func load(of slot: Int) -> LoadKey {
        LoadKey(used: bins[slot].used, allocatable: rules.templateAllocatable[bins[slot].template])
    }

    /// What the node in `slot` has free for workload pods.
    private func free(of slot: Int) -> LeastAllocatedTrees.Free {
        let template = bins[slot].template
        return LeastAllocatedTrees.Free(cpu: rules.templateRoom[template].cpuMillicores - bins[slot].used.cpuMillicores,
                                        memory: rules.templateRoom[template].memoryBytes - bins[slot].used.memoryBytes,
                                        slots: Int64(rules.templateSlots[template] - bins[slot].pods))
    }

    // MARK: - Placement queries

    /// Places up to `count` pods of `workload` one after the other as kube-scheduler does (default
    /// NodeResourcesFit scoring, LeastAllocated): each on the node where it leaves the most room, as
    /// the mean of the CPU and memory shares of allocatable, among the nodes it fits; ties go to the
    /// earlier node. Per template the tree gives the least allocated node that fits; the templates'
    /// best are compared by score, and after each pod only the template that took it is searched
    /// again. Returns the slot of each pod placed, in order.
    mutating func placeLeastAllocated(_ count: Int, of workload: Int) -> [Int] {
        var placed: [Int] = []
        guard count > 0 else { return placed }
        // Per admitting template with nodes: its best node and that node's score.
        var best: [(template: Int, slot: Int, score: Double)] = []
        for template in occupiedTemplates where rules.admits(template, workload) {
            if let slot = leastAllocatedNode(of: template, for: workload) {
                best.append((template, slot, rules.score(bins[slot].used, template: template, adding: rules.pods[workload].request)))
            }
        }
        while placed.count < count, !best.isEmpty {
            var chosen = 0
            for index in best.indices.dropFirst() {
                let candidate = best[index], current = best[chosen]
                if candidate.score < current.score || (candidate.score == current.score && position[candidate.slot] < position[current.slot]) {
                    chosen = index
                }
            }
            let (template, slot, _) = best[chosen]
            add(1, of: workload, to: slot)
            placed.append(slot)
            if let next = leastAllocatedNode(of: template, for: workload) {
                best[chosen] = (template, next, rules.score(bins[next].used, template: template, adding: rules.pods[workload].request))
            } else {
                best.remove(at: chosen)
            }
        }
        return placed
    }

    /// The least allocated node of `template` that a pod of `workload` fits.
    private mutating func leastAllocatedNode(of template: Int, for workload: Int) -> Int? {
        leastAllocated.leastLoaded(of: template, cpu: rules.pods[workload].request.cpuMillicores,
                                   memory: rules.pods[workload].request.memoryBytes,
                                   where: { rules.room(for: workload, in: bins[$0], as: template) > 0 })
    }

    /// Takes `count` pods of `workload` off its nodes as the ReplicaSet controller deletes them: from
    /// the node running the most of its pods, the newest on ties, one pod after the other
    /// (controller_utils.go ActivePodsWithRanks). Returns how many came off each node.
    mutating func removeFromBusiest(_ count: Int, of workload: Int) -> [(slot: Int, count: Int)] {
        // The hosts with their pods and what comes off each; then one pod at a time off the busiest.
        var hosts = self.hosts[workload].map { (slot: $0, pods: bins[$0].podsByWorkload[workload], taken: 0) }
        var left = count
        while left > 0 {
            var busiest = -1
            for index in hosts.indices where hosts[index].pods > 0 {
                if busiest < 0 || hosts[index].pods > hosts[busiest].pods
                    || (hosts[index].pods == hosts[busiest].pods && position[hosts[index].slot] > position[hosts[busiest].slot]) {
                    busiest = index
                }
            }
            guard busiest >= 0 else { break }
            // As many as keep it the busiest: down to the next busiest's count (newer nodes win ties).
            var next = 0
            for index in hosts.indices where index != busiest && hosts[index].pods > 0 {
                let pods = hosts[index].pods + (position[hosts[index].slot] > position[hosts[busiest].slot] ? 0 : -1)
                next = max(next, pods)
            }
            let take = min(left, max(1, hosts[busiest].pods - next))
            hosts[busiest].pods -= take
            hosts[busiest].taken += take
            left -= take
        }
        var removed: [(slot: Int, count: Int)] = []
        for host in hosts where host.taken > 0 {
            remove(host.taken, of: workload, from: host.slot)
            removed.append((host.slot, host.taken))
        }
        return removed
    }

    /// Brings the first-fit tree up to date with the nodes' pods.
    mutating func refreshFirstFit() {
        for slot in staleFirstFit where isLive[slot] {
            let free = free(of: slot)
            firstFit.set(position[slot], cpu: free.cpu, memory: free.memory, slots: free.slots, kinds: FirstFitIndex.bit(bins[slot].template))
        }
        staleFirstFit.removeAll(keepingCapacity: true)
    }

    /// The first live slot from creation position `start` on that may have room for a pod of
    /// `workload`, and its position, passing over whole runs of nodes that cannot (see
    /// `FirstFitIndex`); `refreshFirstFit()` must have run since pods last changed before `start`.
    func nextCandidate(for workload: Int, from start: Int, excluding excluded: Int = -1) -> (slot: Int, position: Int)? {
        let request = rules.pods[workload].request
        var from = start
        while let found = firstFit.first(from: from, cpu: request.cpuMillicores, memory: request.memoryBytes,
                                         kinds: admittingKinds[workload]) {
            from = found + 1
            let slot = slotAtPosition[found]
            if slot != excluded && slot >= 0 { return (slot, found) }
        }
        return nil
    }

    /// Where the workload pods of `slot` could all go on the other nodes, first fit in creation
    /// order, as the Cluster Autoscaler's scale-down simulation checks; nil when some cannot.
    /// Call `refreshFirstFit()` first.
    func relocation(of slot: Int) -> [(slot: Int, workload: Int, count: Int)]? {
        // What the moves so far add to their targets: few entries, so a list, not a copy of every node.
        var added: [(slot: Int, bin: NodeBin)] = []
        var moves: [(slot: Int, workload: Int, count: Int)] = []
        for (workload, count) in bins[slot].podsByWorkload.entries {
            var left = count
            var from = 0
            while left > 0, let (target, found) = nextCandidate(for: workload, from: from, excluding: slot) {
                from = found + 1
                let template = bins[target].template
                guard rules.admits(template, workload) else { continue }
                let entry = added.firstIndex { $0.slot == target }
                let room: Int
                if let entry {
                    let extra = added[entry].bin
                    room = rules.room(for: workload, template: template, used: bins[target].used + extra.used,
                                      pods: bins[target].pods + extra.pods, ports: bins[target].hostPorts + extra.hostPorts)
                } else {
                    room = rules.room(for: workload, in: bins[target], as: template)
                }
                let take = min(left, room)
                guard take > 0 else { continue }
                if let entry {
                    added[entry].bin.add(take, of: workload, rules.pods[workload])
                } else {
                    var extra = NodeBin(template: template)
                    extra.add(take, of: workload, rules.pods[workload])
                    added.append((target, extra))
                }
                moves.append((target, workload, take))
                left -= take
            }
            if left > 0 { return nil }
        }
        return moves
    }

    // MARK: - Unneeded nodes

    mutating func markUnneeded(_ slot: Int, since time: Int) {
        guard unneededSince[slot] == nil else { return }
        unneededSince[slot] = time
        timers.push(since: time, slot: slot)
    }

    mutating func markNeeded(_ slot: Int) { unneededSince[slot] = nil }

    /// When the soonest unneeded time started (nil when no node is unneeded).
    mutating func earliestUnneededSince() -> Int? {
        while let top = timers.top {
            if isLive[top.slot] && unneededSince[top.slot] == top.since { return top.since }
            timers.pop()
        }
        return nil
    }
}

/// A min-heap of (since, slot) for nodes marked unneeded; entries of nodes since marked needed or
/// removed are dropped when they come to the top.
struct UnneededTimers: Sendable {
    private var entries: [(since: Int, slot: Int)] = []

    var top: (since: Int, slot: Int)? { entries.first }

    mutating func push(since: Int, slot: Int) {
        entries.append((since, slot))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].since < entries[parent].since else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() {
        entries.swapAt(0, entries.count - 1)
        entries.removeLast()
        var index = 0
        while true {
            let left = 2 * index + 1, right = left + 1
            var smallest = index
            if left < entries.count && entries[left].since < entries[smallest].since { smallest = left }
            if right < entries.count && entries[right].since < entries[smallest].since { smallest = right }
            guard smallest != index else { return }
            entries.swapAt(index, smallest)
            index = smallest
        }
    }
}
