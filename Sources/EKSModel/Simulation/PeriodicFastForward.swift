import Foundation

// Exact fast-forward of a simulation that has entered a cycle.
//
// The node simulation is deterministic: what it does from a moment on depends only on its state
// then and on the replica changes still to come. Once every trajectory's changes repeat every P
// seconds and the state at a boundary t equals the state at t − P (times taken relative to now),
// every later period repeats the last one exactly, so its increments are added as many times as
// whole periods fit before the period's end, the clock jumps, and the simulation goes on normally.

extension ReplicaTrajectory {
    /// The earliest second from which this trajectory's changes repeat every `period` seconds up to
    /// `end`: every change at t ≥ that second with t + `period` < `end` is followed by the same
    /// change at t + `period`, and every change at t ≥ that second + `period` was preceded by the
    /// same change at t − `period`.
    func periodicFrom(period: Int, end: Int) -> Int {
        var from = 0
        let count = changes.count
        var ahead = 0
        var behind = 0
        for change in changes {
            if change.time + period < end {
                while ahead < count && changes[ahead].time < change.time + period { ahead += 1 }
                if ahead == count || changes[ahead].time != change.time + period
                    || changes[ahead].replicas != change.replicas
                {
                    from = max(from, change.time + 1)
                }
            }
            if change.time >= period {
                while behind < count && changes[behind].time < change.time - period { behind += 1 }
                if behind == count || changes[behind].time != change.time - period
                    || changes[behind].replicas != change.replicas
                {
                    from = max(from, change.time - period + 1)
                }
            }
        }
        return from
    }
}

/// What a simulation's fast-forward did: the period it looked for (0 when none could apply), the
/// second from which every trajectory repeats with it, and how many whole periods it skipped.
public struct FastForwardSummary: Sendable, Equatable {
    public var periodSeconds = 0
    public var periodicFrom = 0
    public var skippedPeriods = 0

    public init(periodSeconds: Int = 0, periodicFrom: Int = 0, skippedPeriods: Int = 0) {
        self.periodSeconds = periodSeconds
        self.periodicFrom = periodicFrom
        self.skippedPeriods = skippedPeriods
    }
}

/// Everything that can influence a simulation's future, with times taken relative to now: nodes in
/// creation order (slot numbers, creation positions and index layouts are left out: every choice
/// depends on them only through that order), replicas, pending pods, Fargate pods, pod counts.
/// Ages that only decide a one-minute minimum are capped at the minute.
struct SimulationState: Equatable {
    struct Node: Equatable {
        var template: Int
        var used: ResourceRequests
        var pods: Int
        var ipPods: Int
        var hostPorts: [HostPort]
        var workloads: [Int32]
        var counts: [Int32]
        /// Seconds since launch, capped at the billing minimum.
        var age: Int
        /// Seconds since the Cluster Autoscaler found it unneeded (-1 when needed).
        var unneededFor: Int
    }
    var nodes: [Node] = []
    var nodesPerTemplate: [Int] = []
    var nodesPerGroup: [Int] = []
    var enis = 0
    var subnetIPsPerGroup: [Int] = []
    var replicas: [Int] = []
    var pending: [Int] = []
    var pendingTotal = 0
    var needsScaleDownReview = false
    /// Per workload, its Fargate pods' ages (capped) in start order.
    var fargateAges: [[Int]] = []
    var podCounts: [Int] = []
}

/// The bookkeeping of the fast-forward: boundaries, the last boundary's state and totals.
struct CycleDetector {
    /// The period looked for (0: none) and the second from which every trajectory repeats with it.
    var period = 0
    var periodicFrom = 0
    /// The next boundary to take the state at (`Int.max` when no more).
    var nextBoundary = Int.max
    var previousTime = -1
    var previous = SimulationState()
    var previousPodSeconds: [Int64] = []
    var previousStep = 0
    var skippedPeriods = 0

    /// Periods tried, shortest first: a day, a week.
    static let candidatePeriods = [86_400, 604_800]

    /// Picks the candidate period that could skip the most (the shorter on ties): every trajectory must
    /// follow it early enough to leave two boundaries and a period to skip before `end`, on boundaries
    /// that are report step starts.
    init(trajectories: [ReplicaTrajectory], end: Int, stepSeconds: Int, enabled: Bool) {
        guard enabled, stepSeconds > 0 else { return }
        var mostSkipped = 0
        for period in Self.candidatePeriods where period % stepSeconds == 0 {
            let from = trajectories.reduce(0) { max($0, $1.periodicFrom(period: period, end: end)) }
            // Boundaries are multiples of the period; the first compared is the first at or after `from`,
            // so the earliest jump is a period later.
            let first = (from + period - 1) / period * period
            let skipped = first + period < end ? (end - first - period) / period * period : 0
            guard skipped > mostSkipped else { continue }
            mostSkipped = skipped
            self.period = period
            periodicFrom = from
            nextBoundary = first
        }
    }

    var summary: FastForwardSummary {
        FastForwardSummary(periodSeconds: period, periodicFrom: periodicFrom, skippedPeriods: skippedPeriods)
    }
}

extension NodeSimulation {
    // MARK: - Fast-forward

    /// At a boundary (before the changes due at it): takes the state, and when it equals the last
    /// boundary's, repeats the last period for as many whole periods as fit. Returns whether it jumped.
    mutating func reachBoundary(_ upcoming: inout ChangeQueue) -> Bool {
        let boundary = clock
        let period = cycle.period
        cycle.nextBoundary = boundary + period
        guard steps.starts[steps.last] == boundary, steps.seconds[steps.last] == 0 else { return false }
        let state = currentState()
        let totals = podSecondTotals()
        defer {
            cycle.previousTime = boundary
            cycle.previous = state
            cycle.previousPodSeconds = totals
            cycle.previousStep = steps.last
        }
        let repeats = (periodSeconds - boundary) / period
        guard cycle.previousTime == boundary - period, cycle.previousTime >= cycle.periodicFrom, repeats > 0,
            state == cycle.previous
        else { return false }
        let shift = repeats * period
        steps.repeatRows(cycle.previousStep..<steps.last, times: repeats, shift: period)
        for index in totals.indices {
            podSecondsAccumulated[index] =
                totals[index] + Int64(repeats) * (totals[index] - cycle.previousPodSeconds[index])
            podCountSince[index] = boundary + shift
        }
        clock = boundary + shift
        planner.pool.shiftTimes(by: shift)
        for index in fargateStarts.indices {
            for pod in fargateStarts[index].indices { fargateStarts[index][pod] += shift }
        }
        upcoming.skip(to: clock)
        cycle.skippedPeriods = repeats
        // What is left is shorter than a period.
        cycle.nextBoundary = Int.max
        return true
    }

    /// Pod-seconds per (template, workload) up to now.
    func podSecondTotals() -> [Int64] {
        podCounts.indices.map {
            podSecondsAccumulated[$0] + Int64(podCounts[$0]) * Int64(clock - podCountSince[$0])
        }
    }

    func currentState() -> SimulationState {
        let minimum = ShortLivedBilling.minimumSeconds
        let pool = planner.pool
        var state = SimulationState()
        state.nodes = pool.slotsInOrder.map { slot in
            let bin = pool.bins[slot]
            return SimulationState.Node(
                template: bin.template, used: bin.used, pods: bin.pods, ipPods: bin.ipPods, hostPorts: bin.hostPorts,
                workloads: bin.podsByWorkload.workloads, counts: bin.podsByWorkload.counts,
                age: min(minimum, clock - pool.launchedAt[slot]),
                unneededFor: pool.unneededSince[slot].map { clock - $0 } ?? -1)
        }
        state.nodesPerTemplate = pool.nodesPerTemplate
        state.nodesPerGroup = pool.nodesPerGroup
        state.enis = pool.enis
        state.subnetIPsPerGroup = pool.subnetIPsPerGroup
        state.replicas = replicas
        state.pending = pending
        state.pendingTotal = pendingTotal
        state.needsScaleDownReview = needsScaleDownReview
        state.fargateAges = fargateStarts.map { $0.map { min(minimum, clock - $0) } }
        state.podCounts = podCounts
        return state
    }
}

extension StepColumns {
    /// Replaces the open (empty) last step by `times` copies of the steps in `rows`, each copy's
    /// starts `shift` seconds after the one before, and opens a step after them.
    mutating func repeatRows(_ rows: Range<Int>, times: Int, shift: Int) {
        let open = starts[last]
        starts.removeLast()
        seconds.removeLast()
        eniSeconds.removeLast()
        pendingPods.removeLast()
        for column in fargatePodSeconds.indices { fargatePodSeconds[column].removeLast() }
        for copy in 1...times {
            for row in rows {
                starts.append(starts[row] + copy * shift)
                seconds.append(seconds[row])
                eniSeconds.append(eniSeconds[row])
                pendingPods.append(pendingPods[row])
                for column in fargatePodSeconds.indices {
                    fargatePodSeconds[column].append(fargatePodSeconds[column][row])
                }
            }
        }
        // Node columns are filled only as far as a value was set; those holding nothing from `rows` on
        // stay short (zeros).
        Self.repeatColumns(&nodeSeconds, rows, times: times)
        Self.repeatColumns(&nodes, rows, times: times)
        start(at: open + times * shift)
    }

    private static func repeatColumns<Value: BinaryInteger>(_ columns: inout [[Value]], _ rows: Range<Int>, times: Int)
    {
        for index in columns.indices where columns[index].count > rows.lowerBound {
            pad(&columns[index], to: rows.upperBound)
            let period = Array(columns[index][rows])
            for _ in 0..<times { columns[index] += period }
        }
    }
}
