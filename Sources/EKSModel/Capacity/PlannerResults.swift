import Foundation

extension Planner {
    // MARK: - Results

    func summarize(unplaced: [PodRun]) -> ClusterCapacity {
        var plans: [String: NodeTypePlan] = [:]
        var order: [String] = []
        // (group, type) → pods, per workload.
        var placed = Array(repeating: [String: Int](), count: workloads.count)
        for slot in pool.slotsInOrder {
            let node = pool.bins[slot]
            let template = templates[node.template]
            let key = "\(template.groupName)\u{1F}\(template.type.name)"
            let use = rules.addresses(template: node.template, ipPods: node.ipPods)
            if plans[key] == nil {
                order.append(key)
                plans[key] = NodeTypePlan(
                    groupName: template.groupName, type: template.type, nodes: 0, pods: 0,
                    requested: .zero, daemonSetPodsPerNode: template.daemonSets.count,
                    daemonSetRequestsPerNode: template.daemonSetRequests,
                    maxPodsPerNode: template.maxPods, allocatablePerNode: template.allocatable,
                    enis: 0, subnetIPs: 0)
            }
            plans[key]!.nodes += 1
            plans[key]!.pods += node.pods
            plans[key]!.requested = plans[key]!.requested + node.used
            plans[key]!.enis += use.enis
            plans[key]!.subnetIPs += use.subnetIPs
            let placement = "\(template.groupName)/\(template.type.name)"
            for (workload, count) in node.podsByWorkload.entries { placed[workload][placement, default: 0] += count }
        }
        // Groups in scenario order, types by name within a group.
        let groupOrder = Dictionary(uniqueKeysWithValues: cluster.nodeGroups.enumerated().map { ($1.name, $0) })
        let nodeTypes = order.map { plans[$0]! }.sorted {
            (groupOrder[$0.groupName] ?? 0, $0.type.name) < (groupOrder[$1.groupName] ?? 0, $1.type.name)
        }
        let placements = workloads.indices.map {
            WorkloadPlacement(workload: workloads[$0].qualifiedName, pods: placed[$0])
        }
        return ClusterCapacity(
            cluster: cluster.name, nodeTypes: nodeTypes,
            unschedulable: unplaced.map(explain), placements: placements, subnetUse: [])
    }

    func explain(_ run: PodRun) -> UnschedulablePods {
        explain(run, workload: workloads[run.workload])
    }

    func explain(_ run: PodRun, workload: Workload) -> UnschedulablePods {
        let request = workload.placementRequests
        let ports = workload.hostPorts
        let all = groupTemplates.indices.flatMap(sizingTemplates)
        let bySelector = all.filter { workload.acceptsNode(labeled: templates[$0].labels) }
        let reason: UnschedulableReason
        if bySelector.isEmpty {
            reason = .noMatchingNodeSelector
        } else {
            let tolerated = bySelector.filter { workload.untoleratedTaint(among: templates[$0].taints) == nil }
            let portFree = tolerated.filter { !ports.conflicts(with: templates[$0].daemonSetHostPorts) }
            if tolerated.isEmpty {
                let first = templates[bySelector[0]]
                reason = .untoleratedTaint(
                    group: first.groupName, taint: workload.untoleratedTaint(among: first.taints)!)
            } else if portFree.isEmpty {
                reason = Self.portTaken(ports, on: templates[tolerated[0]])
            } else if let shortage = extendedShortage(request.extended, among: portFree) {
                reason = shortage
            } else {
                let fitting = portFree.filter {
                    PlacementRules.room(for: request, in: templates[$0], used: .zero, pods: 0, podPorts: ports) > 0
                }
                if fitting.isEmpty {
                    let largest = portFree.max { a, b in
                        let ra = templates[a].room
                        let rb = templates[b].room
                        return (ra.cpuMillicores, ra.memoryBytes) < (rb.cpuMillicores, rb.memoryBytes)
                    }!
                    let template = templates[largest]
                    reason = .largerThanAnyNode(
                        largest: "\(template.groupName)/\(template.type.name)",
                        room: template.room, slots: template.podSlots)
                } else {
                    var groups: [String] = []
                    for index in fitting where !groups.contains(templates[index].groupName) {
                        groups.append(templates[index].groupName)
                    }
                    reason = .groupAtMaximum(groups: groups)
                }
            }
        }
        return UnschedulablePods(workload: workload.qualifiedName, count: run.count, requests: request, reason: reason)
    }

    /// The first host port of `ports` a DaemonSet on `template` binds already.
    static func portTaken(_ ports: [HostPort], on template: NodeTemplate) -> UnschedulableReason {
        for port in ports {
            if let daemonSet = template.daemonSets.first(where: { [port].conflicts(with: $0.hostPorts) }) {
                return .hostPortTaken(port: port, daemonSet: daemonSet.qualifiedName)
            }
        }
        return .hostPortTaken(port: ports[0], daemonSet: "a DaemonSet")
    }

    /// The first extended resource of `request` that no node of `candidates` has enough of, with the
    /// most one has (and where).
    func extendedShortage(_ request: ExtendedResources, among candidates: [Int]) -> UnschedulableReason? {
        for entry in request.entries {
            let best = candidates.max {
                templates[$0].room.extended[entry.name] < templates[$1].room.extended[entry.name]
            }!
            let most = templates[best].room.extended[entry.name]
            guard most < entry.amount else { continue }
            let template = templates[best]
            return .insufficientExtendedResource(
                resource: entry.name, requested: entry.amount, most: most,
                node: most > 0 ? "\(template.groupName)/\(template.type.name)" : nil)
        }
        return nil
    }

    /// Addresses per subnet scope. Fargate pods (one address each) use the cluster's subnets.
    func subnetUse(_ nodeTypes: [NodeTypePlan], fargatePods: Int) -> [SubnetUse] {
        var uses: [SubnetUse] = []
        var sharedGroups: [String] = fargatePods > 0 ? ["Fargate"] : []
        var sharedAddresses = fargatePods
        for group in cluster.nodeGroups {
            let addresses = nodeTypes.filter { $0.groupName == group.name }.reduce(0) { $0 + $1.subnetIPs }
            if let own = group.subnets {
                uses.append(SubnetUse(groups: [group.name], spec: own, addressesUsed: addresses))
            } else {
                sharedGroups.append(group.name)
                sharedAddresses += addresses
            }
        }
        if let shared = cluster.networking.subnets, !sharedGroups.isEmpty {
            uses.insert(SubnetUse(groups: sharedGroups, spec: shared, addressesUsed: sharedAddresses), at: 0)
        }
        return uses
    }
}
