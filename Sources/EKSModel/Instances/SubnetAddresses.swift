/// The VPC CNI's warm-pool settings (aws/amazon-vpc-cni-k8s README, docs/eni-and-ip-target.md,
/// docs/prefix-and-ip-target.md). Unset IP targets are nil.
public struct WarmPoolSettings: Sendable, Hashable {
    /// WARM_ENI_TARGET, default 1.
    public var warmENITarget: Int
    /// WARM_IP_TARGET and MINIMUM_IP_TARGET, unset by default.
    public var warmIPTarget: Int?
    public var minimumIPTarget: Int?
    /// WARM_PREFIX_TARGET, read in prefix mode only: 1 as the VPC CNI ships it (the aws-node
    /// DaemonSet's env in config/master/aws-k8s-cni.yaml and charts/aws-vpc-cni/values.yaml; ipamd's
    /// own fallback when the variable is absent is 0). 0 means not set: WARM_ENI_TARGET applies
    /// (ipamd.go `warmPrefixTargetDefined`).
    public var warmPrefixTarget: Int

    public init(
        warmENITarget: Int = 1, warmIPTarget: Int? = nil, minimumIPTarget: Int? = nil,
        warmPrefixTarget: Int = 1
    ) {
        self.warmENITarget = warmENITarget
        self.warmIPTarget = warmIPTarget
        self.minimumIPTarget = minimumIPTarget
        self.warmPrefixTarget = warmPrefixTarget
    }

    public static let defaults = WarmPoolSettings()
}

/// ENIs and subnet addresses a node holds for its pods and its warm pool.
public struct NodeAddressUse: Sendable, Hashable {
    public var enis: Int
    /// Addresses taken from the subnet: each ENI's primary address plus its secondary addresses
    /// or prefixes.
    public var subnetIPs: Int
}

/// The VPC CNI's address accounting per node.
public enum SubnetAddresses {
    /// A node running `pods` non-hostNetwork pods.
    ///
    /// Secondary-IP mode, with `S = IPv4PerENI − 1`: with only WARM_ENI_TARGET,
    /// `ENIs = min(maxENIs, ceil(P / S) + WARM_ENI_TARGET)` and every attached ENI is filled,
    /// `IPs = ENIs × S + ENIs`. With WARM_IP_TARGET / MINIMUM_IP_TARGET the CNI keeps
    /// `min(maxENIs × S, max(MINIMUM_IP_TARGET, P + WARM_IP_TARGET))` secondary addresses, on as
    /// many ENIs as they need. Prefix mode takes /28 prefixes (16 addresses) per slot instead.
    public static func use(
        pods: Int, on type: InstanceType, mode: IPAddressMode,
        warmPool: WarmPoolSettings = .defaults
    ) -> NodeAddressUse {
        let slotsPerENI = type.ipv4PerENI - 1
        let maxENIs = type.enis
        guard slotsPerENI > 0, maxENIs > 0 else { return NodeAddressUse(enis: 1, subnetIPs: 1) }
        if mode == .prefixDelegation && type.isNitro {
            return prefixUse(pods: pods, slotsPerENI: slotsPerENI, maxENIs: maxENIs, warmPool: warmPool)
        }
        if warmPool.warmIPTarget != nil || warmPool.minimumIPTarget != nil {
            let wanted = max(warmPool.minimumIPTarget ?? 0, pods + (warmPool.warmIPTarget ?? 0))
            let secondary = min(maxENIs * slotsPerENI, wanted)
            let enis = max(1, ceilDiv(secondary, slotsPerENI))
            return NodeAddressUse(enis: enis, subnetIPs: secondary + enis)
        }
        let enis = min(maxENIs, ceilDiv(pods, slotsPerENI) + warmPool.warmENITarget)
        return NodeAddressUse(enis: max(1, enis), subnetIPs: max(1, enis) * slotsPerENI + max(1, enis))
    }

    /// Prefix delegation (docs/prefix-and-ip-target.md): each prefix is 16 addresses in one slot.
    /// WARM_IP_TARGET / MINIMUM_IP_TARGET, when set, override WARM_PREFIX_TARGET: the CNI keeps
    /// prefixes for `max(MINIMUM_IP_TARGET, pods + WARM_IP_TARGET)` addresses. Otherwise it keeps
    /// WARM_PREFIX_TARGET whole free prefixes beside the ones pods use (shipped default 1: a
    /// t3.small with 5 pods holds 2 prefixes, with 17 pods 3). With WARM_PREFIX_TARGET 0 only
    /// WARM_ENI_TARGET is left: a whole spare ENI's worth of prefixes.
    static func prefixUse(pods: Int, slotsPerENI: Int, maxENIs: Int, warmPool: WarmPoolSettings) -> NodeAddressUse {
        let perPrefix = PodsPerNode.addressesPerPrefix
        let neededPrefixes = ceilDiv(pods, perPrefix)
        var prefixes: Int
        if warmPool.warmIPTarget != nil || warmPool.minimumIPTarget != nil {
            let wanted = max(warmPool.minimumIPTarget ?? 0, pods + (warmPool.warmIPTarget ?? 0))
            prefixes = ceilDiv(wanted, perPrefix)
        } else if warmPool.warmPrefixTarget > 0 {
            prefixes = neededPrefixes + warmPool.warmPrefixTarget
        } else {
            let enis = min(maxENIs, ceilDiv(neededPrefixes, slotsPerENI) + warmPool.warmENITarget)
            prefixes = enis * slotsPerENI
        }
        prefixes = max(1, min(prefixes, maxENIs * slotsPerENI))
        let enis = max(1, ceilDiv(prefixes, slotsPerENI))
        return NodeAddressUse(enis: enis, subnetIPs: prefixes * perPrefix + enis)
    }

    /// Addresses AWS keeps in every subnet (network, router, DNS, future use, broadcast).
    public static let reservedPerSubnet = 5

    /// Usable addresses in a subnet with prefix length `prefixLength` (/24 → 251).
    public static func usableAddresses(prefixLength: Int) -> Int {
        (1 << (32 - prefixLength)) - reservedPerSubnet
    }

    static func ceilDiv(_ a: Int, _ b: Int) -> Int { a <= 0 ? 0 : (a + b - 1) / b }
}
