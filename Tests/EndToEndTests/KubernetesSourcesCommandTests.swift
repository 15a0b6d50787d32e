import Foundation
import Testing

/// `--eksctl` / `--manifests` and `spec.sources`, run as a user would, on Examples/ticketing.
@Suite(.serialized) struct KubernetesSourcesCommandTests {
    static let fromFiles = ["--eksctl", "Examples/ticketing/cluster.yaml", "--manifests", "Examples/ticketing/k8s/"]

    /// The CSV rows without the scenario column (the three routes name their scenario differently).
    static func lines(_ csv: String) -> [[String: String]] {
        Binary.csvRows(csv).map { row in row.filter { $0.key != "scenario" } }
    }

    @Test func pricesTheApplicationAsItsHandWrittenScenarioDoes() throws {
        let out = Binary.temporaryFolder()
        let run = try Binary.run(
            ["estimate"] + Self.fromFiles + ["--as-of", "2026-11-23", "--out", out + "/files", "--format", "csv"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("# ticketing: 641.98 USD per month"))
        let byHand = try Binary.run(["estimate", "Examples/ticketing.yaml", "--out", out + "/hand", "--format", "csv"])
        #expect(byHand.status == 0, "\(byHand.stderr)")
        let files = Self.lines(try #require(Binary.read(out + "/files/ticketing/estimate.csv")))
        #expect(files == Self.lines(try #require(Binary.read(out + "/hand/ticketing/estimate.csv"))))

        // Worked out by hand (730-hour month, snapshot aws-2026-11, us-east-1):
        // data: 2 × r5.large fixed (desiredCapacity 2) × 0.126 × 730 = 183.96; 2 × 100 GiB gp3 × 0.08 = 16.00;
        //   public subnets (privateNetworking not set): 2 addresses × 0.005 × 730 = 7.30.
        // general: 9 pods (3 frontend of 200m + the LimitRange's 100m, 4 api of 500m + a 100m sidecar,
        //   2 workers of 1 CPU from their limits) need 5300m; each m5.large offers 1930m − 100m for the
        //   log agent = 1830m, and a node holding a 1000m worker has room for one 600m api pod at most,
        //   so three nodes hold at most 1600 + 1600 + 1800 = 5000m: 4 nodes × 0.096 × 730 = 280.32;
        //   4 × 50 GiB gp3 × 0.08 = 16.00.
        // Fargate: 1 vCPU + 2 GiB + 256 MiB → 1 vCPU / 3 GB; a daily run of 20 minutes is 365 × 730 ÷ 8760
        //   = 30.4167 runs, 10.138889 hours: 0.04048 × 10.138889 = 0.41 and 3 × 0.004445 × 10.138889 = 0.14.
        // EKS standard support (1.35 on 2026-11-23): 0.10 × 730 = 73.00.
        // VPC: eksctl's default vpc.nat.gateway Single, one NAT gateway × 0.045 × 730 = 32.85.
        // postgres: 2 replicas × one 200 GiB volume (class gp3, not in the manifests: gp3) × 0.08 = 32.00.
        let expected: [(String, String, String, String)] = [
            ("control-plane", "", "1", "73.00"),
            ("compute", "data", "2", "183.96"), ("storage", "data", "200", "16.00"), ("network", "data", "4", "0.00"),
            ("network", "data", "2", "7.30"),
            ("compute", "general", "4", "280.32"), ("storage", "general", "200", "16.00"),
            ("network", "general", "8", "0.00"),
            ("fargate", "batch/nightly-settlement", "1", "0.41"), ("fargate", "batch/nightly-settlement", "3", "0.14"),
            ("network", "", "1", "32.85"), ("storage", "ticketing/postgres", "400", "32.00"),
            ("total", "", "", "641.98"),
        ]
        #expect(
            files.map { ($0["component"]!, $0["group"]!, $0["quantity"]!, $0["monthly_usd"]!) }.elementsEqual(expected)
            { $0 == $1 })
        // What reading the manifests noted goes to stderr.
        #expect(
            run.stderr.contains(
                "note: manifests: 10 objects not priced: 2 ConfigMap, 1 Ingress (no class), 3 Namespace, 3 Service, 1 ServiceAccount"
            ))
    }

    @Test func specLoadsDriveTheManifestsHPAsThroughTheMonth() throws {
        // The sources scenario gives api and frontend a weekday curve: their HPAs (from the
        // manifests) follow it, so replicas vary between the HPAs' minimum and maximum.
        let out = Binary.temporaryFolder()
        let run = try Binary.run(["estimate", "Examples/ticketing/scenario.yaml", "--out", out, "--format", "csv"])
        #expect(run.status == 0, "\(run.stderr)")
        let steps = Binary.csvRows(try #require(Binary.read(out + "/ticketing-from-sources/capacity.csv"))).filter {
            $0["row_type"] == "step"
        }
        #expect(steps.count == 730)
        let api = steps.map { Int($0["replicas:ticketing/api"]!)! }
        #expect(api.min() == 4)  // the HPA's minReplicas at night
        #expect(api.max()! > 4 && api.max()! <= 12)
        let total = Decimal(
            string: Binary.csvRows(try #require(Binary.read(out + "/ticketing-from-sources/estimate.csv"))).last![
                "monthly_usd"]!)!
        #expect(steps.map { Decimal(string: $0["step_cost_usd"]!)! }.reduce(0, +) == total)
        #expect(run.stdout.contains("Low / expected / high"))
    }

    @Test func theCommittedReportIsWhatTheCommandWrites() throws {
        let out = Binary.temporaryFolder()
        let run = try Binary.run(
            ["estimate"] + Self.fromFiles + ["--as-of", "2026-11-23", "--out", out, "--format", "csv,md,json"])
        #expect(run.status == 0, "\(run.stderr)")
        for file in ["estimate.csv", "estimate.md", "estimate.json", "capacity.csv"] {
            let written = try #require(FileManager.default.contents(atPath: "\(out)/ticketing/\(file)"))
            #expect(
                written == FileManager.default.contents(atPath: Binary.packageRoot.path + "/Reports/ticketing/" + file),
                "Reports/ticketing/\(file) is out of date: run `make example`")
        }
        let markdown = try #require(Binary.read(out + "/ticketing/estimate.md"))
        #expect(
            markdown.contains(
                "- Manifests: 10 objects not priced: 2 ConfigMap, 1 Ingress (no class), 3 Namespace, 3 Service, 1 ServiceAccount."
            ))
    }

    /// A copy of Examples/ticketing with one change.
    static func brokenCopy(_ file: String, replacing old: String, with new: String) throws -> String {
        let folder = Binary.temporaryFolder() + "/ticketing"
        try FileManager.default.copyItem(atPath: Binary.packageRoot.path + "/Examples/ticketing", toPath: folder)
        let path = folder + "/" + file
        let text = try #require(Binary.read(path))
        #expect(text.contains(old))
        try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
        return folder
    }

    @Test func aQuantityTypoInAManifestFailsWithFileDocumentLineAndColumn() throws {
        let folder = try Self.brokenCopy("k8s/api.yaml", replacing: "cpu: 500m", with: "cpu: 500mm")
        let out = folder + "/out"
        let run = try Binary.run([
            "estimate", "--eksctl", folder + "/cluster.yaml", "--manifests", folder + "/k8s", "--out", out,
        ])
        #expect(run.status == 1)
        let errors = run.stderr.split(separator: "\n").filter { $0.contains(" error: ") }
        #expect(
            errors == [
                "\(folder)/k8s/api.yaml:51:20: (document 2) error: cpu in requests of container api of Deployment ticketing/api: '500mm' is not a Kubernetes quantity: expected a number with an optional suffix (m, k, M, G, T, Ki, Mi, Gi, Ti), such as 500m, 1.5, 512Mi or 2Gi"
            ])
        #expect(run.stderr.hasSuffix("ekscost: 1 error; no report written\n"))
        #expect(run.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func anUnknownInstanceTypeIsLocatedInTheEksctlFile() throws {
        let folder = try Self.brokenCopy(
            "cluster.yaml", replacing: "instanceType: r5.large", with: "instanceType: r5.lrge")
        let run = try Binary.run(["validate", "--eksctl", folder + "/cluster.yaml", "--manifests", folder + "/k8s"])
        #expect(run.status == 1)
        #expect(
            run.stderr.contains(
                "\(folder)/cluster.yaml:30:19: error: unknown instance type 'r5.lrge' in node group data; did you mean")
        )
    }

    @Test func validateCapacityAndCompareReadTheSameFiles() throws {
        let validate = try Binary.run(["validate"] + Self.fromFiles)
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout == "Examples/ticketing/cluster.yaml + Examples/ticketing/k8s/: ok\n")

        let out = Binary.temporaryFolder()
        let capacity = try Binary.run(["capacity"] + Self.fromFiles + ["--out", out])
        #expect(capacity.status == 0, "\(capacity.stderr)")
        #expect(capacity.stdout.contains("ticketing / cluster ticketing: 6 nodes"))
        let rows = Binary.csvRows(try #require(Binary.read(out + "/ticketing/capacity.csv")))
        #expect(
            rows.map { "\($0["node_group"]!) \($0["instance_type"]!) \($0["nodes"]!) \($0["pods"]!)" }
                == ["data r5.large 2 2", "general m5.large 4 9"])

        let compare = try Binary.run(["compare"] + Self.fromFiles + ["--out", out, "--quiet"])
        #expect(compare.status == 0, "\(compare.stderr)")
        #expect(FileManager.default.fileExists(atPath: out + "/ticketing/compare.csv"))
    }

    @Test func scenarioFilesAndEksctlFilesDoNotMix() throws {
        let both = try Binary.run(["estimate", "Examples/ticketing.yaml"] + Self.fromFiles)
        #expect(both.status == 64)
        #expect(both.stderr.contains("give scenario files or --eksctl/--manifests, not both"))
        let manifestsOnly = try Binary.run(["estimate", "--manifests", "Examples/ticketing/k8s/"])
        #expect(manifestsOnly.status == 64)
        #expect(manifestsOnly.stderr.contains("--manifests needs --eksctl"))
        let nothing = try Binary.run(["capacity"])
        #expect(nothing.status == 64)
    }
}
