import EKSModel
import Foundation
import Testing

@testable import EKSInput

/// AWS's Spot pricing page data, in the shape public readers parse (infracost's cloud-pricing-api
/// AWS Spot scraper, alexei-led/spotinfo internal/spot/data.go): prices written here by hand.
@Suite struct SpotPriceFeedTests {
    static let feed = """
        callback({"vers":0.01,"config":{"rate":"perhr","valueColumns":["linux","mswin"],"currencies":["USD"],"regions":[
         {"region":"us-east-1","footnotes":{"*":"notAvailableForCCorCGPU"},"instanceTypes":[
          {"type":"generalCurrentGen","sizes":[
           {"size":"m6i.xlarge","valueColumns":[{"name":"linux","prices":{"USD":"0.0615"}},{"name":"mswin","prices":{"USD":"0.1535"}}]},
           {"size":"m5.large","valueColumns":[{"name":"linux","prices":{"USD":"0.0338"}},{"name":"mswin","prices":{"USD":"N/A*"}}]}]},
          {"type":"gpuCurrentGen","sizes":[
           {"size":"p5.4xlarge","valueColumns":[{"name":"linux","prices":{"USD":"0"}},{"name":"mswin","prices":{"USD":"N/A*"}}]}]}]},
         {"region":"eu-ireland","instanceTypes":[{"type":"generalCurrentGen","sizes":[
           {"size":"m5.large","valueColumns":[{"name":"linux","prices":{"USD":"0.0372"}}]}]}]},
         {"region":"ap-south-1","instanceTypes":[{"type":"generalCurrentGen","sizes":[
           {"size":"m5.large","valueColumns":[{"name":"linux","prices":{"USD":"0.0301"}}]}]}]}]}});
        """

    static func read(_ text: String, regions: [String]) throws(SpotPriceFeed.Malformed) -> (
        prices: [Price], skipped: Int, rejected: [String]
    ) {
        try SpotPriceFeed.prices(
            from: Data(text.utf8), regions: regions, source: "page, observed 2026-11-29T10:00:00Z", date: "2026-11-29")
    }

    @Test func readsLinuxAndWindowsSpotPricesOfTheRegionsAsked() throws {
        let (prices, skipped, rejected) = try Self.read(Self.feed, regions: ["us-east-1", "eu-west-1"])
        let byKey = Dictionary(uniqueKeysWithValues: prices.map { ($0.key, $0) })
        #expect(
            byKey[.instance("m6i.xlarge", term: PriceKey.spot, region: "us-east-1")]?.usd == Decimal(string: "0.0615"))
        #expect(
            byKey[.instance("m6i.xlarge", os: .windows, term: PriceKey.spot, region: "us-east-1")]?.usd
                == Decimal(string: "0.1535"))
        #expect(
            byKey[.instance("m5.large", term: PriceKey.spot, region: "us-east-1")]?.usd == Decimal(string: "0.0338"))
        // The older name eu-ireland is eu-west-1; ap-south-1 was not asked for.
        #expect(
            byKey[.instance("m5.large", term: PriceKey.spot, region: "eu-west-1")]?.usd == Decimal(string: "0.0372"))
        #expect(prices.count == 4)
        #expect(
            prices.allSatisfy {
                $0.unit == .hour && $0.source == "page, observed 2026-11-29T10:00:00Z" && $0.sourceDate == "2026-11-29"
            })
        // m5.large Windows N/A*, p5.4xlarge Linux 0 (not a free instance) and Windows N/A*.
        #expect(skipped == 3)
        #expect(rejected.isEmpty)
    }

    /// Issue 13's rule for every price from input: range and precision checked where it is
    /// read, never rounded, never wrapped; the entry is named and left out, the rest is read.
    @Test func aPriceThatIsNotAUsableNumberIsNamedAndLeftOut() throws {
        let hostile = Self.feed
            .replacingOccurrences(of: #""USD":"0.0615""#, with: #""USD":"1e400""#)
            .replacingOccurrences(of: #""USD":"0.1535""#, with: #""USD":"0.123456789012345678901234567890123456789""#)
            .replacingOccurrences(of: #""USD":"0.0338""#, with: #""USD":"-0.0338""#)
        let (prices, skipped, rejected) = try Self.read(hostile, regions: ["us-east-1"])
        #expect(prices.isEmpty)
        #expect(skipped == 3)
        #expect(rejected.count == 3)
        #expect(
            rejected[0] == "us-east-1 m6i.xlarge linux: must be a number from 0 to 1000000000, found '1e400'",
            "\(rejected)")
        // 39 significant digits: more than Decimal holds exactly.
        #expect(
            rejected[1].hasPrefix(
                "us-east-1 m6i.xlarge mswin: must be a decimal number of at most 38 significant digits (this one has 39)"
            ), "\(rejected)")
        #expect(rejected[2] == "us-east-1 m5.large linux: must be from 0 to 1000000000, found '-0.0338'", "\(rejected)")
    }

    @Test func readsThePlainJSONToo() throws {
        let plain = String(Self.feed.dropFirst("callback(".count).dropLast(2))
        #expect(try Self.read(plain, regions: ["us-east-1"]).prices.count == 3)
    }

    @Test func refusesWhatIsNotTheSpotPriceData() {
        #expect(throws: SpotPriceFeed.Malformed.self) { try Self.read("<html>Not here</html>", regions: ["us-east-1"]) }
        #expect(throws: SpotPriceFeed.Malformed.self) {
            try Self.read(#"callback({"vers":0.01,"config":{"regions":["#, regions: ["us-east-1"])
        }
        let monthly = Self.feed.replacingOccurrences(of: #""rate":"perhr""#, with: #""rate":"permonth""#)
        #expect(throws: SpotPriceFeed.Malformed.self) { try Self.read(monthly, regions: ["us-east-1"]) }
    }
}
