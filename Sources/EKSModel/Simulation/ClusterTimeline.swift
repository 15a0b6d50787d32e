import Foundation

/// A node group and instance type.
public struct NodeKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var group: String
    public var type: String

    public static func < (lhs: NodeKey, rhs: NodeKey) -> Bool { (lhs.group, lhs.type) < (rhs.group, rhs.type) }
    public var description: String { "\(group)/\(type)" }
}

/// What a simulated period ran, per report step, stored by column: one array per node type,
/// Fargate workload or quantity, each with one entry per step. Usage is integrated over a step,
/// states are at its end. Replicas are not copied into the steps: they are read from the
/// trajectories (`StepReplicas`).
public struct ClusterTimeline: Sendable, Equatable {
    public var periodSeconds: Int
    /// Each step's first second and length.
    public var stepStarts: [Int]
    public var stepSeconds: [Int]
    /// The node types that ran at some point, in node group order.
    public var nodeKeys: [NodeKey]
    /// Per node type (aligned with `nodeKeys`), per step: billed node-seconds (with the one-minute
    /// minimum of short-lived nodes added where they end) and nodes at the step's end.
    public var nodeSecondsByType: [[Int64]]
    public var nodesByType: [[Int32]]
    /// Per Fargate workload (aligned with `fargateWorkloadNames`), per step: billed pod-seconds.
    public var fargateWorkloadNames: [String]
    public var fargatePodSecondsByWorkload: [[Int64]]
    /// Per step: ENI-seconds, and pods waiting for a node at its end.
    public var eniSecondsPerStep: [Int64]
    public var pendingPodsPerStep: [Int]
    /// The pod workloads and their replica trajectories, aligned.
    public var workloadNames: [String]
    public var trajectories: [ReplicaTrajectory]
    /// Node facts per group and type that ran at some point.
    public var templates: [NodeKey: NodeTypePlan]
    public var peakNodes: Int
    public var peakNodesAt: Int
    /// Most subnet addresses held at once, per subnet scope.
    public var peakSubnetUse: [SubnetUse]
    /// Pod-seconds of each workload (`namespace/name`) on each node type that ran, to share the
    /// nodes' cost by what ran on them.
    public var podSeconds: [NodeKey: [String: Int64]] = [:]
    /// Pods that had to wait for a node that never came, at their worst.
    public var pending: [UnschedulablePods]
    public var fargateSizes: [String: FargateSize]
    /// The settings the period was simulated with (reports state them).
    public var settings: SimulationSettings = SimulationSettings()

    public var stepCount: Int { stepStarts.count }

    public func nodeSeconds(_ key: NodeKey) -> Int64 { nodeSecondsPerStep(key).reduce(0, +) }

    public func fargatePodSeconds(_ workload: String) -> Int64 { fargatePodSecondsPerStep(workload).reduce(0, +) }

    public var eniSeconds: Int64 { eniSecondsPerStep.reduce(0, +) }

    /// Node-seconds per step of one node type (zero for a type that never ran).
    public func nodeSecondsPerStep(_ key: NodeKey) -> [Int64] {
        guard let index = nodeKeys.firstIndex(of: key) else { return Array(repeating: 0, count: stepCount) }
        return nodeSecondsByType[index]
    }

    /// Nodes of one type at the end of each step.
    public func nodesPerStep(_ key: NodeKey) -> [Int] {
        guard let index = nodeKeys.firstIndex(of: key) else { return Array(repeating: 0, count: stepCount) }
        return nodesByType[index].map(Int.init)
    }

    public func peakNodes(_ key: NodeKey) -> Int { nodesPerStep(key).max() ?? 0 }

    /// Nodes of every type at the end of each step.
    public var nodesPerStep: [Int] {
        var total = Array(repeating: 0, count: stepCount)
        for column in nodesByType {
            for step in column.indices { total[step] += Int(column[step]) }
        }
        return total
    }

    /// Fargate pod-seconds per step of one workload.
    public func fargatePodSecondsPerStep(_ workload: String) -> [Int64] {
        guard let index = fargateWorkloadNames.firstIndex(of: workload) else {
            return Array(repeating: 0, count: stepCount)
        }
        return fargatePodSecondsByWorkload[index]
    }

    /// The trajectory of a workload (`namespace/name`).
    public func trajectory(of workload: String) -> ReplicaTrajectory? {
        workloadNames.firstIndex(of: workload).map { trajectories[$0] }
    }
}

/// Each workload's replicas at the end of each step, read from the trajectories one step after
/// the other: every trajectory is walked once whatever the number of steps.
public struct StepReplicas {
    private let trajectories: [ReplicaTrajectory]
    private let stepStarts: [Int]
    private let stepSeconds: [Int]
    private var cursors: [Int]
    /// Per workload, the replicas at the end of the step last advanced to.
    public private(set) var replicas: [Int]
    /// Their sum.
    public private(set) var total = 0

    public init(_ timeline: ClusterTimeline) {
        trajectories = timeline.trajectories
        stepStarts = timeline.stepStarts
        stepSeconds = timeline.stepSeconds
        cursors = Array(repeating: 0, count: trajectories.count)
        replicas = Array(repeating: 0, count: trajectories.count)
    }

    /// Moves to step `step` (steps in increasing order): the count in force at its last second; none
    /// before a workload's first change, and none at all in a step of no seconds.
    public mutating func advance(to step: Int) {
        guard stepSeconds[step] > 0 else {
            for index in replicas.indices { replicas[index] = 0 }
            total = 0
            return
        }
        let last = stepStarts[step] + stepSeconds[step] - 1
        total = 0
        trajectories.withUnsafeBufferPointer { trajectories in
            for index in trajectories.indices {
                var cursor = cursors[index]
                let count = trajectories[index].changes.count
                while cursor < count && trajectories[index].changes[cursor].time <= last { cursor += 1 }
                cursors[index] = cursor
                let value = cursor > 0 ? trajectories[index].changes[cursor - 1].replicas : 0
                replicas[index] = value
                total += value
            }
        }
    }
}
