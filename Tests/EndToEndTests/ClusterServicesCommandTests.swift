import Foundation
import Testing

/// What a real cluster pays beside nodes, run through the binary on eksctl files as users write
/// them (us-east-1 copies of eksctl's examples 42, 45 and 46, which are in us-west-2).
@Suite struct ClusterServicesCommandTests {
    static func eksctl(_ body: String, name: String = "shop") throws -> String {
        let path = Binary.temporaryFolder() + "/cluster.yaml"
        try """
        apiVersion: eksctl.io/v1alpha5
        kind: ClusterConfig
        metadata: {name: \(name), region: us-east-1}
        \(body)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The bundled Pricing folder plus test values (not AWS's prices) for the control plane tier
    /// and the Auto Mode fee, which the bundled snapshot does not carry.
    static func pricingWithTestValues() throws -> String {
        let folder = Binary.temporaryFolder() + "/pricing"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for file in ["aws-2026-11.csv", "default-snapshot", "instance-types.csv"] {
            try FileManager.default.copyItem(
                atPath: Binary.packageRoot.path + "/Pricing/" + file, toPath: folder + "/" + file)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/aws-2026-11.csv"))
        try handle.seekToEnd()
        try handle.write(
            contentsOf: Data(
                """
                aws-2026-11,2026-11-23,us-east-1,eks,control-plane-tier-xl,on-demand,hour,1.65,test value,2026-11
                aws-2026-11,2026-11-23,us-east-1,eks-auto-mode,c5.large,on-demand,hour,0.0102,test value,2026-11

                """.utf8))
        try handle.close()
        return folder
    }

    static func rows(_ out: String, _ scenario: String) throws -> [[String: String]] {
        Binary.csvRows(try #require(Binary.read("\(out)/\(scenario)/estimate.csv")))
    }

    static func usd(_ rows: [[String: String]], _ resource: String) -> String? {
        rows.first { $0["resource"] == resource }?["monthly_usd"]
    }

    @Test func eksctlsDefaultVPCHasOneNATGateway() throws {
        let out = Binary.temporaryFolder()
        let file = try Self.eksctl("managedNodeGroups: [{name: ng, desiredCapacity: 1}]")
        let run = try Binary.run([
            "estimate", "--eksctl", file, "--out", out, "--format", "csv", "--as-of", "2026-11-23",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try Self.rows(out, "shop")
        // vpc.nat.gateway Single is eksctl's default: 1 × 0.045 × 730 = 32.85. With the EKS fee 73.00,
        // one m5.large 0.096 × 730 = 70.08, its 80 GiB gp3 root volume 6.40 and public address
        // 0.005 × 730 = 3.65: 185.98, and estimate.csv's lines add up to its total.
        #expect(Self.usd(rows, "NAT gateway") == "32.85")
        #expect(rows.last?["monthly_usd"] == "185.98")
        let sum = rows.dropLast().reduce(Decimal(0)) { $0 + Decimal(string: $1["monthly_usd"]!)! }
        #expect(sum == Decimal(string: "185.98"))
    }

    @Test func highlyAvailableIsAGatewayPerZoneAndDisableIsNone() throws {
        for (nat, expected) in [
            ("gateway: HighlyAvailable}}\navailabilityZones: [us-east-1a, us-east-1b, us-east-1c]", "98.55"),
            ("gateway: HighlyAvailable}}", "65.70"), ("gateway: Disable}}", nil),
        ] {
            let out = Binary.temporaryFolder()
            let file = try Self.eksctl("vpc: {nat: {\(nat)\nmanagedNodeGroups: [{name: ng, desiredCapacity: 1}]")
            let run = try Binary.run([
                "estimate", "--eksctl", file, "--out", out, "--format", "csv", "--as-of", "2026-11-23",
            ])
            #expect(run.status == 0, "\(run.stderr)")
            // 3 zones × 0.045 × 730 = 98.55; eksctl's 2 zones in us-east-1 (pkg/az/az.go): 65.70.
            #expect(Self.usd(try Self.rows(out, "shop"), "NAT gateway") == expected)
        }
    }

    @Test func upgradePolicyDecidesTheExtendedSupportSurcharge() throws {
        // Kubernetes 1.32 left standard support on 2026-03-23: EXTENDED bills 0.10 + 0.50 per hour.
        for (policy, surcharge) in [("EXTENDED", "365.00"), ("STANDARD", nil)] {
            let out = Binary.temporaryFolder()
            let file = try Self.eksctl(
                "upgradePolicy: {supportType: \"\(policy)\"}\nmanagedNodeGroups: [{name: mng-1, desiredCapacity: 1}]",
                name: "upgrade-policy-cluster")
            let withVersion = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(
                of: "region: us-east-1}", with: "region: us-east-1, version: \"1.32\"}")
            try withVersion.write(toFile: file, atomically: true, encoding: .utf8)
            let run = try Binary.run([
                "estimate", "--eksctl", file, "--out", out, "--format", "csv", "--as-of", "2026-11-23",
            ])
            #expect(run.status == 0, "\(run.stderr)")
            // 0.50 × 730 = 365.00.
            #expect(
                Self.usd(try Self.rows(out, "upgrade-policy-cluster"), "EKS extended support surcharge") == surcharge)
        }
    }

    @Test func theProvisionedControlPlaneTierIsItsOwnLine() throws {
        let out = Binary.temporaryFolder()
        let file = try Self.eksctl(
            "controlPlaneScalingConfig:\n  tier: tier-xl", name: "control-plane-scaling-config-cluster")
        let run = try Binary.run([
            "estimate", "--eksctl", file, "--pricing", try Self.pricingWithTestValues(), "--out", out,
            "--format", "csv", "--as-of", "2026-11-23",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try Self.rows(out, "control-plane-scaling-config-cluster")
        // Test value 1.65 per tier-hour × 730 = 1204.50, beside the cluster fee 73.00 and the NAT gateway.
        #expect(Self.usd(rows, "EKS provisioned control plane tier-xl") == "1204.50")
        #expect(Self.usd(rows, "EKS cluster, standard support") == "73.00")
        #expect(rows.last?["monthly_usd"] == "1310.35")

        // Without the tier's price the error names the key.
        let missing = try Binary.run(["estimate", "--eksctl", file, "--out", Binary.temporaryFolder()])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("eks control-plane-tier-xl on-demand in us-east-1"), "\(missing.stderr)")
    }

    @Test func autoModeNodePoolsPayTheFeeOnTheNodesTheyRun() throws {
        let out = Binary.temporaryFolder()
        let file = try Self.eksctl(
            "autoModeConfig:\n  enabled: true\n  nodePools: [general-purpose, system]", name: "auto-mode-cluster")
        let manifests = Binary.temporaryFolder() + "/web.yaml"
        try """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 2
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: web:1, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
        """.write(toFile: manifests, atomically: true, encoding: .utf8)
        let run = try Binary.run([
            "estimate", "--eksctl", file, "--manifests", manifests, "--pricing", try Self.pricingWithTestValues(),
            "--out", out, "--format", "csv", "--as-of", "2026-11-23",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try Self.rows(out, "auto-mode-cluster")
        // general-purpose (C, M, R of generation 5+, amd64) launches the cheapest priced type that
        // holds 2 pods of 500m / 1 GiB: c5.large (0.085; 1930m and 3114 MiB allocatable). EC2
        // 0.085 × 730 = 62.05, the fee (test value 0.0102) × 730 = 7.446 → 7.45, and the default
        // NodeClass's 80 GiB gp3 volume 6.40.
        #expect(Self.usd(rows, "c5.large on-demand") == "62.05")
        #expect(Self.usd(rows, "c5.large EKS Auto Mode fee") == "7.45")
        #expect(
            rows.first { $0["resource"] == "gp3 root volume" && $0["group"] == "general-purpose" }?["monthly_usd"]
                == "6.40")
    }
}
