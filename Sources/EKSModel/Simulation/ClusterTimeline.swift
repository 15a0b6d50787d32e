import Foundation

/// A node group and instance type.
public struct NodeKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var group: String
    public var type: String

    public static func < (lhs: NodeKey, rhs: NodeKey) -> Bool { (lhs.group, lhs.type) < (rhs.group, rhs.type) }
    public var description: String { "\(group)/\(type)" }
}

/// One row of the per-step report: usage integrated over the step, state at its end. Arrays
/// are aligned with the timeline's `nodeKeys` and `workloadNames`.
public struct TimelineStep: Sendable {
    public var start: Int
    public var seconds: Int
    /// Billed node-seconds in the step per node type (with the one-minute minimum of
    /// short-lived nodes added where they end).
    public var nodeSeconds: [Int64]
    /// Billed Fargate pod-seconds per Fargate workload (aligned with the timeline's
    /// `fargateWorkloadNames`; most workloads run on nodes, so not one per workload).
    public var fargatePodSeconds: [Int64]
    public var eniSeconds: Int64
    /// At the end of the step: replicas per workload, nodes per node type (32-bit: a year of
    /// hourly steps for thousands of workloads is held in memory).
    public var replicas: [Int32]
    public var nodes: [Int32]
    public var pendingPods: Int
}

/// What a simulated month ran.
public struct ClusterTimeline: Sendable {
    public var steps: [TimelineStep]
    public var periodSeconds: Int
    /// The node types that ran at some point, in node group order, and the pod workloads.
    public var nodeKeys: [NodeKey]
    public var workloadNames: [String]
    public var fargateWorkloadNames: [String]
    public var trajectories: [String: ReplicaTrajectory]
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

    public func nodeSeconds(_ key: NodeKey) -> Int64 {
        guard let index = nodeKeys.firstIndex(of: key) else { return 0 }
        return steps.reduce(0) { $0 + $1.nodeSeconds[index] }
    }

    public func fargatePodSeconds(_ workload: String) -> Int64 {
        guard let index = fargateWorkloadNames.firstIndex(of: workload) else { return 0 }
        return steps.reduce(0) { $0 + $1.fargatePodSeconds[index] }
    }

    public var eniSeconds: Int64 { steps.reduce(0) { $0 + $1.eniSeconds } }

    /// Node-seconds per step of one node type (zero for a type that never ran).
    public func nodeSecondsPerStep(_ key: NodeKey) -> [Int64] {
        guard let index = nodeKeys.firstIndex(of: key) else { return steps.map { _ in 0 } }
        return steps.map { $0.nodeSeconds[index] }
    }

    /// Nodes of one type at the end of each step.
    public func nodesPerStep(_ key: NodeKey) -> [Int] {
        guard let index = nodeKeys.firstIndex(of: key) else { return steps.map { _ in 0 } }
        return steps.map { Int($0.nodes[index]) }
    }

    public func peakNodes(_ key: NodeKey) -> Int { nodesPerStep(key).max() ?? 0 }

    /// Fargate pod-seconds per step of one workload.
    public func fargatePodSecondsPerStep(_ workload: String) -> [Int64] {
        guard let index = fargateWorkloadNames.firstIndex(of: workload) else { return steps.map { _ in 0 } }
        return steps.map { $0.fargatePodSeconds[index] }
    }
}
