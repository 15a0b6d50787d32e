import EKSInput
import EKSModel
import Foundation

/// AWS's Price List layout (bulk API, "Using the bulk API" in the AWS Billing guide): the offer
/// index `/offers/v1.0/aws/index.json` names each offer's `currentRegionIndexUrl`
/// (`/offers/v1.0/aws/AmazonEC2/current/region_index.json`), whose `regions` give each region's
/// `currentVersionUrl` (`/offers/v1.0/aws/AmazonEC2/20250912225308/us-east-1/index.json`); the
/// CSV is the same path ending in `.csv`. Field names as public readers of the layout use them
/// (vantage-sh/ec2instances.info scraper/aws/ec2/eks_auto_mode.go; ligoj AwsPriceOffer).
struct PriceListIndex {
    /// Where AWS publishes the files.
    static let awsEndpoint = "https://pricing.us-east-1.amazonaws.com"
    static let offerIndexPath = "/offers/v1.0/aws/index.json"

    /// The offers ekscost prices, in the order they are fetched.
    static let offers: [OfferCode] = [.ec2, .eks, .vpc, .elb, .ecs]

    /// One region's current file of one offer; two are the same file when offer, region and
    /// version agree, wherever they were fetched from.
    struct RegionFile: Sendable, Hashable {
        let offer: OfferCode
        let region: String
        /// The version in the file's path (`20250912225308`).
        let version: String
        let csvURL: URL

        static func == (a: RegionFile, b: RegionFile) -> Bool {
            (a.offer, a.region, a.version) == (b.offer, b.region, b.version)
        }
        func hash(into hasher: inout Hasher) {
            hasher.combine(offer)
            hasher.combine(region)
            hasher.combine(version)
        }
    }

    /// What a version in a currentVersionUrl may be: a whole number of at most 14 digits.
    static let versionRange = 0...99_999_999_999_999

    struct Malformed: Error {
        let url: String
        let reason: String
    }

    /// `offers.<code>.currentRegionIndexUrl` of the offer index, resolved against the endpoint.
    static func regionIndexURLs(offerIndex data: Data, endpoint: URL, url: String) throws -> [OfferCode: URL] {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let offers = root["offers"] as? [String: Any]
        else {
            throw Malformed(url: url, reason: "not an AWS offer index: expected JSON with \"offers\"")
        }
        var urls: [OfferCode: URL] = [:]
        for code in Self.offers {
            guard let offer = offers[code.rawValue] as? [String: Any],
                let path = offer["currentRegionIndexUrl"] as? String,
                let resolved = URL(string: path, relativeTo: endpoint)?.absoluteURL
            else { continue }
            urls[code] = resolved
        }
        return urls
    }

    /// The files of `regions` in one offer's region index; regions it does not list are left out.
    static func files(regionIndex data: Data, offer: OfferCode, regions: [String], endpoint: URL, url: String) throws
        -> [RegionFile]
    {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let listed = root["regions"] as? [String: Any]
        else {
            throw Malformed(url: url, reason: "not an AWS region index: expected JSON with \"regions\"")
        }
        var files: [RegionFile] = []
        for region in regions {
            guard let entry = listed[region] as? [String: Any] else { continue }
            guard let path = entry["currentVersionUrl"] as? String, path.hasSuffix(".json"),
                let csv = URL(string: String(path.dropLast(5)) + ".csv", relativeTo: endpoint)?.absoluteURL
            else {
                throw Malformed(url: url, reason: "region \(region) has no currentVersionUrl ending in .json")
            }
            // …/<offer>/<version>/<region>/index.json; the version is a time stamp
            // (yyyyMMddHHmmss), compared with the ones already fetched and written into sources.
            let parts = path.split(separator: "/")
            let version = parts.count >= 3 ? String(parts[parts.count - 3]) : ""
            if case .failure(let problem) = CheckedNumber.integer(version, in: versionRange) {
                throw Malformed(
                    url: url,
                    reason:
                        "region \(region): the version in currentVersionUrl \(problem) (AWS's are times such as 20250912225308)"
                )
            }
            files.append(RegionFile(offer: offer, region: region, version: version, csvURL: csv))
        }
        return files
    }

    /// The `source` label of a fetched file's prices (`AWS Price List AmazonEC2 us-west-2, version
    /// 20250912225308`) names offer, region and version, so a later fetch can tell whether AWS
    /// has published anything new since.
    static func label(region: String) -> String { region }

    /// (offer, region, version) of a source written by `label`, else nil.
    static func fetched(source: String) -> (offer: String, region: String, version: String)? {
        let prefix = "AWS Price List "
        guard source.hasPrefix(prefix) else { return nil }
        let parts = source.dropFirst(prefix.count).split(separator: " ")
        guard parts.count == 4, parts[1].hasSuffix(","), parts[2] == "version",
            ScenarioLoader.isRegionCode(String(parts[1].dropLast()))
        else { return nil }
        return (String(parts[0]), String(parts[1].dropLast()), String(parts[3]))
    }
}
