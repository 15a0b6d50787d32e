import Foundation
import Testing

@Suite(.serialized) struct PricingImportCommandTests {
    /// gen_price_list.py --size-mb 4 --seed 7: 5741 rows, 117 On-Demand Linux Shared rows
    /// summing to 486.2991 (its --stats). In us-east-1 it has the m6i.metal list-price product:
    /// 4.608 on demand, 1.3686/hour and 11989 upfront on 1yr standard partial upfront.
    static let fixture = Binary.packageRoot.path + "/Tests/EKSInputTests/Fixtures/generated-ec2-4mb-seed7.csv"

    /// A Pricing folder with the catalog, the bundled aws-2026-11 snapshot and its default.
    private func pricingFolder() throws -> String {
        let folder = Binary.temporaryFolder() + "/Pricing"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for name in ["instance-types.csv", "aws-2026-11.csv", "default-snapshot"] {
            try FileManager.default.copyItem(
                atPath: Binary.packageRoot.path + "/Pricing/" + name, toPath: folder + "/" + name)
        }
        return folder
    }

    private func files(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    @Test func importsOnABaseSnapshotAndEstimatesOnTheResult() throws {
        let pricing = try pricingFolder()
        let run = try Binary.run([
            "pricing", "import", Self.fixture, "--snapshot", "imported", "--base", "aws-2026-11",
            "--pricing", pricing,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        // 211 Linux prices and 8 Windows list prices (On-Demand, Windows, Shared, No License required,
        // Used, NA: 8 rows of the file, counted with a plain CSV reader).
        #expect(
            run.stdout.contains(
                "AmazonEC2 \(Self.fixture) (version 20250912225308, published 2025-09-12T22:53:08Z): 5741 rows, 219 prices"
            ))
        #expect(
            run.stdout.contains(
                "check: 117 On-Demand Linux rows on Shared tenancy (any software, licence or capacity status), prices summing to 486.2991"
            ))
        // 1901 non-Linux rows, less the 143 On-Demand Windows rows now read (8 kept, the rest
        // skipped for their licence, capacity status or software).
        #expect(run.stdout.contains("1758  operating system is neither Linux nor Windows on demand"))
        // 219 from the file and the 69 rows of aws-2026-11 whose keys the file does not price
        // (the EKS fee, Fargate, ELB, ap-northeast-2 and the rest).
        #expect(
            run.stdout.contains(
                "wrote \(pricing)/imported.csv: 288 prices in 13 regions, snapshot date 2025-09-12; 69 kept from aws-2026-11"
            ))
        #expect(!run.stderr.contains("\r"), "no progress bar when stderr is not a terminal")
        #expect(files(in: pricing) == ["aws-2026-11.csv", "default-snapshot", "imported.csv", "instance-types.csv"])

        let list = try Binary.run(["pricing", "list", "--pricing", pricing])
        let listed = list.stdout.split(separator: "\n").first { $0.hasPrefix("imported ") }
        #expect(
            list.status == 0 && listed?.contains(" 2025-09-12 ") == true && listed?.contains(" 288 ") == true,
            "\(list.stdout)")
        #expect(listed?.contains("13 regions: af-south-1 … us-east-2") == true, "\(list.stdout)")
        let sources = try Binary.run(["pricing", "list", "--pricing", pricing, "--sources"])
        #expect(sources.stdout.contains("imported regions: af-south-1 ap-northeast-1 ap-northeast-2 ap-southeast-1"))

        let scenario = Binary.temporaryFolder() + "/reserved.yaml"
        try """
        apiVersion: ekscost/v1
        kind: Scenario
        metadata:
          name: reserved-metal
        spec:
          region: us-east-1
          pricing: imported
          asOf: "2026-11-23"
          clusters:
            - name: big
              nodeGroups:
                - name: reserved
                  instanceType: m6i.metal
                  desiredSize: 2
                  reserved: {term: 1yr, offeringClass: standard, payment: partial-upfront}
                - name: on-demand
                  instanceType: m6i.metal
                  desiredSize: 1
        """.write(toFile: scenario, atomically: true, encoding: .utf8)
        let out = Binary.temporaryFolder()
        let estimate = try Binary.run(["estimate", scenario, "--pricing", pricing, "--out", out, "--format", "csv"])
        #expect(estimate.status == 0, "\(estimate.stderr)")
        let rows = Binary.csvRows(try #require(Binary.read(out + "/reserved-metal/estimate.csv")))
        func cost(_ resource: String) -> String? { rows.first { $0["resource"] == resource }?["monthly_usd"] }
        #expect(cost("m6i.metal reserved 1yr standard partial-upfront") == "1998.16")  // 2 × 1.3686 × 730
        #expect(cost("m6i.metal reserved 1yr standard partial-upfront upfront fee") == "1998.17")  // 2 × 11989 ÷ 12
        #expect(cost("m6i.metal on-demand") == "3363.84")  // 4.608 × 730
        #expect(cost("EKS cluster, standard support") == "73.00")  // from the base
        #expect(rows.last?["monthly_usd"] == "7433.17")
        let source = rows.first { $0["resource"] == "m6i.metal on-demand" }?["price_source"]
        #expect(source == "AWS Price List AmazonEC2 generated-ec2-4mb-seed7.csv, version 20250912225308")
    }

    @Test func aTruncatedFileWritesNothingAndLeavesTheSnapshotsAlone() throws {
        let pricing = try pricingFolder()
        #expect(
            try Binary.run([
                "pricing", "import", Self.fixture, "--snapshot", "imported", "--base", "aws-2026-11",
                "--pricing", pricing,
            ]).status == 0)
        let before = files(in: pricing).map { FileManager.default.contents(atPath: pricing + "/" + $0) }
        let bytes = try #require(FileManager.default.contents(atPath: Self.fixture))
        // Cut in the middle of a record: 2 MB in, not just after a line feed.
        var cut = 2_000_000
        while bytes[cut - 1] == 0x0A { cut += 1 }
        let truncated = Binary.temporaryFolder() + "/index.csv"
        FileManager.default.createFile(atPath: truncated, contents: bytes.prefix(cut))
        for arguments in [["--snapshot", "imported", "--replace"], ["--snapshot", "another", "--make-default"]] {
            let run = try Binary.run(
                ["pricing", "import", truncated, "--base", "aws-2026-11", "--pricing", pricing] + arguments)
            #expect(run.status == 1)
            let lines = run.stderr.split(separator: "\n")
            #expect(
                lines.first?.hasPrefix("\(truncated):") == true && lines.first?.contains(": error: record ") == true,
                "\(run.stderr)")
            #expect(run.stderr.contains("truncated"))
            #expect(lines.last == "ekscost: 1 error; no snapshot written")
            #expect(run.stdout.isEmpty)
            #expect(
                files(in: pricing) == ["aws-2026-11.csv", "default-snapshot", "imported.csv", "instance-types.csv"])
            #expect(files(in: pricing).map { FileManager.default.contents(atPath: pricing + "/" + $0) } == before)
        }
    }

    @Test func refusesToOverwriteASnapshotUnlessAskedTo() throws {
        let pricing = try pricingFolder()
        let run = try Binary.run(["pricing", "import", Self.fixture, "--snapshot", "aws-2026-11", "--pricing", pricing])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: price snapshot aws-2026-11 already exists"))
        let bad = try Binary.run([
            "pricing", "import", Self.fixture, "--snapshot", "instance-types", "--pricing", pricing,
        ])
        #expect(bad.stderr.contains("would overwrite the instance catalog"))
    }

    @Test func makesTheNewSnapshotTheDefault() throws {
        let pricing = try pricingFolder()
        let run = try Binary.run([
            "pricing", "import", Self.fixture, "--snapshot", "imported", "--base", "aws-2026-11",
            "--pricing", pricing, "--make-default", "--region", "us-east-1", "eu-north-1", "--quiet",
        ])
        #expect(run.status == 0 && run.stdout.isEmpty, "\(run.stderr)")
        #expect(Binary.read(pricing + "/default-snapshot") == "imported\n")
        let text = try #require(Binary.read(pricing + "/imported.csv"))
        // us-east-1 and eu-north-1 from the file; ap-northeast-2 only from the base.
        #expect(Set(Binary.csvRows(text).map { $0["region"]! }) == ["us-east-1", "eu-north-1", "ap-northeast-2"])
    }

    @Test func anEC2FileAloneLacksTheEKSFee() throws {
        let pricing = try pricingFolder()
        #expect(
            try Binary.run([
                "pricing", "import", Self.fixture, "--snapshot", "ec2-only", "--pricing", pricing,
                "--region", "us-east-1",
            ]).status == 0)
        let scenario = Binary.temporaryFolder() + "/s.yaml"
        try
            "apiVersion: ekscost/v1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  region: us-east-1\n  pricing: ec2-only\n  clusters:\n    - name: c\n      nodeGroups: [{name: g, instanceType: m6i.metal, desiredSize: 1}]\n"
            .write(toFile: scenario, atomically: true, encoding: .utf8)
        let run = try Binary.run(["validate", scenario, "--pricing", pricing])
        #expect(run.status == 1)
        #expect(
            run.stderr.contains(
                "error: no price for eks cluster on-demand in us-east-1 (snapshot ec2-only covers us-east-1); run 'ekscost pricing fetch us-east-1'"
            ))
    }

    /// Under a pseudo-terminal (util-linux `script`) stderr is a terminal: the progress line is
    /// drawn and cleared in place.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func drawsProgressOnlyOnATerminal() throws {
        let pricing = try pricingFolder()
        let command =
            "'\(Binary.path)' pricing import '\(Self.fixture)' --snapshot tty --pricing '\(pricing)' --base aws-2026-11 > /dev/null"
        let run = try Binary.runExecutable("/usr/bin/script", ["-qfec", command, "/dev/null"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("\r\u{1B}[K"), "\(run.stdout.debugDescription)")
    }

    @Test func helpShowsAnExample() throws {
        let run = try Binary.run(["pricing", "import", "--help"])
        #expect(
            run.stdout.contains("Examples:")
                && run.stdout.contains("  ekscost pricing import index.csv --snapshot ec2-use1 --base aws-2026-11\n"))
        #expect(run.stdout.contains("--base") && run.stdout.contains("--region"))
    }
}
