import Foundation
import Testing

/// Windows node groups are priced at the Windows rate and never at the Linux one: eksctl's
/// 14-windows-nodes.yaml (the same node groups, written here) re-homed with --region.
@Suite(.serialized) struct WindowsNodeGroupTests {
    /// eksctl examples/14-windows-nodes.yaml as eksctl publishes it (region us-west-2).
    static let eksctl = """
        apiVersion: eksctl.io/v1alpha5
        kind: ClusterConfig
        metadata:
          name: cluster-14
          region: us-west-2
        nodeGroups:
          - name: windows-ng
            amiFamily: WindowsServer2019FullContainer
            minSize: 2
            maxSize: 3
        managedNodeGroups:
          - name: linux-ng
            instanceType: t2.large
            minSize: 2
            maxSize: 3

        """

    /// A Pricing folder with the catalog and a snapshot of SYNTHETIC prices made for this test.
    private func pricing(windows: Bool) throws -> String {
        let folder = Binary.temporaryFolder()
        try FileManager.default.copyItem(
            atPath: Binary.packageRoot.path + "/Pricing/instance-types.csv", toPath: folder + "/instance-types.csv")
        var rows = [
            "us-east-1,ec2,m5.large,on-demand,hour,0.096", "us-east-1,ec2,t2.large,on-demand,hour,0.0928",
            "us-east-1,eks,cluster,on-demand,hour,0.10", "us-east-1,ebs,gp3,on-demand,GB-month,0.08",
            "us-east-1,vpc,eni,on-demand,hour,0", "us-east-1,vpc,public-ipv4,on-demand,hour,0.005",
            "us-east-1,natgw,gateway,on-demand,hour,0.045",  // the NAT gateway of eksctl's default VPC
        ]
        if windows { rows.append("us-east-1,ec2-windows,m5.large,on-demand,hour,0.188") }
        let text =
            "snapshot,snapshot_date,region,service,item,term,unit,usd,source,source_date\n"
            + rows.map { "win,2026-11-29,\($0),synthetic test price,2026-11-29\n" }.joined()
        try text.write(toFile: folder + "/win.csv", atomically: true, encoding: .utf8)
        return folder
    }

    private func cluster() throws -> String {
        let path = Binary.temporaryFolder() + "/14-windows-nodes.yaml"
        try Self.eksctl.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theWindowsGroupIsPricedAtTheWindowsRateAndTheLinuxGroupAtTheLinuxRate() throws {
        let out = Binary.temporaryFolder()
        let run = try Binary.run([
            "estimate", "--eksctl", try cluster(), "--region", "us-east-1", "--pricing", try pricing(windows: true),
            "--out", out, "--format", "csv,md", "--as-of", "2026-11-29",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = Binary.csvRows(try #require(Binary.read(out + "/cluster-14/estimate.csv")))
        func line(_ resource: String) -> [String: String]? { rows.first { $0["resource"] == resource } }
        // By hand, 730-hour month: each group has no workloads, so it runs its minSize, 2 nodes
        // (eksctl: no instanceType is m5.large). Windows m5.large 2 × 0.188 × 730 = 274.48; Linux
        // t2.large 2 × 0.0928 × 730 = 135.488 → 135.49. The Linux m5.large rate (0.096) is not used.
        #expect(line("m5.large Windows on-demand")?["monthly_usd"] == "274.48")
        #expect(line("m5.large Windows on-demand")?["unit_price_usd"] == "0.188")
        #expect(line("t2.large on-demand")?["monthly_usd"] == "135.49")
        #expect(line("m5.large on-demand") == nil)
        // eksctl's default VPC has one NAT gateway: 0.045 × 730 = 32.85.
        #expect(line("NAT gateway")?["monthly_usd"] == "32.85")
        let report = try #require(Binary.read(out + "/cluster-14/estimate.md"))
        #expect(report.contains("Priced as if in us-east-1 (--region); the input says us-west-2."))
    }

    @Test func aWindowsGroupWithNoWindowsPriceIsAnErrorNeverTheLinuxPrice() throws {
        let out = Binary.temporaryFolder()
        let run = try Binary.run([
            "estimate", "--eksctl", try cluster(), "--region", "us-east-1", "--pricing", try pricing(windows: false),
            "--out", out, "--as-of", "2026-11-29",
        ])
        #expect(run.status == 1)
        #expect(
            run.stderr.contains(
                "error: no price for ec2-windows m5.large on-demand in us-east-1 (snapshot win covers us-east-1); run 'ekscost pricing fetch us-east-1'"
            ),
            "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/cluster-14/estimate.csv"))
    }

    /// `capacity` chooses a Windows Karpenter group's types by their Windows prices: with none,
    /// each listed type is an error at its place in the file, naming the fetch (never the Linux
    /// price, and never a silent plan without the group).
    @Test func capacityNeedsTheWindowsPricesOfAWindowsGroupThatChooses() throws {
        let scenario = Binary.temporaryFolder() + "/win.yaml"
        try """
        apiVersion: ekscost/v1
        kind: Scenario
        metadata:
          name: win
        spec:
          region: us-east-1
          clusters:
            - name: c
              nodeGroups:
                - name: win
                  os: windows
                  provisioner: karpenter
                  instanceTypes: [t2.large, m5.large]
                  maxSize: 10
              workloads:
                - name: iis
                  replicas: 2
                  containers:
                    - name: app
                      resources:
                        requests: {cpu: 500m, memory: 1Gi}

        """.write(toFile: scenario, atomically: true, encoding: .utf8)
        let out = Binary.temporaryFolder()
        let run = try Binary.run(["capacity", scenario, "--pricing", try pricing(windows: false), "--out", out])
        #expect(run.status == 1)
        // instanceTypes is line 13; the items of a flow list are placed at its "[", column 26
        // (10 spaces and "instanceTypes: " before it).
        for type in ["t2.large", "m5.large"] {
            #expect(
                run.stderr.contains(
                    "\(scenario):13:26: error: node group win lists instance type \(type), and every listed type needs a price: no price for ec2-windows \(type) on-demand in us-east-1 (snapshot win covers us-east-1); run 'ekscost pricing fetch us-east-1'"
                ),
                "\(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out + "/win/capacity.csv"))
    }
}
