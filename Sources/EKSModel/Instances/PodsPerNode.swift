/// How the Amazon VPC CNI hands out pod IPs.
public enum IPAddressMode: String, Sendable, Hashable {
    /// One secondary IPv4 address per pod (the default).
    case secondaryIP = "secondary-ip"
    /// /28 prefixes (16 addresses) per ENI slot; Nitro instances only.
    case prefixDelegation = "prefix-delegation"
}

/// The cap on pods per node.
public enum MaxPodsCap: Sendable, Hashable, CustomStringConvertible {
    /// No cap: what the node bootstrap uses (eni-max-pods.txt / nodeadm).
    case none
    /// EKS's recommendation: 110 for instances with ≤ 30 vCPU, 250 above.
    case recommended
    /// A fixed number (kubelet `maxPods`).
    case fixed(Int)

    public var description: String {
        switch self {
        case .none: "none"
        case .recommended: "recommended"
        case .fixed(let value): String(value)
        }
    }
}

/// Pods per node from the VPC CNI rules.
///
/// Source: awslabs/amazon-eks-ami templates/al2/runtime/max-pods-calculator.sh and
/// files/eni-max-pods.txt; nodeadm internal/kubelet/eni_max_pods.go.
public enum PodsPerNode {
    /// Addresses in one /28 prefix.
    public static let addressesPerPrefix = 16

    /// Secondary-IP mode: `ENIs × (IPv4PerENI − 1) + 2` (the primary address of each ENI is not
    /// for pods; +2 for the host-network pods aws-node and kube-proxy).
    public static func secondaryIP(_ type: InstanceType) -> Int {
        type.enis * (type.ipv4PerENI - 1) + 2
    }

    /// Prefix delegation: `ENIs × (IPv4PerENI − 1) × 16 + 2`, on Nitro only; other hypervisors
    /// fall back to the secondary-IP count, as max-pods-calculator.sh does.
    public static func prefixDelegation(_ type: InstanceType) -> Int {
        guard type.isNitro else { return secondaryIP(type) }
        return type.enis * (type.ipv4PerENI - 1) * addressesPerPrefix + 2
    }

    /// EKS's recommended ceiling: 110 up to 30 vCPU, 250 above (max-pods-calculator.sh,
    /// MAX_POD_CEILING_FOR_LOW_CPU / _HIGH_CPU).
    public static func recommendedCeiling(_ type: InstanceType) -> Int {
        type.vcpu > 30 ? 250 : 110
    }

    /// Uncapped pods per node in `mode`.
    public static func uncapped(_ type: InstanceType, mode: IPAddressMode) -> Int {
        mode == .secondaryIP ? secondaryIP(type) : prefixDelegation(type)
    }

    /// Pods per node in `mode` after `cap`.
    public static func maxPods(_ type: InstanceType, mode: IPAddressMode, cap: MaxPodsCap) -> Int {
        let pods = uncapped(type, mode: mode)
        switch cap {
        case .none: return pods
        case .recommended: return min(pods, recommendedCeiling(type))
        case .fixed(let value): return min(pods, value)
        }
    }
}
