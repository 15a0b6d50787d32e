import Foundation
import Testing

@Suite struct CompareCommandTests {
    @Test func estimatesFargateAndNodesTogether() throws {
        let out = Binary.temporaryFolder()
        let run = try Binary.run(["estimate", "Examples/fargate-mix.yaml", "--out", out, "--format", "csv"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = Binary.csvRows(try #require(Binary.read(out + "/fargate-mix/estimate.csv")))
        func usd(_ group: String, _ resource: String) -> String? {
            rows.first { $0["group"] == group && $0["resource"] == resource }?["monthly_usd"]
        }
        #expect(rows.first { $0["component"] == "compute" }?["monthly_usd"] == "140.16")
        #expect(usd("serverless/thumbnailer", "Fargate vCPU") == "29.55")
        #expect(usd("serverless/thumbnailer", "Fargate memory") == "12.98")
        #expect(usd("serverless/events", "Fargate vCPU") == "59.10")
        #expect(usd("serverless/events", "Fargate memory") == "19.47")
        #expect(rows.last?["monthly_usd"] == "334.26")
        // The provisioned size is on the line: 4 pods × 0.25 vCPU / 1 GB.
        #expect(
            rows.first { $0["group"] == "serverless/thumbnailer" }?["basis"]?.hasPrefix("4 pods × 0.25 vCPU / 1 GB")
                == true)
    }

    @Test func aCurveDrivenWorkloadsBreakEvenIsInHoursPerDay() throws {
        let out = Binary.temporaryFolder()
        let run = try Binary.run(["compare", "Examples/daily-traffic.yaml", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try #require(Binary.read(out + "/daily-traffic/compare.csv"))
        let rows = Binary.csvRows(text)
        let row = try #require(rows.first { $0["row_type"] == "break-even" })
        // The HPA's peak is its maximum, 10; 3 pods of 500m fit an m5.large (1930m), so 4 nodes.
        #expect(row["peak_replicas"] == "10" && row["pods_per_node"] == "3")
        let average = Decimal(string: try #require(row["average_replicas"]))!
        let hours = Decimal(string: try #require(row["hours_per_day"]))!
        var expected = average * 24 / 10
        var rounded = Decimal()
        NSDecimalRound(&rounded, &expected, 2, .plain)
        #expect(abs(NSDecimalNumber(decimal: hours - rounded).doubleValue) <= 0.01)
        #expect(row["note"]?.contains("4 m5.large nodes kept for the peak of 10 replicas") == true)
        // 20 columns, and unplaced_pods added at the end (columns are only ever added at the end).
        #expect(text.split(separator: "\r\n").first?.split(separator: ",").count == 21)
        #expect(text.split(separator: "\r\n").first?.hasSuffix(",hours_per_day,unplaced_pods") == true)
    }

    @Test func comparesAndRanksTheStrategies() throws {
        let out = Binary.temporaryFolder()
        let run = try Binary.run(["compare", "Examples/fargate-mix.yaml", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("| 1 | **EC2 spot, node groups as written** (cheapest) | **200.49** |"))
        #expect(run.stdout.contains("| As written (node groups and Fargate profiles) | 334.26 |"))
        #expect(run.stdout.contains("serverless/thumbnailer: Fargate is cheaper below 7 replicas"))
        let rows = Binary.csvRows(try #require(Binary.read(out + "/fargate-mix/compare.csv")))
        let totals = rows.filter { $0["row_type"] == "total" }
        #expect(totals.first?["cheapest"] == "true" && totals.first?["strategy"] == "ec2-spot")
        for strategy in totals {
            let parts = rows.filter { $0["strategy"] == strategy["strategy"] && $0["row_type"] != "total" }
            let sum = parts.map { Decimal(string: $0["monthly_usd"]!)! }.reduce(0, +)
            #expect(sum == Decimal(string: strategy["monthly_usd"]!))
        }
        #expect(FileManager.default.fileExists(atPath: out + "/fargate-mix/compare.md"))
    }

    @Test func withoutTheProfileThePodsMoveToNodes() throws {
        let folder = Binary.temporaryFolder()
        let text = Binary.read(Binary.packageRoot.path + "/Examples/fargate-mix.yaml")!
            .replacingOccurrences(
                of:
                    "      fargateProfiles:\n        - name: serverless\n          selectors:\n            - namespace: serverless\n",
                with: "")
        try text.write(toFile: folder + "/nofargate.yaml", atomically: true, encoding: .utf8)
        let run = try Binary.run(["estimate", folder + "/nofargate.yaml", "--out", folder, "--format", "csv"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = Binary.csvRows(try #require(Binary.read(folder + "/fargate-mix/estimate.csv")))
        // 4 m5.large: 280.32, plus EKS 73.
        #expect(rows.first { $0["component"] == "compute" }?["quantity"] == "4")
        #expect(rows.last?["monthly_usd"] == "353.32")
        #expect(!rows.contains { $0["component"] == "fargate" })
    }
}
