import Foundation
import Testing

@testable import EKSModel

/// Expected values worked out by hand from EKS-FACTS §3, §4 and §7.
@Suite struct NodeCapacityTests {
    @Test func maxPodsInSecondaryIPMode() {
        #expect(PodsPerNode.secondaryIP(Types.m5large) == 29)  // 3 × (10 − 1) + 2
        #expect(PodsPerNode.secondaryIP(Types.t3medium) == 17)  // 3 × (6 − 1) + 2
        #expect(PodsPerNode.secondaryIP(Types.m5xlarge) == 58)  // 4 × 14 + 2
        #expect(PodsPerNode.secondaryIP(Types.m524xlarge) == 737)  // 15 × 49 + 2
        #expect(PodsPerNode.secondaryIP(Types.a1medium) == 8)  // 2 × 3 + 2
    }

    @Test func maxPodsWithPrefixDelegation() {
        #expect(PodsPerNode.prefixDelegation(Types.m5large) == 434)  // 3 × 9 × 16 + 2
        #expect(PodsPerNode.prefixDelegation(Types.t3medium) == 242)  // 3 × 5 × 16 + 2
        // Xen instances cannot use prefixes: the calculator falls back to secondary IPs.
        #expect(PodsPerNode.prefixDelegation(Types.m4large) == 20)  // 2 × 9 + 2
    }

    @Test func capsAtTheEKSRecommendation() {
        #expect(PodsPerNode.maxPods(Types.m5large, mode: .prefixDelegation, cap: .recommended) == 110)
        #expect(PodsPerNode.maxPods(Types.m524xlarge, mode: .secondaryIP, cap: .recommended) == 250)
        #expect(PodsPerNode.maxPods(Types.m5large, mode: .secondaryIP, cap: .recommended) == 29)
        #expect(PodsPerNode.maxPods(Types.m5large, mode: .prefixDelegation, cap: .none) == 434)
        #expect(PodsPerNode.maxPods(Types.m5large, mode: .prefixDelegation, cap: .fixed(58)) == 58)
    }

    @Test func reservesCPUByRange() {
        #expect(EKSNodeReservation.kubeReservedCPU(vcpu: 1) == 60)
        #expect(EKSNodeReservation.kubeReservedCPU(vcpu: 2) == 70)  // 60 + 10
        #expect(EKSNodeReservation.kubeReservedCPU(vcpu: 4) == 80)  // 60 + 10 + 10
        #expect(EKSNodeReservation.kubeReservedCPU(vcpu: 8) == 90)  // + 4000 × 0.25 %
        #expect(EKSNodeReservation.kubeReservedCPU(vcpu: 96) == 310)  // + 92000 × 0.25 % = 230
        #expect(EKSNodeReservation.kubeReservedCPU(vcpu: 3) == 75)  // 60 + 10 + 1000 × 0.5 %
    }

    @Test func allocatableOfAnM5Large() {
        let node = EKSNodeReservation.allocatable(Types.m5large, maxPods: 29)
        #expect(node.cpu == 1930)
        #expect(node.kubeReservedMemoryMiB == 574)  // 11 × 29 + 255
        #expect(node.capacityMemoryMiB == 7577)  // 8192 − ceil(614.4)
        #expect(node.memoryMiB == 6903)  // 7577 − 574 − 100
    }

    @Test func allocatableOfOtherTypes() {
        let t3 = EKSNodeReservation.allocatable(Types.t3medium, maxPods: 17)
        #expect(t3.cpu == 1930)
        #expect(t3.memoryMiB == 3246)  // 4096 − 308 − (11 × 17 + 255) − 100
        let xl = EKSNodeReservation.allocatable(Types.m5xlarge, maxPods: 58)
        #expect(xl.cpu == 3920)
        #expect(xl.memoryMiB == 14162)  // 16384 − 1229 − 893 − 100
        let prefix = EKSNodeReservation.allocatable(Types.m5large, maxPods: 110)
        #expect(prefix.memoryMiB == 6012)  // 7577 − (11 × 110 + 255) − 100
    }

    @Test func idleNodeHoldsOneENIAndItsAddresses() {
        let use = SubnetAddresses.use(pods: 0, on: Types.m5large, mode: .secondaryIP)
        #expect(use == NodeAddressUse(enis: 1, subnetIPs: 10))
    }

    @Test func warmENIPoolGrowsWithPods() {
        // ENIs = min(3, ceil(P / 9) + 1); IPs = ENIs × 9 + ENIs.
        #expect(
            SubnetAddresses.use(pods: 5, on: Types.m5large, mode: .secondaryIP)
                == NodeAddressUse(enis: 2, subnetIPs: 20))
        #expect(
            SubnetAddresses.use(pods: 10, on: Types.m5large, mode: .secondaryIP)
                == NodeAddressUse(enis: 3, subnetIPs: 30))
        #expect(
            SubnetAddresses.use(pods: 27, on: Types.m5large, mode: .secondaryIP)
                == NodeAddressUse(enis: 3, subnetIPs: 30))
    }

    @Test func warmIPTargetsHoldOnlyWhatTheyAskFor() {
        let settings = WarmPoolSettings(warmIPTarget: 2, minimumIPTarget: 10)
        // max(10, 5 + 2) = 10 secondary addresses on ceil(10 / 9) = 2 ENIs, plus 2 primaries.
        #expect(
            SubnetAddresses.use(pods: 5, on: Types.m5large, mode: .secondaryIP, warmPool: settings)
                == NodeAddressUse(enis: 2, subnetIPs: 12))
    }

    /// t3.small: 3 ENIs × 4 IPv4 → 3 prefix slots per ENI. Rows of aws/amazon-vpc-cni-k8s
    /// docs/prefix-and-ip-target.md; subnet addresses are 16 per prefix plus each ENI's primary.
    static let t3small = InstanceType(
        name: "t3.small", vcpu: 2, memoryMiB: 2048, architecture: "x86_64",
        hypervisor: "nitro", enis: 3, ipv4PerENI: 4, burstable: true)

    @Test func prefixModeKeepsOneWarmPrefixByDefault() {
        // WARM_PREFIX_TARGET 1 (shipped): 0 pods → 1 ENI, 1 prefix; 5 → 2 prefixes; 16 → 2; 17 → 3;
        // 58 → 5 prefixes on 2 ENIs (3 + 2).
        func use(_ pods: Int, _ settings: WarmPoolSettings = .defaults) -> NodeAddressUse {
            SubnetAddresses.use(pods: pods, on: Self.t3small, mode: .prefixDelegation, warmPool: settings)
        }
        #expect(WarmPoolSettings.defaults.warmPrefixTarget == 1)
        #expect(use(0) == NodeAddressUse(enis: 1, subnetIPs: 17))
        #expect(use(5) == NodeAddressUse(enis: 1, subnetIPs: 33))
        #expect(use(16) == NodeAddressUse(enis: 1, subnetIPs: 33))
        #expect(use(17) == NodeAddressUse(enis: 1, subnetIPs: 49))
        #expect(use(58) == NodeAddressUse(enis: 2, subnetIPs: 82))
        // WARM_IP_TARGET 1 and MINIMUM_IP_TARGET 1 override it: 5 pods → 1 prefix; 17 → 2; 58 → 4 on 2 ENIs.
        let ipTargets = WarmPoolSettings(warmIPTarget: 1, minimumIPTarget: 1)
        #expect(use(5, ipTargets) == NodeAddressUse(enis: 1, subnetIPs: 17))
        #expect(use(17, ipTargets) == NodeAddressUse(enis: 1, subnetIPs: 33))
        #expect(use(58, ipTargets) == NodeAddressUse(enis: 2, subnetIPs: 66))
        // WARM_IP_TARGET 7, MINIMUM_IP_TARGET 20: 5 pods → max(20, 12) → 2 prefixes; 58 → 65 → 5 prefixes.
        let wider = WarmPoolSettings(warmIPTarget: 7, minimumIPTarget: 20)
        #expect(use(5, wider) == NodeAddressUse(enis: 1, subnetIPs: 33))
        #expect(use(58, wider) == NodeAddressUse(enis: 2, subnetIPs: 82))
        // WARM_PREFIX_TARGET 0 leaves WARM_ENI_TARGET 1: 5 pods need 1 prefix → ceil(1 / 3) + 1 = 2 ENIs,
        // each filled with 3 prefixes: 6 × 16 + 2 = 98.
        #expect(use(5, WarmPoolSettings(warmPrefixTarget: 0)) == NodeAddressUse(enis: 2, subnetIPs: 98))
    }

    @Test func subnetKeepsFiveAddresses() {
        #expect(SubnetAddresses.usableAddresses(prefixLength: 24) == 251)
        #expect(SubnetAddresses.usableAddresses(prefixLength: 28) == 11)
    }
}
