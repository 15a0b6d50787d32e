public import Foundation

/// What the kubelet on an EKS node offers to pods, after the EKS AMI's reservations.
public struct NodeAllocatable: Sendable, Hashable {
    public var maxPods: Int
    /// Millicores the kubelet sees (vCPU × 1000).
    public var capacityCPU: Int
    /// MiB the kubelet sees, below the nominal size.
    public var capacityMemoryMiB: Int
    public var kubeReservedCPU: Int
    public var kubeReservedMemoryMiB: Int
    public var evictionThresholdMiB: Int

    public var cpu: Int { capacityCPU - kubeReservedCPU }
    public var memoryMiB: Int { capacityMemoryMiB - kubeReservedMemoryMiB - evictionThresholdMiB }
}

/// The EKS AMI's kubelet reservations (AL2 bootstrap.sh and AL2023 nodeadm agree).
///
/// Source: awslabs/amazon-eks-ami templates/al2/runtime/bootstrap.sh
/// (get_cpu_millicores_to_reserve, get_memory_mebibytes_to_reserve) and nodeadm
/// internal/kubelet/config.go; Karpenter's VM memory overhead (vmMemoryOverheadPercent 0.075).
public enum EKSNodeReservation {
    /// `memory.available < 100Mi` hard eviction threshold.
    public static let evictionThresholdMiB = 100
    /// Share of nominal memory the kubelet does not see (Karpenter's default estimate).
    public static let defaultMemoryOverhead: Decimal = 0.075

    /// `11 × maxPods + 255` MiB.
    public static func kubeReservedMemoryMiB(maxPods: Int) -> Int {
        11 * maxPods + 255
    }

    /// 6 % of the first core, 1 % of the second, 0.5 % of cores 3–4, 0.25 % of every core above
    /// 4, each range truncated to whole millicores as bootstrap.sh's integer arithmetic does.
    public static func kubeReservedCPU(vcpu: Int) -> Int {
        let total = vcpu * 1000
        // (range start, range end, reserved hundredths of a percent)
        let ranges = [(0, 1000, 600), (1000, 2000, 100), (2000, 4000, 50), (4000, total, 25)]
        var reserved = 0
        // get_resource_to_reserve_in_range: only ranges starting below the total count, and
        // `x * percentage / 100 / 100` truncates.
        for (start, end, hundredthsOfPercent) in ranges where total > start {
            reserved += (min(total, end) - start) * hundredthsOfPercent / 100 / 100
        }
        return reserved
    }

    /// Memory the kubelet reports: `MiB − ceil(MiB × overhead)`.
    public static func capacityMemoryMiB(nominalMiB: Int, overhead: Decimal = defaultMemoryOverhead) -> Int {
        nominalMiB - DecimalText.ceiling(Decimal(nominalMiB) * overhead).intValue
    }

    public static func allocatable(
        _ type: InstanceType, maxPods: Int,
        memoryOverhead: Decimal = defaultMemoryOverhead
    ) -> NodeAllocatable {
        NodeAllocatable(
            maxPods: maxPods,
            capacityCPU: type.vcpu * 1000,
            capacityMemoryMiB: capacityMemoryMiB(nominalMiB: type.memoryMiB, overhead: memoryOverhead),
            kubeReservedCPU: kubeReservedCPU(vcpu: type.vcpu),
            kubeReservedMemoryMiB: kubeReservedMemoryMiB(maxPods: maxPods),
            evictionThresholdMiB: evictionThresholdMiB)
    }
}
