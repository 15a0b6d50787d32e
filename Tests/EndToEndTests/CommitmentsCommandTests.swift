import Foundation
import Testing

/// Commitments applied to simulated months, end to end. The bundled snapshot has no Savings
/// Plans or Reserved rates, so these runs add GENERATED rates (made up for the tests, never AWS
/// rates) to a copy of it in a temporary folder.
@Suite struct CommitmentsCommandTests {
    /// A copy of the bundled aws-2026-11 snapshot, renamed, with `extra` rows (region, service,
    /// item, term, unit, usd) added, and the instance catalog beside it. Returns the file.
    static func generatedSnapshot(_ extra: [String]) throws -> String {
        let folder = Binary.temporaryFolder() + "/Pricing"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let root = Binary.packageRoot.path
        try FileManager.default.copyItem(
            atPath: root + "/Pricing/instance-types.csv", toPath: folder + "/instance-types.csv")
        var lines = Binary.read(root + "/Pricing/aws-2026-11.csv")!.split(
            separator: "\n", omittingEmptySubsequences: true
        ).map(String.init)
        lines = [lines[0]] + lines.dropFirst().map { "generated-rates" + $0.dropFirst("aws-2026-11".count) }
        lines += extra.map { "generated-rates,2026-11-23,\($0),GENERATED for a test: not an AWS rate,2026-11" }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: folder + "/generated-rates.csv", atomically: true, encoding: .utf8)
        return folder + "/generated-rates.csv"
    }

    static func json(_ path: String) throws -> [String: Any] {
        let text = try #require(Binary.read(path))
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func decimal(_ value: Any?) -> Decimal { Decimal(string: "\(value!)")! }

    static func cents(_ value: Decimal) -> Decimal {
        var input = value
        var output = Decimal()
        NSDecimalRound(&output, &input, 2, .plain)
        return output
    }

    /// Examples/daily-traffic.yaml with a generated Compute Savings Plan rate of 0.06 USD per
    /// m5.large-hour beside the bundled on-demand 0.096. Worked by hand from capacity.csv's step
    /// rows (hourly steps: each row's node-seconds is that clock hour's usage u = s ÷ 3600
    /// instance-hours): a commitment of c USD/hour costs c every hour and covers c ÷ 0.06
    /// instance-hours; the rest runs at 0.096. So the month's eligible cost is
    /// Σ_h [c + 0.096 × max(0, u_h − c ÷ 0.06)] against Σ_h 0.096 × u_h without a plan
    /// (Savings Plans User Guide: the commitment is billed every hour; usage beyond it is on demand).
    @Test func theRecommendedComputePlanLowersTheMonthAndTwentyPercentMoreCostsMore() throws {
        let snapshot = try Self.generatedSnapshot([
            "us-east-1,ec2,m5.large,savings-plan-compute-1yr-no-upfront,hour,0.06"
        ])
        let out = Binary.temporaryFolder()
        let run = try Binary.run([
            "estimate", "Examples/daily-traffic.yaml", "--pricing", snapshot, "--out", out, "--format", "csv,md,json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let folder = out + "/daily-traffic/2026-11"
        let steps = Binary.csvRows(try #require(Binary.read(folder + "/capacity.csv"))).filter {
            $0["row_type"] == "step"
        }
        #expect(steps.count == 720)
        #expect(steps.enumerated().allSatisfy { Int($0.element["step_start_hour"]!) == $0.offset })
        let usage = steps.map { Decimal(string: $0["node_seconds:general/m5.large"]!)! / 3600 }
        let onDemand = Decimal(string: "0.096")!
        let rate = Decimal(string: "0.06")!
        let withoutPlan = usage.reduce(Decimal(0)) { $0 + onDemand * $1 }
        func savings(_ commitment: Decimal) -> Decimal {
            let cost = usage.reduce(Decimal(0)) { $0 + commitment + onDemand * max(0, $1 - commitment / rate) }
            return withoutPlan - cost
        }
        let report = try Self.json(folder + "/estimate.json")
        let total = Self.decimal(report["monthlyUSD"])
        let commitments = try #require(report["commitments"] as? [String: Any])
        let recommendations = try #require(commitments["recommendations"] as? [[String: Any]])
        let compute = try #require(
            recommendations.first { $0["plan"] as? String == "Compute Savings Plan 1yr no-upfront" })
        let best = try #require(compute["best"] as? [String: Any])
        let commitment = Self.decimal(best["hourlyCommitmentUSD"])
        // The month's total with the recommended plan, by hand, is lower than without it…
        let handBest = Self.cents(savings(commitment))
        #expect(handBest > 0)
        #expect(Self.decimal(best["savingsUSD"]) == handBest)
        #expect(Self.decimal(best["monthlyUSD"]) == total - handBest)
        // …and no 0.001 USD/hour step either side does better (the minimum, checked by hand).
        let step = Decimal(string: "0.001")!
        #expect(savings(commitment - step) <= savings(commitment) && savings(commitment + step) <= savings(commitment))
        // 20 % above it (rounded to the 0.001 step AWS sells) costs more than the recommendation.
        let above = Self.cents(commitment * Decimal(string: "1.2")! * 1000) / 1000
        let handAbove = Self.cents(savings(above))
        #expect(handAbove < handBest)
        let points = try #require(compute["points"] as? [[String: Any]])
        let abovePoint = try #require(points.first { Self.decimal($0["hourlyCommitmentUSD"]) == above })
        #expect(Self.decimal(abovePoint["monthlyUSD"]) == total - handAbove)
        #expect(Self.decimal(abovePoint["monthlyUSD"]) > Self.decimal(best["monthlyUSD"]))
        #expect(FileManager.default.fileExists(atPath: folder + "/commitment-curve.svg"))
    }

    /// Examples/commitments.yaml with generated rates: estimate.csv has the commitment lines
    /// (the plan's commitment, the reservations' fee, the covered usage taken off), and a
    /// spreadsheet SUM over the lines is the total row; the step costs add up to it too.
    @Test func theCommitmentsExampleHasItsLinesAndSumsToItsTotal() throws {
        let snapshot = try Self.generatedSnapshot([
            "us-east-1,ec2,m5.large,savings-plan-compute-1yr-no-upfront,hour,0.06",
            "us-east-1,ec2,m5.large,reserved-1yr-standard-no-upfront,hour,0.061",
        ])
        let out = Binary.temporaryFolder()
        let run = try Binary.run([
            "estimate", "Examples/commitments.yaml", "--pricing", snapshot, "--out", out, "--format", "csv,md,json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let folder = out + "/commitments/2026-11"
        let rows = Binary.csvRows(try #require(Binary.read(folder + "/estimate.csv")))
        let lines = rows.filter { $0["component"] != "total" }
        let total = Decimal(string: try #require(rows.last)["monthly_usd"]!)!
        #expect(lines.reduce(Decimal(0)) { $0 + Decimal(string: $1["monthly_usd"]!)! } == total)
        let commitments = lines.filter { $0["component"] == "commitments" }
        // 0.02 USD/hour × 720 h = 14.40; 2 reservations × 0.061 × 720 h = 87.84.
        #expect(
            commitments.contains {
                $0["resource"]!.hasPrefix("Compute Savings Plan 1yr no-upfront commitment")
                    && $0["monthly_usd"] == "14.40"
            })
        #expect(
            commitments.contains {
                $0["resource"]!.hasPrefix("m5.large reserved 1yr standard no-upfront") && $0["monthly_usd"] == "87.84"
            })
        let covered = try #require(
            commitments.first { $0["resource"] == "m5.large on-demand usage covered by commitments" })
        #expect(Decimal(string: covered["monthly_usd"]!)! < 0)
        let steps = Binary.csvRows(try #require(Binary.read(folder + "/capacity.csv"))).filter {
            $0["row_type"] == "step"
        }
        #expect(steps.reduce(Decimal(0)) { $0 + Decimal(string: $1["step_cost_usd"]!)! } == total)
        let markdown = try #require(Binary.read(folder + "/estimate.md"))
        #expect(
            markdown.contains("## Commitments")
                && markdown.contains("| Compute Savings Plan 1yr no-upfront, 0.02 USD/hour | 14.40 |"))
    }

    /// Against the bundled snapshot, which has neither rate: each commitment is an error at its
    /// line in the scenario, naming the command that fetches the rates, and nothing is written.
    @Test func aCommitmentWithoutRatesIsALocatedErrorNamingTheFetch() throws {
        let out = Binary.temporaryFolder()
        let run = try Binary.run(["estimate", "Examples/commitments.yaml", "--out", out])
        #expect(run.status != 0)
        let text = try #require(Binary.read(Binary.packageRoot.path + "/Examples/commitments.yaml"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let planLine = try #require(lines.firstIndex { $0.contains("- type: compute") }) + 1
        let reservationLine = try #require(lines.firstIndex { $0.contains("- instanceType: m5.large") }) + 1
        #expect(
            run.stderr.contains(
                "Examples/commitments.yaml:\(planLine):9: error: no Compute Savings Plan rate (1yr no-upfront) for us-east-1 in snapshot aws-2026-11; run 'ekscost pricing fetch us-east-1'"
            ))
        #expect(
            run.stderr.contains(
                "Examples/commitments.yaml:\(reservationLine):9: error: no Reserved Instance price for ec2 m5.large reserved-1yr-standard-no-upfront in us-east-1"
            ))
        #expect(!FileManager.default.fileExists(atPath: out + "/commitments"))
    }
}
