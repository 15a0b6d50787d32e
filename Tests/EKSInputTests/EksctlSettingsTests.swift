import EKSModel
import Foundation
import Testing

@testable import EKSInput

/// eksctl's current schema: NAT gateways of the VPC it creates, upgrade policy, control plane
/// tier, Auto Mode and capabilities.
@Suite struct EksctlSettingsTests {
    static func read(_ body: String, region: String = "us-east-1") -> (EksctlCluster?, [Diagnostic]) {
        EksctlReader.parse(
            yaml: """
                apiVersion: eksctl.io/v1alpha5
                kind: ClusterConfig
                metadata: {name: shop, region: \(region)}
                managedNodeGroups: [{name: ng, desiredCapacity: 1}]
                \(body)
                """, file: "cluster.yaml")
    }

    @Test func eksctlCreatesOneNATGatewayByDefault() {
        // defaults.go DefaultClusterNAT: Single.
        #expect(Self.read("").0?.settings.natGateways == NATGateways(count: 1))
        #expect(Self.read("vpc: {nat: {gateway: Single}}").0?.settings.natGateways == NATGateways(count: 1))
        #expect(Self.read("vpc: {nat: {gateway: Disable}}").0?.settings.natGateways == nil)
    }

    @Test func highlyAvailableIsOneGatewayPerZone() {
        // The zones the file names; else eksctl picks 3, or 2 in us-east-1 (pkg/az/az.go).
        #expect(
            Self.read(
                "vpc: {nat: {gateway: HighlyAvailable}}\navailabilityZones: [eu-west-1a, eu-west-1b, eu-west-1c, eu-west-1d]",
                region: "eu-west-1"
            ).0?.settings.natGateways == NATGateways(count: 4))
        #expect(
            Self.read("vpc: {nat: {gateway: HighlyAvailable}}", region: "eu-west-1").0?.settings.natGateways
                == NATGateways(count: 3))
        #expect(Self.read("vpc: {nat: {gateway: HighlyAvailable}}").0?.settings.natGateways == NATGateways(count: 2))
    }

    @Test func anExistingVPCGetsNoNATGatewayFromEksctl() {
        let (cluster, diagnostics) = Self.read(
            """
            vpc:
              id: vpc-1
              subnets:
                private:
                  us-east-1a: {id: subnet-1}
                  us-east-1b: {id: subnet-2}
            """)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        #expect(cluster?.settings.natGateways == nil)
        #expect(cluster?.settings.notes.contains { $0.contains("existing VPC") } == true)
    }

    @Test func upgradePolicyTierCapabilitiesAndAutoModeAreRead() {
        let (cluster, diagnostics) = Self.read(
            """
            upgradePolicy: {supportType: STANDARD}
            controlPlaneScalingConfig: {tier: tier-2xl}
            autoModeConfig: {enabled: true}
            capabilities:
              - {name: ack, type: ACK, deletePropagationPolicy: RETAIN}
            """)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        #expect(cluster?.settings.supportPolicy == .standard)
        #expect(cluster?.settings.controlPlaneTier == "tier-2xl")
        #expect(cluster?.settings.notes.contains { $0.hasPrefix("EKS capabilities ack (ACK)") } == true)
        // The built-in node pools, after the node groups, launched as Auto Mode launches them.
        #expect(cluster?.nodeGroups.map(\.name) == ["ng", "general-purpose", "system"])
        let system = cluster?.nodeGroups.last
        #expect(
            system?.provisioner == .autoMode
                && system?.taints == [Taint(key: "CriticalAddonsOnly", effect: .noSchedule)])
        #expect(
            system?.instanceRequirements?.categories == ["c", "m", "r"]
                && system?.instanceRequirements?.minGeneration == 5)
    }

    @Test func typosInTheNewKeysAreErrorsWithAHint() {
        let (_, diagnostics) = Self.read(
            """
            upgradePolicy: {supportType: EXTENDID}
            controlPlaneScalingConfig: {tier: tier-3xl}
            vpc: {nat: {gateway: HighlyAvailible}}
            """)
        #expect(
            diagnostics.map(\.description).contains(
                "cluster.yaml:5:30: error: 'supportType' in upgradePolicy of the eksctl ClusterConfig must be one of EXTENDED, STANDARD, found \"EXTENDID\"; did you mean 'EXTENDED'?"
            ))
        #expect(
            diagnostics.contains {
                $0.message.contains("'tier' in controlPlaneScalingConfig") && $0.message.contains("tier-2xl")
            })
        #expect(diagnostics.contains { $0.message.contains("did you mean 'HighlyAvailable'?") })
        let (_, unknown) = Self.read("upgradePolicyy: {supportType: STANDARD}")
        #expect(
            unknown.contains {
                $0.message.contains("unknown key 'upgradePolicyy'")
                    && $0.message.contains("did you mean 'upgradePolicy'?")
            })
    }

    @Test func instanceCategoriesAndGenerationsAreKarpentersLabels() {
        var requirements = InstanceRequirements()
        requirements.categories = ["c", "m", "r"]
        requirements.minGeneration = 5
        func type(_ name: String) -> InstanceType {
            InstanceType(
                name: name, vcpu: 2, memoryMiB: 8192, architecture: "x86_64", hypervisor: "nitro", enis: 3,
                ipv4PerENI: 10)
        }
        #expect(
            requirements.admits(type("m5.large")) && requirements.admits(type("r6gd.large"))
                && requirements.admits(type("c7i-flex.large")))
        #expect(!requirements.admits(type("m4.large")) && !requirements.admits(type("t3.large")))
    }
}
