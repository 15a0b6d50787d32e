import Foundation
import Testing

/// `pricing fetch` also records the Spot prices of AWS's Spot pricing page, here the synthetic
/// `/spot.js` of `scripts/price-mirror`; without that file the fetch goes on, and says so.
@Suite(.serialized) struct SpotPriceFetchCommandTests {
    private func fetch(_ mirror: PriceMirror, into folder: String) throws -> Binary.Run {
        try Binary.run(
            ["pricing", "fetch", "us-east-1", "--endpoint", mirror.endpoint],
            environment: ["EKSCOST_PRICING_DIR": folder])
    }

    private func snapshot(in folder: String) throws -> String {
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".csv") })
        return try #require(Binary.read(folder + "/" + name))
    }

    /// The usd column of the snapshot row that starts with `key` (`us-east-1,ec2,m5.large,spot`).
    private func usd(_ text: String, _ key: String) -> Decimal? {
        let row = text.split(separator: "\n").first { $0.contains(",\(key),") }
        return row.flatMap { Decimal(string: String($0.split(separator: ",")[7])) }
    }

    @Test func spotPricesAreStoredAsObservedAndPriceASpotGroup() throws {
        let mirror = try PriceMirror(["us-east-1", "--types=m5.large,t3.medium"])
        let folder = Binary.temporaryFolder()
        let run = try fetch(mirror, into: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Spot us-east-1: 3 prices observed "), "\(run.stdout)")
        let text = try snapshot(in: folder)
        // The mirror writes Spot as 35 % of its Linux on-demand price, to 4 decimals (scripts/price-mirror).
        let onDemand = try #require(usd(text, "us-east-1,ec2,m5.large,on-demand"))
        let spot = try #require(usd(text, "us-east-1,ec2,m5.large,spot"))
        var exact = onDemand * Decimal(string: "0.35")!
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, 4, .plain)
        #expect(spot == rounded)
        let row = try #require(text.split(separator: "\n").first { $0.contains(",us-east-1,ec2,m5.large,spot,hour,") })
        #expect(row.contains("\"AWS EC2 Spot pricing page data (\(mirror.endpoint)/spot.js), observed 20"), "\(row)")
        // Windows Spot apart from Linux; the mirror gives m5.large none (N/A*).
        #expect(text.contains(",us-east-1,ec2-windows,t3.medium,spot,hour,"))
        #expect(!text.contains(",us-east-1,ec2-windows,m5.large,spot,"))

        // A managed Spot group of 2 fixed nodes is priced at that price: 2 × spot × 730.
        let cluster = Binary.temporaryFolder() + "/spot.yaml"
        try
            "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: s, region: us-east-1}\nmanagedNodeGroups:\n  - name: spot\n    instanceTypes: [m5.large]\n    spot: true\n    desiredCapacity: 2\n    minSize: 2\n    maxSize: 2\n"
            .write(toFile: cluster, atomically: true, encoding: .utf8)
        let out = Binary.temporaryFolder()
        let estimate = try Binary.run(
            ["estimate", "--eksctl", cluster, "--out", out, "--format", "csv"],
            environment: ["EKSCOST_PRICING_DIR": folder])
        #expect(estimate.status == 0, "\(estimate.stderr)")
        let line = Binary.csvRows(try #require(Binary.read(out + "/s/estimate.csv"))).first {
            $0["resource"] == "m5.large spot"
        }
        var monthly = 2 * spot * 730
        var cents = Decimal()
        NSDecimalRound(&cents, &monthly, 2, .plain)
        #expect(
            line.flatMap { $0["monthly_usd"] }.flatMap { Decimal(string: $0) } == cents, "\(String(describing: line))")
    }

    @Test(arguments: ["missing:spot", "corrupt:spot"])
    func withoutTheSpotFileTheFetchGoesOnAndSaysSo(fault: String) throws {
        let mirror = try PriceMirror(["us-east-1", "--types=m5.large", "--fault", fault])
        let folder = Binary.temporaryFolder()
        let run = try fetch(mirror, into: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("warning: no Spot prices: "), "\(run.stderr)")
        #expect(run.stderr.contains(mirror.endpoint + "/spot.js"), "names the URL: \(run.stderr)")
        #expect(run.stderr.contains("the new snapshot has no Spot prices"))
        let text = try snapshot(in: folder)
        #expect(text.contains(",us-east-1,ec2,m5.large,on-demand,hour,"))
        #expect(!text.contains(",spot,"))
    }
}
