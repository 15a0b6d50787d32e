import CSVStream
public import EKSModel

/// `ekscost instances`: one row per instance type (the columns below, in this order), as a
/// terminal table with a note on how max pods were worked out, or as CSV.
public enum InstancesFormatter {
    public static let columns = [
        "instance_type", "vcpu", "memory_mib", "architecture", "hypervisor", "enis",
        "ipv4_per_eni", "max_pods", "max_pods_prefix", "max_pods_recommended",
        "max_pods_prefix_recommended", "node_max_pods", "allocatable_cpu_m",
        "allocatable_memory_mib",
    ]

    public static func csv(rows: [[String]]) -> String {
        var writer = CSVWriter()
        writer.writeRecord(columns)
        rows.forEach { writer.writeRecord($0) }
        return writer.text
    }

    /// `mode` and `cap`: what node_max_pods and allocatable were worked out with.
    public static func table(rows: [[String]], mode: IPAddressMode, cap: MaxPodsCap) -> String {
        var out = TextTable.render(
            header: columns, rows: rows, rightAligned: Set(1..<columns.count).subtracting([3, 4]))
        out +=
            "\nmax_pods: secondary-IP mode, ENIs × (IPv4 per ENI − 1) + 2; max_pods_prefix: prefix delegation (Nitro), × 16; "
        out +=
            "*_recommended: capped at 110 (≤ 30 vCPU) or 250. node_max_pods and allocatable: \(mode.rawValue) mode, cap \(cap).\n"
        return out
    }
}
