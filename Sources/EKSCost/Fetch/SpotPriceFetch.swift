import EKSInput
import EKSModel
import Foundation

/// The Spot prices of a `pricing fetch`: AWS's Spot pricing page data (`SpotPriceFeed`), one
/// small file for every region, read once per run. It is extra: a failure to get or read it is
/// a warning, and the fetch of the Price List files goes on without Spot prices.
enum SpotPriceFetch {
    /// `--spot-url`, else `<endpoint>/spot.js` for a mirror named by `--endpoint`, else AWS's.
    static func url(_ settings: PricingFetchJob.Settings) -> String {
        if let url = settings.spotURL { return url }
        guard settings.endpoint != PriceListIndex.awsEndpoint else { return SpotPriceFeed.awsURL }
        return settings.endpoint.hasSuffix("/") ? settings.endpoint + "spot.js" : settings.endpoint + "/spot.js"
    }

    /// The observed Spot prices of `regions`, a line for the summary, and a warning when there are none.
    static func prices(
        _ settings: PricingFetchJob.Settings, regions: [String], http: PriceListHTTP,
        now: Date = Date()
    ) -> (prices: [Price], summary: String, diagnostics: [Diagnostic]) {
        let address = url(settings)
        let unpriced =
            "the new snapshot has no Spot prices (Spot node groups then need 'ekscost pricing fetch' again later, a snapshot of observed Spot prices, or 'ekscost compare --spot-discount')"
        guard let url = URL(string: address), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            return ([], "", [.warning("--spot-url must be an http or https URL, found '\(address)'; \(unpriced)")])
        }
        let observed = ISO8601DateFormatter().string(from: now)
        let data: Data
        do {
            data = try http.data(url, limit: 256 << 20)
        } catch let error as FetchError {
            // The Price List's own hint for a 404 (a region AWS does not publish) does not apply here.
            let reason = error.status.map { "HTTP status \($0)" } ?? error.reason
            return ([], "", [.warning("no Spot prices: cannot fetch \(address): \(reason); \(unpriced)")])
        } catch {
            return ([], "", [.warning("no Spot prices: cannot fetch \(address): \(error); \(unpriced)")])
        }
        let source = "AWS EC2 Spot pricing page data (\(address)), observed \(observed)"
        do {
            let read = try SpotPriceFeed.prices(
                from: data, regions: regions, source: source, date: String(observed.prefix(10)))
            var diagnostics: [Diagnostic] = []
            let covered = Set(read.prices.map(\.key.region))
            for region in regions where !covered.contains(region) {
                diagnostics.append(.warning("\(address) has no Spot prices for \(region)"))
            }
            if !read.rejected.isEmpty {
                let shown = read.rejected.prefix(5).joined(separator: "; ") + (read.rejected.count > 5 ? "; …" : "")
                diagnostics.append(
                    .warning(
                        "\(address): \(read.rejected.count) Spot price\(read.rejected.count == 1 ? " is" : "s are") not a usable number and left out: \(shown)"
                    ))
            }
            let summary =
                "Spot \(regions.joined(separator: ", ")): \(read.prices.count) prices observed \(observed)"
                + (read.skipped > 0
                    ? " (\(read.skipped) entr\(read.skipped == 1 ? "y" : "ies") without a price skipped)" : "") + "\n"
            return (read.prices, summary, diagnostics)
        } catch {
            return ([], "", [.warning("no Spot prices: \(address): \(error.reason); \(unpriced)")])
        }
    }
}
