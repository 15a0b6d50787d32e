import CSVStream
public import EKSModel
import Foundation

/// `capacity.csv`: per cluster, node group and instance type, the nodes, pods, allocatable,
/// requests, utilisation, ENIs and subnet addresses; then a row per workload whose pods fit
/// nowhere. `row_type` tells the kinds of row apart; columns only ever get added at the end.
public struct CapacityCSVFormatter: EstimateFormatter {
    public static let columns = [
        "scenario", "cluster", "row_type", "node_group", "instance_type", "nodes", "pods", "daemonset_pods_per_node",
        "max_pods_per_node", "allocatable_cpu_m_per_node", "allocatable_memory_mib_per_node", "requested_cpu_m",
        "requested_memory_mib", "cpu_utilization_pct", "memory_utilization_pct", "enis", "subnet_ips", "workload",
        "unschedulable_pods", "reason",
    ]

    public var fileName: String { "capacity.csv" }

    public init() {}

    public func format(_ estimate: Estimate) -> [UInt8] {
        Self.format(scenario: estimate.scenario, capacity: estimate.capacity)
    }

    /// Columns added when a cluster is simulated: the average and billed hours of node-group
    /// rows, then per report step (`row_type` step) its number, start hour, cost and pending pods,
    /// followed by one `replicas:<namespace/name>` column per workload and one
    /// `nodes:<group>/<type>` column per node type (prefixed with `<cluster>/` when a scenario
    /// has several clusters).
    public static let timelineColumns = [
        "average_nodes", "node_hours", "step", "step_start_hour", "step_cost_usd", "pending_pods",
    ]

    public static func format(scenario: String, capacity: [ClusterCapacity]) -> [UInt8] {
        var writer = CSVWriter()
        let simulated = capacity.filter { $0.timeline != nil }
        let prefix = capacity.count > 1
        var replicaColumns: [(cluster: String, workload: String)] = []
        var nodeColumns: [(cluster: String, key: NodeKey)] = []
        for cluster in simulated {
            let timeline = cluster.timeline!
            for name in timeline.workloadNames { replicaColumns.append((cluster.cluster, name)) }
            for key in timeline.nodeKeys { nodeColumns.append((cluster.cluster, key)) }
        }
        var header = columns
        if !simulated.isEmpty {
            header += timelineColumns
            header += replicaColumns.map { "replicas:" + (prefix ? "\($0.cluster)/" : "") + $0.workload }
            header += nodeColumns.map { "nodes:" + (prefix ? "\($0.cluster)/" : "") + $0.key.description }
            // Billed node-seconds in each step: the usage commitments are applied to, hour by hour.
            header += nodeColumns.map { "node_seconds:" + (prefix ? "\($0.cluster)/" : "") + $0.key.description }
        }
        // Step rows dominate: a few bytes per column per step.
        writer.reserveCapacity(simulated.reduce(0) { $0 + $1.timeline!.stepCount } * header.count * 3)
        writer.writeRecord(header)
        let blanks = simulated.isEmpty ? [] : Array(repeating: "", count: header.count - columns.count)
        for cluster in capacity {
            if let timeline = cluster.timeline {
                writeSimulated(
                    cluster, timeline, scenario: scenario, blanks: blanks, replicaColumns: replicaColumns,
                    nodeColumns: nodeColumns, into: &writer)
                continue
            }
            for plan in cluster.nodeTypes {
                let allocatable = plan.totalAllocatable
                let requested = plan.totalRequested
                writer.writeRecord(
                    [
                        scenario, cluster.cluster, "node-group", plan.groupName, plan.type.name, String(plan.nodes),
                        String(plan.pods), String(plan.daemonSetPodsPerNode), String(plan.maxPodsPerNode),
                        String(plan.allocatablePerNode.cpu), String(plan.allocatablePerNode.memoryMiB),
                        String(requested.cpuMillicores), CapacityText.mebibytes(requested.memoryBytes),
                        CapacityText.percent(requested.cpuMillicores, of: allocatable.cpuMillicores),
                        CapacityText.percent(requested.memoryBytes, of: allocatable.memoryBytes),
                        String(plan.enis), String(plan.subnetIPs), "", "", "",
                    ] + blanks)
            }
            writeUnschedulable(cluster, scenario: scenario, blanks: blanks, into: &writer)
        }
        return writer.bytes
    }

    static func writeUnschedulable(
        _ cluster: ClusterCapacity, scenario: String, blanks: [String], into writer: inout CSVWriter
    ) {
        for pods in cluster.unschedulable {
            writer.writeRecord(
                [
                    scenario, cluster.cluster, "unschedulable", "", "", "", "", "", "", "", "",
                    "", "", "", "", "", "", pods.workload, String(pods.count), pods.explanation,
                ] + blanks)
        }
    }

    /// Node-group rows (peak nodes, average, node-hours), unschedulable rows, then a row per step.
    static func writeSimulated(
        _ cluster: ClusterCapacity, _ timeline: ClusterTimeline, scenario: String, blanks: [String],
        replicaColumns: [(cluster: String, workload: String)], nodeColumns: [(cluster: String, key: NodeKey)],
        into writer: inout CSVWriter
    ) {
        let period = Decimal(timeline.periodSeconds)
        for key in timeline.nodeKeys {
            guard let plan = timeline.templates[key] else { continue }
            let seconds = timeline.nodeSeconds(key)
            let peak = timeline.peakNodes(key)
            var row = [
                scenario, cluster.cluster, "node-group", key.group, key.type, String(peak), "",
                String(plan.daemonSetPodsPerNode), String(plan.maxPodsPerNode), String(plan.allocatablePerNode.cpu),
                String(plan.allocatablePerNode.memoryMiB), "", "", "", "", "", "", "", "", "",
            ]
            var extra = blanks
            extra[0] = DecimalText.format(DecimalText.rounded(Decimal(seconds) / period, scale: 4))
            extra[1] = DecimalText.format(DecimalText.rounded(Decimal(seconds) / 3600, scale: 4))
            row += extra
            writer.writeRecord(row)
        }
        writeUnschedulable(cluster, scenario: scenario, blanks: blanks, into: &writer)
        // Where each replica and node column reads from, worked out once; the steps are then walked
        // once, reading replicas from the trajectories.
        let workloadPosition = Dictionary(timeline.workloadNames.enumerated().map { ($1, $0) }) { first, _ in first }
        let replicaSources = replicaColumns.map { $0.cluster == cluster.cluster ? workloadPosition[$0.workload] : nil }
        let nodeSources = nodeColumns.map { column in
            column.cluster == cluster.cluster ? timeline.nodeKeys.firstIndex(of: column.key) : nil
        }
        let nodesPerStep = timeline.nodesPerStep
        var replicas = ReplicaWalk(timeline.trajectories)
        // This cluster's replica columns: one run in workload order, written at once, with the other
        // clusters' (empty) before and after; otherwise (a workload name twice) field by field.
        let ownColumns = replicaSources.firstIndex { $0 != nil }.map { first in
            first..<(first + timeline.workloadNames.count)
        }
        let inOrder =
            ownColumns.map { own in
                own.upperBound <= replicaSources.count
                    && replicaSources[own].enumerated().allSatisfy { $0.element == $0.offset }
                    && replicaSources.count(where: { $0 != nil }) == own.count
            } ?? false
        let zeros = Array(repeating: 0, count: timeline.workloadNames.count)
        // Steps repeat a few amounts thousands of times.
        var usd = DecimalMemo { DecimalText.usd($0) }
        let baseBlanks = columns.count - 7
        for index in 0..<timeline.stepCount {
            // The count in force at a step's last second; none in a step of no seconds.
            let seconds = timeline.stepSeconds[index]
            if seconds > 0 { replicas.advance(through: timeline.stepStarts[index] + seconds - 1) }
            let values = seconds > 0 ? replicas.replicas : zeros
            writer.writeField(scenario)
            writer.writeField(cluster.cluster)
            writer.writeField("step")
            writer.writeEmptyFields(2)
            writer.writeField(nodesPerStep[index])
            writer.writeField(seconds > 0 ? replicas.total : 0)
            writer.writeEmptyFields(baseBlanks)
            writer.writeEmptyFields(2)
            writer.writeField(index + 1)
            // Whole hours as an integer (the text `DecimalText.format` gives a whole Decimal), without
            // the Decimal division.
            let start = timeline.stepStarts[index]
            if start % 3600 == 0 {
                writer.writeField(start / 3600)
            } else {
                writer.writeField(DecimalText.format(Decimal(start) / 3600))
            }
            writer.writeField(index < cluster.stepCostsUSD.count ? usd(cluster.stepCostsUSD[index]) : "")
            writer.writeField(timeline.pendingPodsPerStep[index])
            if inOrder, let ownColumns {
                writer.writeEmptyFields(ownColumns.lowerBound)
                writer.writeIntegerFields(values)
                writer.writeEmptyFields(replicaSources.count - ownColumns.upperBound)
            } else {
                for source in replicaSources {
                    if let source { writer.writeField(values[source]) } else { writer.writeEmptyFields(1) }
                }
            }
            for source in nodeSources {
                if let source {
                    writer.writeField(Int(timeline.nodesByType[source][index]))
                } else {
                    writer.writeEmptyFields(1)
                }
            }
            for source in nodeSources {
                if let source {
                    writer.writeField(Int(timeline.nodeSecondsByType[source][index]))
                } else {
                    writer.writeEmptyFields(1)
                }
            }
            writer.endRecord()
        }
    }
}

/// Each workload's replicas at the end of step after step (the count in force at the step's last
/// second; none before its first change), read from the trajectories: each is walked once whatever
/// the number of steps, and a step looks only at the workloads whose next change has come (a pass
/// over one array of times).
struct ReplicaWalk {
    private let trajectories: [ReplicaTrajectory]
    private var cursors: [Int]
    /// Per workload, the second of its next change (`Int.max` after the last).
    private var nextChange: [Int]
    /// Per workload, the replicas in force at the last second advanced through, and their sum.
    private(set) var replicas: [Int]
    private(set) var total = 0

    init(_ trajectories: [ReplicaTrajectory]) {
        self.trajectories = trajectories
        cursors = Array(repeating: 0, count: trajectories.count)
        nextChange = trajectories.map { $0.changes.first?.time ?? .max }
        replicas = Array(repeating: 0, count: trajectories.count)
    }

    /// Moves through second `last` (in increasing order).
    mutating func advance(through last: Int) {
        let trajectories = self.trajectories
        var total = self.total
        nextChange.withUnsafeMutableBufferPointer { nextChange in
            cursors.withUnsafeMutableBufferPointer { cursors in
                replicas.withUnsafeMutableBufferPointer { replicas in
                    for index in 0..<nextChange.count where nextChange[index] <= last {
                        var cursor = cursors[index]
                        let count = trajectories[index].changes.count
                        while cursor < count && trajectories[index].changes[cursor].time <= last { cursor += 1 }
                        cursors[index] = cursor
                        nextChange[index] = cursor < count ? trajectories[index].changes[cursor].time : .max
                        let value = trajectories[index].changes[cursor - 1].replicas
                        total += value - replicas[index]
                        replicas[index] = value
                    }
                }
            }
        }
        self.total = total
    }
}

/// Numbers as capacity reports write them.
enum CapacityText {
    /// Bytes as MiB, at most two decimals (half away from zero).
    static func mebibytes(_ bytes: Int64) -> String {
        DecimalText.format(DecimalText.rounded(Decimal(bytes) / 1_048_576, scale: 2))
    }

    /// `part / whole` as a percentage with one decimal; empty when `whole` is zero.
    static func percent(_ part: Int64, of whole: Int64) -> String {
        guard whole > 0 else { return "" }
        return DecimalText.format(
            DecimalText.rounded(Decimal(part) * 100 / Decimal(whole), scale: 1), minimumFractionDigits: 1)
    }
}
