import Foundation
import Testing

@Suite(.serialized) struct EstimateCommandTests {
    @Test func estimatesTheSeedExample() throws {
        let out = Binary.temporaryFolder()
        let run = try Binary.run(["estimate", "Examples/eks-workshop-2019.yaml", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("# eks-workshop-2019: 383.76 USD per month"))
        let csv = try #require(Binary.read(out + "/eks-workshop-2019/estimate.csv"))
        let rows = Binary.csvRows(csv)
        let ec2 = try #require(rows.first { $0["component"] == "compute" })
        #expect(ec2["monthly_usd"] == "207.36")
        #expect(ec2["quantity"] == "3" && ec2["hours"] == "720" && ec2["unit_price_usd"] == "0.096")
        #expect(rows.first { $0["component"] == "control-plane" }?["monthly_usd"] == "144.00")
        let lines = rows.filter { $0["component"] != "total" }
        let sum = lines.map { Decimal(string: $0["monthly_usd"]!)! }.reduce(0, +)
        #expect(sum == Decimal(string: rows.last!["monthly_usd"]!))
        #expect(rows.allSatisfy { $0["snapshot"] == "aws-2019-12" && $0["hours_per_month"] == "720" })
        #expect(FileManager.default.fileExists(atPath: out + "/eks-workshop-2019/estimate.md"))
    }

    @Test func estimatesTheSameClusterOnTodaysPrices() throws {
        let out = Binary.temporaryFolder()
        let run = try Binary.run(["estimate", "Examples/eks-workshop-today.yaml", "--out", out, "--format", "csv"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = Binary.csvRows(try #require(Binary.read(out + "/eks-workshop-today/estimate.csv")))
        #expect(rows.first { $0["component"] == "compute" }?["monthly_usd"] == "210.24")
        #expect(rows.first { $0["component"] == "control-plane" }?["monthly_usd"] == "73.00")
        #expect(!FileManager.default.fileExists(atPath: out + "/eks-workshop-today/estimate.md"))
    }

    @Test func rerunningGivesIdenticalBytes() throws {
        let first = Binary.temporaryFolder()
        let second = Binary.temporaryFolder()
        for out in [first, second] {
            try Binary.run(["estimate", "Examples/eks-workshop-2019.yaml", "--out", out, "--format", "csv,md,json"])
        }
        for file in ["estimate.csv", "estimate.md", "estimate.json"] {
            let a = try #require(FileManager.default.contents(atPath: "\(first)/eks-workshop-2019/\(file)"))
            #expect(a == FileManager.default.contents(atPath: "\(second)/eks-workshop-2019/\(file)"))
        }
    }

    @Test func threeMistakesGiveThreeLocatedErrorsAndNoFiles() throws {
        let folder = Binary.temporaryFolder()
        let scenario = folder + "/broken.yaml"
        var text = Binary.read(Binary.packageRoot.path + "/Examples/eks-workshop-2019.yaml")!
        text =
            "notAKey: 1\n"
            + text.replacingOccurrences(of: "m5.large", with: "m5.nosuchtype")
            .replacingOccurrences(of: "desiredSize: 3", with: "desiredSize: -3")
        try text.write(toFile: scenario, atomically: true, encoding: .utf8)
        let out = folder + "/out"
        let run = try Binary.run(["estimate", scenario, "--out", out])
        #expect(run.status == 1)
        let errors = run.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.count == 3, "\(run.stderr)")
        #expect(errors.contains { $0.hasPrefix("\(scenario):1:1: error: unknown key 'notAKey'") })
        #expect(
            errors.contains {
                $0.hasPrefix(
                    "\(scenario):22:24: error: 'desiredSize' in node group ng-1 must be from 0 to 100000, found -3")
            })
        #expect(
            errors.contains {
                $0.hasPrefix(
                    "\(scenario):20:25: error: unknown instance type 'm5.nosuchtype' in node group ng-1; did you mean")
            })
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(run.stdout.isEmpty)
    }

    @Test func aFailedRunLeavesTheLastGoodReport() throws {
        let folder = Binary.temporaryFolder()
        let scenario = folder + "/eks-workshop-2019.yaml"
        let good = Binary.read(Binary.packageRoot.path + "/Examples/eks-workshop-2019.yaml")!
        try good.write(toFile: scenario, atomically: true, encoding: .utf8)
        #expect(try Binary.run(["estimate", scenario, "--out", folder]).status == 0)
        let before = FileManager.default.contents(atPath: folder + "/eks-workshop-2019/estimate.csv")
        try good.replacingOccurrences(of: "aws-2019-12", with: "aws-2019-13").write(
            toFile: scenario, atomically: true, encoding: .utf8)
        let run = try Binary.run(["estimate", scenario, "--out", folder])
        #expect(run.status == 1)
        #expect(
            run.stderr.contains(
                "\(scenario):11:12: error: unknown price snapshot 'aws-2019-13'; available: aws-2019-12, aws-2026-11 (did you mean aws-2019-12?)"
            ))
        #expect(FileManager.default.contents(atPath: folder + "/eks-workshop-2019/estimate.csv") == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder + "/eks-workshop-2019").filter {
            $0.hasSuffix(".tmp")
        }
        #expect(leftovers.isEmpty)
    }

    @Test func aCalendarMonthGetsItsOwnFolderAndHours() throws {
        let out = Binary.temporaryFolder()
        let run = try Binary.run(["estimate", "Examples/eks-workshop-2019.yaml", "--out", out, "--month", "2019-12"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = Binary.csvRows(try #require(Binary.read(out + "/eks-workshop-2019/2019-12/estimate.csv")))
        // December: 31 × 24 = 744 hours; 3 × 0.096 × 744 = 214.272 → 214.27.
        #expect(rows.first { $0["component"] == "compute" }?["monthly_usd"] == "214.27")
        #expect(rows.first?["hours_per_month"] == "744")
    }

    @Test func overBudgetWritesTheReportAndExitsWith3() throws {
        let out = Binary.temporaryFolder()
        let run = try Binary.run([
            "estimate", "Examples/eks-workshop-2019.yaml", "--out", out, "--budget", "300", "--quiet",
        ])
        #expect(run.status == 3)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("383.76 USD per month, over the budget of 300.00 USD"))
        #expect(FileManager.default.fileExists(atPath: out + "/eks-workshop-2019/estimate.csv"))
    }

    @Test func extendedSupportFollowsAsOf() throws {
        let folder = Binary.temporaryFolder()
        let scenario = folder + "/old.yaml"
        let text = Binary.read(Binary.packageRoot.path + "/Examples/eks-workshop-today.yaml")!
            .replacingOccurrences(
                of: "    - name: workshop\n", with: "    - name: workshop\n      kubernetesVersion: \"1.31\"\n")
        try text.write(toFile: scenario, atomically: true, encoding: .utf8)
        let before = try Binary.run(["estimate", scenario, "--out", folder, "--as-of", "2025-11-25", "--format", "csv"])
        #expect(before.status == 0, "\(before.stderr)")
        #expect(!Binary.read(folder + "/eks-workshop-today/estimate.csv")!.contains("extended"))
        let after = try Binary.run(["estimate", scenario, "--out", folder, "--as-of", "2025-11-26", "--format", "csv"])
        #expect(after.status == 0)
        let rows = Binary.csvRows(Binary.read(folder + "/eks-workshop-today/estimate.csv")!)
        // 0.50 surcharge × 730 h on top of the 0.10 fee.
        #expect(rows.first { $0["resource"] == "EKS extended support surcharge" }?["monthly_usd"] == "365.00")
    }

    @Test func unwritableOutputFailsWithStatus74() throws {
        let folder = Binary.temporaryFolder()
        FileManager.default.createFile(atPath: folder + "/blocker", contents: Data())
        let run = try Binary.run(["estimate", "Examples/eks-workshop-2019.yaml", "--out", folder + "/blocker"])
        #expect(run.status == 74)
        #expect(run.stderr.contains("cannot"))
    }

    @Test func badCommandLinesAreUsageErrors() throws {
        let run = try Binary.run(["estimate", "Examples/eks-workshop-2019.yaml", "--format", "xlsx"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--format takes csv, md and json"))
        #expect(try Binary.run(["estimate", "Examples/eks-workshop-2019.yaml", "--month", "2019-13"]).status == 64)
    }
}

@Suite struct OtherCommandTests {
    @Test func instancesPrintsMaxPodsAndAllocatable() throws {
        let run = try Binary.run(["instances", "m5.large", "t3.medium", "--format", "csv"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = Binary.csvRows(run.stdout)
        let m5 = try #require(rows.first { $0["instance_type"] == "m5.large" })
        let t3 = try #require(rows.first { $0["instance_type"] == "t3.medium" })
        #expect(m5["max_pods"] == "29" && t3["max_pods"] == "17")
        #expect(m5["max_pods_prefix"] == "434" && m5["max_pods_prefix_recommended"] == "110")
        #expect(m5["allocatable_cpu_m"] == "1930" && m5["allocatable_memory_mib"] == "6903")
        #expect(t3["allocatable_memory_mib"] == "3246")
    }

    @Test func instancesSuggestsNamesForUnknownTypes() throws {
        let run = try Binary.run(["instances", "m5.larg"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("unknown instance type 'm5.larg'; did you mean m5.large"))
    }

    @Test func instancesMatchesWildcards() throws {
        let run = try Binary.run(["instances", "m5.*", "--format", "csv"])
        let names = Binary.csvRows(run.stdout).map { $0["instance_type"]! }
        #expect(names.contains("m5.24xlarge") && names.allSatisfy { $0.hasPrefix("m5.") })
    }

    @Test func pricingListShowsBothSnapshotsAndTheDefault() throws {
        let run = try Binary.run(["pricing", "list"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("aws-2019-12 "))
        #expect(run.stdout.contains("aws-2026-11 *"))
        #expect(run.stdout.contains("ap-northeast-2 us-east-1"))
    }

    @Test func validateSaysOkOrListsProblems() throws {
        let good = try Binary.run(["validate", "Examples/eks-workshop-2019.yaml", "Examples/eks-workshop-today.yaml"])
        #expect(good.status == 0)
        #expect(good.stdout == "Examples/eks-workshop-2019.yaml: ok\nExamples/eks-workshop-today.yaml: ok\n")
        // The 2019 snapshot has no Seoul prices: the region line is named.
        let folder = Binary.temporaryFolder()
        let seoul = Binary.read(Binary.packageRoot.path + "/Examples/eks-workshop-2019.yaml")!
            .replacingOccurrences(of: "region: us-east-1", with: "region: ap-northeast-2")
        try seoul.write(toFile: folder + "/seoul.yaml", atomically: true, encoding: .utf8)
        let bad = try Binary.run(["validate", folder + "/seoul.yaml"])
        #expect(bad.status == 1)
        #expect(bad.stdout.isEmpty)
        #expect(
            bad.stderr.contains(
                "\(folder)/seoul.yaml:10:11: error: price snapshot aws-2019-12 has no prices for region ap-northeast-2; it covers us-east-1"
            ))
    }

    @Test func everyCommandHasHelpWithAnExample() throws {
        for command in [
            ["estimate"], ["validate"], ["instances", "show"], ["instances", "import"], ["pricing", "list"],
        ] {
            let run = try Binary.run(command + ["--help"])
            #expect(run.status == 0)
            #expect(run.stdout.contains("Examples:"), "\(command)")
        }
    }
}
