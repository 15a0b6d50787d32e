import Foundation
import Testing
@testable import EKSModel

/// Expected values worked out by hand from EKS-FACTS §3, §4 and §7.
@Suite struct NodeCapacityTests {
    @Test func maxPodsInSecondaryIPMode() {
        #expect(PodsPerNode.secondaryIP(Types.m5large) == 29)     // 3 × (10 − 1) + 2
        #expect(PodsPerNode.secondaryIP(Types.t3medium) == 17)    // 3 × (6 − 1) + 2
        #expect(PodsPerNode.secondaryIP(Types.m5xlarge) == 58)    // 4 × 14 + 2
        #expect(PodsPerNode.secondaryIP(Types.m524xlarge) == 737) // 15 × 49 + 2
        #expect(PodsPerNode.secondaryIP(Types.a1medium) == 8)     // 2 × 3 + 2
    }

    @Test func maxPodsWithPrefixDelegation() {
        #expect(PodsPerNode.prefixDelegation(Types.m5large) == 434)  // 3 × 9 × 16 + 2
        #expect(PodsPerNode.prefixDelegation(Types.t3medium) == 242) // 3 × 5 × 16 + 2
        // Xen instances cannot use prefixes: the calculator falls back to secondary IPs.
        #expect(PodsPerNode.prefixDelegation(Types.m4large) == 20)   // 2 × 9 + 2
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
        #expect(EKSNodeReservation.kubeReservedCPU(vcpu: 2) == 70)   // 60 + 10
        #expect(EKSNodeReservation.kubeReservedCPU(vcpu: 4) == 80)   // 60 + 10 + 10
        #expect(EKSNodeReservation.kubeReservedCPU(vcpu: 8) == 90)   // + 4000 × 0.25 %
        #expect(EKSNodeReservation.kubeReservedCPU(vcpu: 96) == 310) // + 92000 × 0.25 % = 230
        #expect(EKSNodeReservation.kubeReservedCPU(vcpu: 3) == 75)   // 60 + 10 + 1000 × 0.5 %
    }

    @Test func allocatableOfAnM5Large() {
        let node = EKSNodeReservation.allocatable(Types.m5large, maxPods: 29)
        #expect(node.cpu == 1930)
        #expect(node.kubeReservedMemoryMiB == 574)      // 11 × 29 + 255
        #expect(node.capacityMemoryMiB == 7577)          // 8192 − ceil(614.4)
        #expect(node.memoryMiB == 6903)                  // 7577 − 574 − 100
    }

    @Test func allocatableOfOtherTypes() {
        let t3 = EKSNodeReservation.allocatable(Types.t3medium, maxPods: 17)
        #expect(t3.cpu == 1930)
        #expect(t3.memoryMiB == 3246)                    // 4096 − 308 − (11 × 17 + 255) − 100
        let xl = EKSNodeReservation.allocatable(Types.m5xlarge, maxPods: 58)
        #expect(xl.cpu == 3920)
        #expect(xl.memoryMiB == 14162)                   // 16384 − 1229 − 893 − 100
        let prefix = EKSNodeReservation.allocatable(Types.m5large, maxPods: 110)
        #expect(prefix.memoryMiB == 6012)                // 7577 − (11 × 110 + 255) − 100
    }

    @Test func idleNodeHoldsOneENIAndItsAddresses() {
        let use = SubnetAddresses.use(pods: 0, on: Types.m5large, mode: .secondaryIP)
        #expect(use == NodeAddressUse(enis: 1, subnetIPs: 10))
    }

    @Test func warmENIPoolGrowsWithPods() {
        // ENIs = min(3, ceil(P / 9) + 1); IPs = ENIs × 9 + ENIs.
        #expect(SubnetAddresses.use(pods: 5, on: Types.m5large, mode: .secondaryIP) == NodeAddressUse(enis: 2, subnetIPs: 20))
        #expect(SubnetAddresses.use(pods: 10, on: Types.m5large, mode: .secondaryIP) == NodeAddressUse(enis: 3, subnetIPs: 30))
        #expect(SubnetAddresses.use(pods: 27, on: Types.m5large, mode: .secondaryIP) == NodeAddressUse(enis: 3, subnetIPs: 30))
    }

    @Test func warmIPTargetsHoldOnlyWhatTheyAskFor() {
        let settings = WarmPoolSettings(warmIPTarget: 2, minimumIPTarget: 10)
        // max(10, 5 + 2) = 10 secondary addresses on ceil(10 / 9) = 2 ENIs, plus 2 primaries.
        #expect(SubnetAddresses.use(pods: 5, on: Types.m5large, mode: .secondaryIP, warmPool: settings)
            == NodeAddressUse(enis: 2, subnetIPs: 12))
    }

    @Test func subnetKeepsFiveAddresses() {
        #expect(SubnetAddresses.usableAddresses(prefixLength: 24) == 251)
        #expect(SubnetAddresses.usableAddresses(prefixLength: 28) == 11)
    }
}
