public import Foundation
import HeapModule

/// Simulates a cluster through the period: replicas follow each HPA (phase 1); pods are
/// scheduled on the least allocated node that fits (kube-scheduler's default scoring); pods
/// with no room scale node groups up as in capacity planning; nodes are removed as the Cluster
/// Autoscaler does (requests under 50 % of allocatable, pods able to move, for 10 minutes;
/// cluster-autoscaler FAQ "How does scale-down work?") or, in Karpenter and Auto Mode groups,
/// consolidated as Karpenter does (deleted when their pods fit elsewhere, or replaced by a
/// strictly cheaper type). Nodes and Fargate pods are billed per second with a one-minute
/// minimum.
public enum ClusterSimulator {
    public static func simulate(
        _ cluster: Cluster, curves: [String: LoadCurve], catalog: InstanceCatalog,
        price: CapacityPlanner.PriceLookup, period: BillingPeriod,
        settings: SimulationSettings,
        trajectories known: TrajectoryStore? = nil
    ) -> Result<ClusterTimeline, ReplicaSimulation.Failure> {
        simulateReportingFastForward(
            cluster, curves: curves, catalog: catalog, price: price, period: period, settings: settings,
            trajectories: known
        ).map(\.timeline)
    }

    /// The same, with what the fast-forward of repeating periods did (`SimulationSettings.fastForwardCycles`).
    public static func simulateReportingFastForward(
        _ cluster: Cluster, curves: [String: LoadCurve], catalog: InstanceCatalog,
        price: CapacityPlanner.PriceLookup, period: BillingPeriod,
        settings: SimulationSettings,
        trajectories known: TrajectoryStore? = nil
    ) -> Result<(timeline: ClusterTimeline, fastForward: FastForwardSummary), ReplicaSimulation.Failure> {
        let settings = settings.forCluster(cluster)
        let workloads = cluster.podWorkloads
        let store = known ?? TrajectoryStore(curves: curves, period: period)
        var trajectories: [ReplicaTrajectory] = []
        for result in store.trajectories(workloads, requests: workloads.map(\.podRequests), settings: settings) {
            switch result {
            case .success(let trajectory): trajectories.append(trajectory)
            case .failure(let failure): return .failure(failure)
            }
        }
        var simulation = NodeSimulation(
            cluster: cluster, catalog: catalog, price: price, period: period,
            settings: settings, trajectories: trajectories)
        let timeline = simulation.run()
        return .success((timeline, simulation.cycle.summary))
    }
}

/// The simulation of one cluster's nodes through the period, on a `NodePool`.
struct NodeSimulation {
    var planner: Planner
    let cluster: Cluster
    let workloads: [Workload]
    let trajectories: [ReplicaTrajectory]
    let settings: SimulationSettings
    let periodSeconds: Int
    /// Workload index → index among the placement rules' workloads, for those on nodes; and back.
    let placedIndex: [Int?]
    let workloadIndex: [Int]
    let onFargate: [Bool]
    /// Workload index → its column among the Fargate workloads (-1 on nodes).
    let fargateColumn: [Int]
    let fargateWorkloads: [Int]
    let fargateSizes: [FargateSize?]
    /// Per node group: Karpenter-style, autoscaled, minimum size.
    let karpenterGroups: [Bool]
    let autoscaledGroups: [Bool]
    let minimumSizes: [Int]

    var replicas: [Int]
    var pending: [Int]
    var pendingTotal = 0
    var worstPending: [Int]
    var fargateStarts: [[Int]]

    // Integration over the period.
    var clock = 0
    var steps: StepColumns
    var templateSeen: [Bool]
    /// Whether pods were removed, nodes changed, or an unneeded node got pods since the last
    /// scale-down / consolidation pass (otherwise nothing can have become removable).
    var needsScaleDownReview = true
    var peakNodes = 0
    var peakNodesAt = 0
    var peakAddresses: [Int] = []
    var scopes: [(groups: [Int], spec: SubnetSpec, names: [String], fargate: Bool)] = []
    /// Pods per (template, placed workload) at `template × workloads + workload`, integrated into
    /// pod-seconds whenever the count changes.
    var podCounts: [Int] = []
    var podSecondsAccumulated: [Int64] = []
    var podCountSince: [Int] = []
    /// Buffers reused from one replica change to the next.
    var scratchSlots: [Int] = []
    var scratchRemoved: [(slot: Int, count: Int)] = []
    var scratchMoves: [(slot: Int, workload: Int, count: Int)] = []
    var scratchVisited: [Int] = []
    /// The fast-forward of repeating periods (`PeriodicFastForward.swift`).
    var cycle: CycleDetector

    init(
        cluster: Cluster, catalog: InstanceCatalog, price: CapacityPlanner.PriceLookup, period: BillingPeriod,
        settings: SimulationSettings, trajectories: [ReplicaTrajectory]
    ) {
        self.cluster = cluster
        self.workloads = cluster.podWorkloads
        self.trajectories = trajectories
        self.settings = settings
        self.periodSeconds = period.seconds
        planner = Planner(cluster: cluster, catalog: catalog, price: price, period: period)
        let placedNames = Dictionary(planner.workloads.enumerated().map { ($1.qualifiedName, $0) }) { first, _ in first
        }
        placedIndex = workloads.map { placedNames[$0.qualifiedName] }
        var back = Array(repeating: -1, count: planner.workloads.count)
        for (index, placed) in placedIndex.enumerated() { if let placed, back[placed] < 0 { back[placed] = index } }
        workloadIndex = back
        let fargate = workloads.map {
            cluster.fargateProfile(for: $0) != nil && FargateSizing.limitation(for: $0) == nil
        }
        onFargate = fargate
        fargateSizes = zip(workloads, fargate).map { workload, onFargate in
            onFargate ? FargateSizing.size(for: workload.podRequests) : nil
        }
        fargateWorkloads = fargate.indices.filter { fargate[$0] }
        var columns = Array(repeating: -1, count: fargate.count)
        for (column, index) in fargateWorkloads.enumerated() { columns[index] = column }
        fargateColumn = columns
        karpenterGroups = cluster.nodeGroups.map { $0.typeRule == .cheapestThatFits }
        autoscaledGroups = cluster.nodeGroups.map(\.isAutoscaled)
        minimumSizes = cluster.nodeGroups.map { $0.minSize ?? 0 }
        replicas = Array(repeating: 0, count: workloads.count)
        pending = replicas
        worstPending = replicas
        fargateStarts = Array(repeating: [], count: workloads.count)
        let templateCount = planner.templates.count
        steps = StepColumns(templates: templateCount, fargateWorkloads: fargateWorkloads.count)
        templateSeen = Array(repeating: false, count: templateCount)
        // Subnet scopes: the cluster's (shared, with Fargate) and the groups' own.
        var shared: [Int] = []
        for (index, group) in cluster.nodeGroups.enumerated() {
            if let own = group.subnets {
                scopes.append(([index], own, [group.name], false))
            } else {
                shared.append(index)
            }
        }
        if let subnets = cluster.networking.subnets {
            scopes.insert((shared, subnets, ["Fargate"] + shared.map { cluster.nodeGroups[$0].name }, true), at: 0)
        }
        peakAddresses = Array(repeating: 0, count: scopes.count)
        let pairs = templateCount * planner.workloads.count
        podCounts = Array(repeating: 0, count: pairs)
        podSecondsAccumulated = Array(repeating: 0, count: pairs)
        podCountSince = Array(repeating: 0, count: pairs)
        cycle = CycleDetector(
            trajectories: trajectories, end: period.seconds, stepSeconds: settings.reportStepSeconds,
            enabled: settings.fastForwardCycles)
    }

    mutating func run() -> ClusterTimeline {
        // Nodes that run from the start: fixed groups and minimum sizes.
        planner.launchInitialNodes(hasPods: true)
        steps.start(at: 0)
        // Replica changes of every workload in time order (by workload at a time): the next change
        // of each trajectory, in a heap.
        var upcoming = ChangeQueue(trajectories)
        var changes: [(workload: Int, replicas: Int)] = []
        while true {
            let eventTime = upcoming.nextTime
            let timerTime = nextTimer()
            let now = min(eventTime, timerTime, cycle.nextBoundary, periodSeconds)
            advance(to: now)
            if now >= periodSeconds { break }
            if now == cycle.nextBoundary {
                // A boundary alone changes nothing: the loop goes on at the next change or timer.
                if reachBoundary(&upcoming) || (eventTime > now && timerTime > now) { continue }
            }
            changes.removeAll(keepingCapacity: true)
            upcoming.popChanges(at: now, into: &changes)
            // Fewer replicas first, so new pods can use the room.
            changes.sort {
                ($0.replicas - replicas[$0.workload], $0.workload) < ($1.replicas - replicas[$1.workload], $1.workload)
            }
            for change in changes { setReplicas(change.workload, to: change.replicas) }
            schedulePending()
            if needsScaleDownReview || timerTime <= now {
                consolidateKarpenterGroups()
                scaleDown()
                needsScaleDownReview = false
            }
            recordPeaks()
        }
        finish()
        return timeline()
    }

    /// `delta` pods of placed workload `workload` start (or stop) running on a node of `template` now.
    mutating func countPods(_ delta: Int, of workload: Int, on template: Int) {
        let index = template * planner.workloads.count + workload
        podSecondsAccumulated[index] += Int64(podCounts[index]) * Int64(clock - podCountSince[index])
        podCountSince[index] = clock
        podCounts[index] += delta
    }

    /// The pods of a node start (`sign` 1) or stop (-1) being counted.
    mutating func countPods(on bin: NodeBin, sign: Int) {
        for (workload, count) in bin.podsByWorkload.entries { countPods(sign * count, of: workload, on: bin.template) }
    }
}

/// The next replica change of each trajectory, soonest first (by workload at a time).
struct ChangeQueue {
    /// When a workload's next change is due; ordered by time, then workload.
    private struct Due: Comparable {
        var time: Int
        var workload: Int

        static func < (lhs: Due, rhs: Due) -> Bool { (lhs.time, lhs.workload) < (rhs.time, rhs.workload) }
    }

    private let trajectories: [ReplicaTrajectory]
    private var next: [Int]
    private var heap = Heap<Due>()

    init(_ trajectories: [ReplicaTrajectory]) {
        self.trajectories = trajectories
        next = Array(repeating: 0, count: trajectories.count)
        for (workload, trajectory) in trajectories.enumerated() where !trajectory.changes.isEmpty {
            heap.insert(Due(time: trajectory.changes[0].time, workload: workload))
        }
    }

    var nextTime: Int { heap.min?.time ?? Int.max }

    /// Where the queue stands at `time` before the changes due then: each trajectory's next change
    /// is its first at or after `time`.
    mutating func skip(to time: Int) {
        heap = Heap()
        for (workload, trajectory) in trajectories.enumerated() {
            var low = 0
            var high = trajectory.changes.count
            while low < high {
                let middle = (low + high) / 2
                if trajectory.changes[middle].time < time { low = middle + 1 } else { high = middle }
            }
            next[workload] = low
            if low < trajectory.changes.count {
                heap.insert(Due(time: trajectory.changes[low].time, workload: workload))
            }
        }
    }

    /// Appends every change at `time`, in workload order.
    mutating func popChanges(at time: Int, into changes: inout [(workload: Int, replicas: Int)]) {
        while let due = heap.min, due.time == time {
            heap.removeMin()
            let workload = due.workload
            changes.append((workload, trajectories[workload].changes[next[workload]].replicas))
            next[workload] += 1
            if next[workload] < trajectories[workload].changes.count {
                heap.insert(Due(time: trajectories[workload].changes[next[workload]].time, workload: workload))
            }
        }
    }
}
