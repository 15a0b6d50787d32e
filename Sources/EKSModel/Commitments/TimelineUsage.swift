import Foundation

/// The usage commitments apply to, hour by hour, from what a simulation ran.
extension HourlyUsage {
    /// On-demand instance-hours per type and OS (spot nodes are never covered) and Fargate
    /// vCPU-hours and GB-hours, per clock hour of the period. A step longer than an hour is
    /// spread evenly over the hours it spans (its usage is known only as a total).
    public static func from(_ timeline: ClusterTimeline, cluster: Cluster, region: String) -> HourlyUsage {
        let hours = max(1, (timeline.periodSeconds + 3599) / 3600)
        var rows = [[UsageKey: Decimal]](repeating: [:], count: hours)
        var nodeKeys: [(Int, UsageKey)] = []
        for (index, key) in timeline.nodeKeys.enumerated() {
            guard let group = cluster.nodeGroups.first(where: { $0.name == key.group }), group.capacityType == .onDemand else { continue }
            nodeKeys.append((index, .instance(key.type, os: group.os, region: region)))
        }
        let fargate = timeline.fargateWorkloadNames.enumerated().compactMap { index, name in
            timeline.fargateSizes[name].map { (index, $0) }
        }
        let vcpu = UsageKey(region: region, resource: .fargateVCPU), memory = UsageKey(region: region, resource: .fargateMemory)
        for step in 0..<timeline.stepCount {
            let start = timeline.stepStarts[step], seconds = timeline.stepSeconds[step]
            // The hours the step covers, and the share of its usage in each.
            let end = start + max(seconds, 1)
            let first = start / 3600, last = max(first, (end - 1) / 3600)
            guard first < hours else { continue }
            for hour in first...min(last, hours - 1) {
                let overlap = min(start + seconds, (hour + 1) * 3600) - max(start, hour * 3600)
                let share: Decimal = seconds > 0 ? Decimal(overlap) / Decimal(seconds) : 1
                for (index, key) in nodeKeys {
                    let used = timeline.nodeSecondsByType[index][step]
                    guard used > 0 else { continue }
                    rows[hour][key, default: 0] += Decimal(used) * share / 3600
                }
                for (index, size) in fargate {
                    let used = timeline.fargatePodSecondsByWorkload[index][step]
                    guard used > 0 else { continue }
                    let podHours = Decimal(used) * share / 3600
                    rows[hour][vcpu, default: 0] += podHours * size.vcpu
                    rows[hour][memory, default: 0] += podHours * size.memoryGB
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
        return .error("no \(what) for \(key) (\(reason)) in snapshot \(snapshot.id); run 'ekscost pricing fetch \(key.region)', which fetches AWS's Savings Plans and Reserved prices for the region, or import its price lists with 'ekscost pricing import'",
                      at: scenario.location(of: path))
    }
}
