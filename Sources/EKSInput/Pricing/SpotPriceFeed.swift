public import EKSModel
public import Foundation

/// The data behind AWS's EC2 Spot pricing page (https://aws.amazon.com/ec2/spot/pricing/): the
/// current Spot price per region and instance type, Linux and Windows, public and without
/// credentials. The AWS Price List has no Spot prices; these are observed prices, true when
/// fetched, and stored as such (term `spot`, the page and the time in the source).
///
/// Its shape, as public readers parse it (infracost's cloud-pricing-api AWS Spot scraper;
/// alexei-led/spotinfo `internal/spot/data.go`), JSON wrapped in `callback(…);` in `spot.js`:
///
///     {"vers": 0.01, "config": {"rate": "perhr", "valueColumns": ["linux", "mswin"],
///      "currencies": ["USD"], "regions": [{"region": "us-east-1",
///        "instanceTypes": [{"type": "generalCurrentGen", "sizes": [{"size": "m6i.xlarge",
///          "valueColumns": [{"name": "linux", "prices": {"USD": "0.0615"}},
///                           {"name": "mswin", "prices": {"USD": "0.1535"}}]}]}]}]}}
///
/// A price of `N/A*` (not offered) or zero (newer types the page does not carry yet, as
/// spotinfo notes) is no price, never a free instance. Any other price is read as every price
/// from input is (`CheckedNumber.decimal`, `InputLimits.priceUSD`: a plain decimal of at most
/// 38 significant digits, never rounded); one that is not is named in `rejected`.
public enum SpotPriceFeed {
    /// Where AWS's Spot pricing page loads it from.
    public static let awsURL = "https://website.spot.ec2.aws.a2z.com/spot.js"

    /// What is wrong with a file that is not the Spot price data.
    public struct Malformed: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// Region names older copies of the feed use (infracost's scraper maps these).
    static let legacyRegionNames = [
        "us-east": "us-east-1", "us-west": "us-west-1", "eu-ireland": "eu-west-1", "apac-sin": "ap-southeast-1",
        "apac-syd": "ap-southeast-2", "apac-tokyo": "ap-northeast-1",
    ]

    /// The feed's operating system columns.
    static let systems: [String: OperatingSystem] = ["linux": .linux, "mswin": .windows]

    /// Spot prices of `regions` in `data`, each under `PriceKey.instance(type, os:, term: spot,
    /// region:)` per hour, with `source` and `date`. `skipped` counts the entries of those
    /// regions that give no price (`N/A*`, zero, no text); `rejected` says why each price that
    /// is not a usable number was left out (`us-east-1 m5.large linux: must be …, found '…'`).
    public static func prices(
        from data: Data, regions: [String], source: String,
        date: String
    ) throws(Malformed) -> (prices: [Price], skipped: Int, rejected: [String]) {
        var text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("callback(") {
            text = String(text.dropFirst("callback(".count))
            if text.hasSuffix(";") { text.removeLast() }
            if text.hasSuffix(")") { text.removeLast() }
        }
        guard let top = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let config = top["config"] as? [String: Any], let listed = config["regions"] as? [[String: Any]]
        else {
            throw Malformed(reason: "not the Spot price data: expected JSON (or callback(JSON);) with config.regions")
        }
        if let rate = config["rate"] as? String, rate != "perhr" {
            throw Malformed(reason: "prices are quoted '\(rate)', expected 'perhr' (per instance-hour)")
        }
        if let currencies = config["currencies"] as? [String], !currencies.contains("USD") {
            throw Malformed(reason: "no USD prices (currencies \(currencies.joined(separator: ", ")))")
        }
        var prices: [Price] = []
        var skipped = 0
        var rejected: [String] = []
        for entry in listed {
            guard let name = entry["region"] as? String else { continue }
            let region = legacyRegionNames[name] ?? name
            guard regions.contains(region) else { continue }
            for family in entry["instanceTypes"] as? [[String: Any]] ?? [] {
                for size in family["sizes"] as? [[String: Any]] ?? [] {
                    guard let type = size["size"] as? String else { continue }
                    for column in size["valueColumns"] as? [[String: Any]] ?? [] {
                        guard let system = (column["name"] as? String).flatMap({ systems[$0] }) else { continue }
                        guard let text = (column["prices"] as? [String: Any])?["USD"] as? String, !text.hasPrefix("N/A")
                        else {
                            skipped += 1
                            continue
                        }
                        let usd: Decimal
                        switch CheckedNumber.decimal(text, in: InputLimits.priceUSD) {
                        case .success(let value): usd = value
                        case .failure(let problem):
                            rejected.append("\(region) \(type) \(column["name"] as? String ?? ""): \(problem)")
                            continue
                        }
                        guard usd > 0 else {
                            skipped += 1
                            continue
                        }
                        prices.append(
                            Price(
                                key: .instance(type, os: system, term: PriceKey.spot, region: region),
                                unit: .hour, usd: usd, source: source, sourceDate: date))
                    }
                }
            }
        }
        return (prices, skipped, rejected)
    }
}
