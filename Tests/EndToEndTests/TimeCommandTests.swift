import Foundation
import Testing

@Suite struct TimeCommandTests {
    static func stepRows(_ text: String) -> [[String: String]] {
        Binary.csvRows(text).filter { $0["row_type"] == "step" }
    }

    @Test func replicasAndNodesFollowTheDailyCurve() throws {
        let out = Binary.temporaryFolder()
        let run = try Binary.run(["estimate", "Examples/daily-traffic.yaml", "--out", out, "--format", "csv,md,json"])
        #expect(run.status == 0, "\(run.stderr)")
        let folder = out + "/daily-traffic/2026-11"
        let steps = Self.stepRows(try #require(Binary.read(folder + "/capacity.csv")))
        #expect(steps.count == 720)  // November: 30 days of hourly steps
        let replicas = steps.map { Int($0["replicas:default/web"]!)! }
        let nodes = steps.map { Int($0["nodes:general/m5.large"]!)! }
        // Night: 2 replicas on the minimum node; evening peak: the HPA maximum, 10, on 4 nodes.
        #expect(replicas.min() == 2 && replicas.max() == 10)
        #expect(nodes.min() == 1 && nodes.max() == 4)
        #expect(replicas[3] == 2 && replicas[19] == 10)
        // The month's cost is the sum of the step costs, between the low and high figures.
        let total = Decimal(
            string: Binary.csvRows(try #require(Binary.read(folder + "/estimate.csv"))).last!["monthly_usd"]!)!
        let sum = steps.map { Decimal(string: $0["step_cost_usd"]!)! }.reduce(0, +)
        #expect(sum == total)
        let jsonText = try #require(Binary.read(folder + "/estimate.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(jsonText.utf8)) as? [String: Any])
        let range = try #require(json["range"] as? [String: Any])
        let low = (range["lowUSD"] as! NSNumber).doubleValue
        let high = (range["highUSD"] as! NSNumber).doubleValue
        #expect(low < NSDecimalNumber(decimal: total).doubleValue && NSDecimalNumber(decimal: total).doubleValue < high)
        // 2 replicas on 1 node all month: 72 + 69.12 + 1.60 EBS; 10 on 4 nodes: 72 + 276.48 + 6.40.
        #expect(low == 142.72 && high == 354.88)
        #expect(FileManager.default.fileExists(atPath: folder + "/chart.svg"))
        #expect(
            try #require(Binary.read(folder + "/estimate.md")).contains(
                "![Nodes and hourly cost over the period](chart.svg)"))
    }

    @Test func aLongerScaleDownWindowKeepsPodsAndNodesLonger() throws {
        let folder = Binary.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/curves", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Binary.packageRoot.path + "/Examples/curves/web-daily.csv", toPath: folder + "/curves/web-daily.csv"
        )
        let base = Binary.read(Binary.packageRoot.path + "/Examples/daily-traffic.yaml")!
        func total(window: Int) throws -> Decimal {
            let text = base.replacingOccurrences(
                of: "                resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}",
                with:
                    "                resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}\n            behavior:\n              scaleDown: {stabilizationWindowSeconds: \(window)}"
            )
            try text.write(toFile: folder + "/w.yaml", atomically: true, encoding: .utf8)
            let run = try Binary.run(["estimate", folder + "/w.yaml", "--out", folder, "--format", "csv"])
            #expect(run.status == 0, "\(run.stderr)")
            return Decimal(
                string: Binary.csvRows(Binary.read(folder + "/daily-traffic/2026-11/estimate.csv")!).last![
                    "monthly_usd"]!)!
        }
        // Upstream: a longer window holds the highest recommendation longer, so replicas (and the
        // nodes under them) come down later and the month costs more.
        let short = try total(window: 0)
        let long = try total(window: 3600)
        #expect(short < long)
    }

    @Test func simulationSettingsSetTheStepsAndAreStated() throws {
        let folder = Binary.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/curves", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Binary.packageRoot.path + "/Examples/curves/web-daily.csv", toPath: folder + "/curves/web-daily.csv"
        )
        let text = Binary.read(Binary.packageRoot.path + "/Examples/daily-traffic.yaml")!
            .replacingOccurrences(
                of: "  month: 2026-11\n",
                with: "  month: 2026-11\n  simulation: {hpaSyncSeconds: 30, reportStepSeconds: 21600}\n")
        try text.write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        let run = try Binary.run(["estimate", folder + "/s.yaml", "--out", folder, "--format", "csv,md"])
        #expect(run.status == 0, "\(run.stderr)")
        let out = folder + "/daily-traffic/2026-11"
        let capacity = Binary.csvRows(try #require(Binary.read(out + "/capacity.csv")))
        let steps = capacity.filter { $0["row_type"] == "step" }
        #expect(steps.count == 120)  // 720 hours in 6-hour steps
        #expect(steps[1]["step_start_hour"] == "6")
        let lines = Binary.csvRows(try #require(Binary.read(out + "/estimate.csv")))
        let total = Decimal(string: lines.last!["monthly_usd"]!)!
        #expect(steps.map { Decimal(string: $0["step_cost_usd"]!)! }.reduce(0, +) == total)
        // The compute line is the node-hours billed × 0.096 USD, rounded once to the cent.
        let nodeHours = Decimal(string: try #require(capacity.first { $0["row_type"] == "node-group" }?["node_hours"]))!
        let compute = Decimal(string: try #require(lines.first { $0["component"] == "compute" }?["monthly_usd"]))!
        var exact = nodeHours * Decimal(string: "0.096")!
        var cents = Decimal()
        NSDecimalRound(&cents, &exact, 2, .plain)
        #expect(compute == cents)
        let markdown = try #require(Binary.read(out + "/estimate.md"))
        #expect(markdown.contains("HPA syncs every 30 s; 6-hour steps in capacity.csv"))
    }

    @Test func curveProblemsAreLocated() throws {
        let folder = Binary.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/curves", withIntermediateDirectories: true)
        try "hour_of_week,web_cpu_millicores,web_memory_mib\n0,600,700\n1,abc,700\n3,500,700\n4,-5,700\n".write(
            toFile: folder + "/curves/web-daily.csv", atomically: true, encoding: .utf8)
        try Binary.read(Binary.packageRoot.path + "/Examples/daily-traffic.yaml")!.write(
            toFile: folder + "/d.yaml", atomically: true, encoding: .utf8)
        let run = try Binary.run(["estimate", folder + "/d.yaml", "--out", folder])
        #expect(run.status == 1)
        #expect(
            run.stderr.contains(
                "\(folder)/curves/web-daily.csv:3: error: 'web_cpu_millicores' must be a number from 0 to 1000000000000, found 'abc'"
            ))
        #expect(
            run.stderr.contains(
                "\(folder)/curves/web-daily.csv:4: error: gap: hour_of_week jumps from 1 to 3; every hour needs a row"))
        #expect(
            run.stderr.contains(
                "\(folder)/curves/web-daily.csv:5: error: 'web_cpu_millicores' must be from 0 to 1000000000000, found '-5'"
            ))
    }
}
