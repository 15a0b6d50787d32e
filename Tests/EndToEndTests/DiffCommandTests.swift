import Foundation
import Testing

@Suite struct DiffCommandTests {
    @Test func explainsTheSeedClusterFrom2019ToToday() throws {
        let out = Binary.temporaryFolder()
        for scenario in ["eks-workshop-2019", "eks-workshop-today"] {
            let run = try Binary.run(["estimate", "Examples/\(scenario).yaml", "--out", out, "--quiet"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let run = try Binary.run(["diff", out + "/eks-workshop-2019", out + "/eks-workshop-today/estimate.csv"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stdout.hasPrefix("# eks-workshop-2019 → eks-workshop-today: 383.76 → 283.24 USD per month (-100.52)"))
        // EKS fee halved (−72.00) over 10 more hours (+1.00); ENIs now free (−32.40); m5.large 10 more hours (+2.88).
        #expect(run.stdout.contains("| Price changes | -104.40 |"))
        #expect(run.stdout.contains("| Usage changes (quantity, hours) | +3.88 |"))
        #expect(
            run.stdout.contains(
                "| workshop |  | EKS cluster, standard support | 144.00 | 73.00 | -71.00 | -72.00 | +1.00 | price 0.2 → 0.1 USD/hour; hours 720 → 730 |"
            ))

        let csv = try Binary.run(["diff", out + "/eks-workshop-2019", out + "/eks-workshop-today", "--format", "csv"])
        let rows = Binary.csvRows(csv.stdout)
        #expect(
            rows.last?["component"] == "total" && rows.last?["change_usd"] == "-100.52"
                && rows.last?["price_effect_usd"] == "-104.40")
        let lines = rows.dropLast()
        #expect(lines.map { Decimal(string: $0["change_usd"]!)! }.reduce(0, +) == Decimal(string: "-100.52")!)
        #expect(lines.first { $0["resource"] == "m5.large on-demand" }?["reason"] == "usage")
    }

    @Test func badReportsAreLocatedErrors() throws {
        let folder = Binary.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/empty", withIntermediateDirectories: true)
        let broken = folder + "/broken.csv"
        try
            "scenario,cluster,component,resource,quantity,unit,unit_price_usd,hours,monthly_usd,snapshot,hours_per_month\ns,c,compute,\"m5.large,3,node,0.096,730,210.24,x,730\n"
            .write(toFile: broken, atomically: true, encoding: .utf8)
        let run = try Binary.run(["diff", folder + "/empty", broken])
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(folder)/empty:1: error: no estimate.csv in this folder"))
        #expect(run.stderr.contains("\(broken):2: error:"), "\(run.stderr)")
        let edited = folder + "/edited.csv"
        try
            "scenario,cluster,component,resource,quantity,unit,unit_price_usd,hours,monthly_usd,snapshot,hours_per_month\ns,c,compute,m5.large,3,node,0.096,730,abc,x,730\n"
            .write(toFile: edited, atomically: true, encoding: .utf8)
        let second = try Binary.run(["diff", edited, edited])
        #expect(second.stderr.contains("\(edited):2: error: monthly_usd must be a plain number, found 'abc'"))
        let usage = try Binary.run(["diff", edited, edited, "--format", "xml"])
        #expect(usage.status == 64)
    }
}
