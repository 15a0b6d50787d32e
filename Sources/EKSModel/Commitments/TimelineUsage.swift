public import Foundation

/// The usage commitments apply to, hour by hour, from what a simulation ran.
extension HourlyUsage {
    /// On-demand instance-hours per type and OS (spot nodes, and nodes already priced on a
    /// Reserved term, are never covered) and Fargate vCPU-hours and GB-hours, per clock hour of
    /// the period. A step longer than an hour is spread evenly over the hours it spans (its usage
    /// is known only as a total).
    public static func from(_ timeline: ClusterTimeline, cluster: Cluster, region: String) -> HourlyUsage {
        let hours = hourCount(timeline)
        var rows = [[UsageKey: Decimal]](repeating: [:], count: hours)
        visit(timeline, cluster: cluster, region: region) { _, hour, key, quantity in
            rows[hour][key, default: 0] += quantity
        }
        return HourlyUsage(hours: rows)
    }

    static func hourCount(_ timeline: ClusterTimeline) -> Int { max(1, (timeline.periodSeconds + 3599) / 3600) }

    /// Calls `body(step, hour, key, quantity)` for each step's usage in each clock hour it overlaps.
    static func visit(
        _ timeline: ClusterTimeline, cluster: Cluster, region: String,
        _ body: (_ step: Int, _ hour: Int, _ key: UsageKey, _ quantity: Decimal) -> Void
    ) {
        let hours = hourCount(timeline)
        var nodeKeys: [(Int, UsageKey)] = []
        for (index, key) in timeline.nodeKeys.enumerated() {
            guard let group = cluster.nodeGroups.first(where: { $0.name == key.group }),
                group.capacityType == .onDemand,
                group.reserved == nil
            else { continue }
            nodeKeys.append((index, .instance(key.type, os: group.os, region: region)))
        }
        let fargate = timeline.fargateWorkloadNames.enumerated().compactMap { index, name in
            timeline.fargateSizes[name].map { (index, $0) }
        }
        let vcpu = UsageKey(region: region, resource: .fargateVCPU)
        let memory = UsageKey(region: region, resource: .fargateMemory)
        // Steps repeat the same seconds over the same overlap (full hours, steady node counts): each
        // quantity is worked out once, with the same arithmetic, so it is the same Decimal.
        var known: [SIMD3<Int64>: Decimal] = [:]
        func hoursUsed(_ used: Int64, overlap: Int, seconds: Int) -> Decimal {
            let key = SIMD3(used, Int64(overlap), Int64(seconds))
            if let hours = known[key] { return hours }
            let share: Decimal = seconds > 0 ? Decimal(overlap) / Decimal(seconds) : 1
            let hours = Decimal(used) * share / 3600
            known[key] = hours
            return hours
        }
        for step in 0..<timeline.stepCount {
            let start = timeline.stepStarts[step]
            let seconds = timeline.stepSeconds[step]
            // The hours the step covers, and the share of its usage in each.
            let end = start + max(seconds, 1)
            let first = start / 3600
            let last = max(first, (end - 1) / 3600)
            guard first < hours else { continue }
            for hour in first...min(last, hours - 1) {
                let overlap = min(start + seconds, (hour + 1) * 3600) - max(start, hour * 3600)
                for (index, key) in nodeKeys {
                    let used = timeline.nodeSecondsByType[index][step]
                    guard used > 0 else { continue }
                    body(step, hour, key, hoursUsed(used, overlap: overlap, seconds: seconds))
                }
                for (index, size) in fargate {
                    let used = timeline.fargatePodSecondsByWorkload[index][step]
                    guard used > 0 else { continue }
                    let podHours = hoursUsed(used, overlap: overlap, seconds: seconds)
                    body(step, hour, vcpu, podHours * size.vcpu)
                    body(step, hour, memory, podHours * size.memoryGB)
                }
            }
        }
    }

    /// A plan that does not vary: its on-demand nodes and Fargate pods every hour of the period
    /// (a last partial hour when the period's hours are not whole).
    public static func constant(_ plan: ClusterCapacity, cluster: Cluster, region: String, periodHours: Decimal)
        -> HourlyUsage
    {
        var row: [UsageKey: Decimal] = [:]
        for typePlan in plan.nodeTypes where typePlan.nodes > 0 {
            guard let group = cluster.nodeGroups.first(where: { $0.name == typePlan.groupName }),
                group.capacityType == .onDemand,
                group.reserved == nil
            else { continue }
            row[.instance(typePlan.type.name, os: group.os, region: region), default: 0] += Decimal(typePlan.nodes)
        }
        for placement in plan.fargate where placement.runs == nil && placement.pods > 0 {
            row[UsageKey(region: region, resource: .fargateVCPU), default: 0] +=
                Decimal(placement.pods) * placement.size.vcpu
            row[UsageKey(region: region, resource: .fargateMemory), default: 0] +=
                Decimal(placement.pods) * placement.size.memoryGB
        }
        let whole = DecimalText.truncated(periodHours)
        var rows = Array(repeating: row, count: max(0, Int(truncating: whole as NSDecimalNumber)))
        if periodHours > whole { rows.append(row.mapValues { $0 * (periodHours - whole) }) }
        return HourlyUsage(hours: rows)
    }

    /// The sum of usages over the same hours (the longest's count).
    static func sum(_ usages: [HourlyUsage]) -> HourlyUsage {
        let hours = usages.map(\.hourCount).max() ?? 0
        var rows = [[UsageKey: Decimal]](repeating: [:], count: hours)
        for usage in usages {
            for (hour, quantities) in usage.quantities.enumerated() {
                for (k, quantity) in quantities.enumerated() where quantity != 0 {
                    rows[hour][usage.keys[k], default: 0] += quantity
                }
            }
        }
        return HourlyUsage(hours: rows)
    }
}

extension CommitmentRates.Missing {
    /// The located error of a rate the snapshot lacks, naming the command that fetches it.
    public func diagnostic(in scenario: Scenario, snapshot: PriceSnapshot) -> Diagnostic {
        let what = key.term.hasPrefix("savings-plan-") ? "Savings Plans rate" : "Reserved Instance price"
        return .error(
            "no \(what) for \(key) (\(reason)) in snapshot \(snapshot.id); run 'ekscost pricing fetch \(key.region)', which fetches AWS's Savings Plans and Reserved prices for the region, or import its price lists with 'ekscost pricing import'",
            at: scenario.location(of: path))
    }
}
