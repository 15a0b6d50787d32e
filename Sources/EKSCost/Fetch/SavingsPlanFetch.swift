import EKSInput
import EKSModel
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The Savings Plans rates of the regions `pricing fetch` downloads: the offer index names, under
/// AmazonEC2, `currentSavingsPlanIndexUrl` (`/savingsPlan/v1.0/aws/AWSComputeSavingsPlan/current/
/// region_index.json`), whose `regions` list `{regionCode, versionUrl}` with versionUrl
/// `…/AWSComputeSavingsPlan/<version>/<region>/index.json`; the CSV is the same path ending in
/// `.csv` (AWS Billing User Guide, "Finding Savings Plans price list files"). A failure here
/// costs the rates, not the fetch: it is a warning naming the file to import by hand.
enum SavingsPlanFetch {
    struct Fetched {
        var prices: [Price] = []
        var summary = ""
        var diagnostics: [Diagnostic] = []
    }

    struct RegionFile {
        let region: String
        let version: String
        let csvURL: URL
    }

    static func prices(
        regions: [String], endpoint: URL, http: PriceListHTTP, folder: String,
        progress: PricingFetchJob.Progress?
    ) -> Fetched {
        var fetched = Fetched()
        let offerIndexURL = URL(string: PriceListIndex.offerIndexPath, relativeTo: endpoint)!.absoluteURL
        guard let offerIndex = try? http.data(offerIndexURL),
            let indexURL = indexURL(offerIndex: offerIndex, endpoint: endpoint)
        else {
            fetched.diagnostics.append(
                Diagnostic(
                    .note,
                    "the offer index names no Savings Plans price list (AmazonEC2 currentSavingsPlanIndexUrl); no Savings Plans rates fetched"
                ))
            return fetched
        }
        let files: [RegionFile]
        do {
            files = try regionFiles(regionIndex: try http.data(indexURL), regions: regions, endpoint: endpoint)
        } catch {
            fetched.diagnostics.append(
                .warning(
                    "Savings Plans rates not fetched (\(indexURL.absoluteString): \(error)); commitments need them: fetch again later, or import the region's AWSComputeSavingsPlan index.csv with 'ekscost pricing import'"
                ))
            return fetched
        }
        for region in regions where !files.contains(where: { $0.region == region }) {
            fetched.diagnostics.append(Diagnostic(.note, "AWS publishes no Savings Plans rates for \(region)"))
        }
        for file in files {
            let what = "AWSComputeSavingsPlan \(file.region)"
            let spool =
                folder + "/" + AtomicFiles.temporaryName("fetch", for: "AWSComputeSavingsPlan-\(file.region).csv")
            SpoolCleanup.current = spool
            defer {
                unlink(spool)
                SpoolCleanup.current = nil
            }
            let manual =
                "download it yourself (curl -o AWSComputeSavingsPlan-\(file.region).csv \(file.csvURL.absoluteString)) and run 'ekscost pricing import AWSComputeSavingsPlan-\(file.region).csv --snapshot NAME --base SNAPSHOT'"
            do {
                _ = try http.download(file.csvURL, to: spool) { progress?(what, $0, $1) }
            } catch {
                progress?(what, 0, 0)
                fetched.diagnostics.append(
                    .warning("Savings Plans rates for \(file.region) not fetched: \(error); \(manual)"))
                continue
            }
            switch SavingsPlanOfferFile.read(
                path: spool, regions: [file.region], label: PriceListIndex.label(region: file.region))
            {
            case .success(let imported):
                fetched.prices += imported.prices
                fetched.summary += "\(what) version \(imported.version): \(imported.prices.count) Savings Plans rates\n"
            case .failure(let problem):
                let line = problem.location.map { " (line \($0.line))" } ?? ""
                fetched.diagnostics.append(
                    .warning("\(file.csvURL.absoluteString)\(line): \(problem.message); \(manual)"))
            }
        }
        return fetched
    }

    /// `offers.AmazonEC2.currentSavingsPlanIndexUrl`, resolved against the endpoint.
    static func indexURL(offerIndex data: Data, endpoint: URL) -> URL? {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let ec2 = (root["offers"] as? [String: Any])?["AmazonEC2"] as? [String: Any],
            let path = ec2["currentSavingsPlanIndexUrl"] as? String
        else { return nil }
        return URL(string: path, relativeTo: endpoint)?.absoluteURL
    }

    /// The files of `regions` in the Savings Plans region index.
    static func regionFiles(regionIndex data: Data, regions: [String], endpoint: URL) throws -> [RegionFile] {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let listed = root["regions"] as? [[String: Any]]
        else {
            throw PriceListIndex.Malformed(
                url: "", reason: "not a Savings Plans region index: expected JSON with a \"regions\" list")
        }
        var files: [RegionFile] = []
        for entry in listed {
            guard let region = entry["regionCode"] as? String, regions.contains(region) else { continue }
            guard let path = entry["versionUrl"] as? String, path.hasSuffix(".json"),
                let csv = URL(string: String(path.dropLast(5)) + ".csv", relativeTo: endpoint)?.absoluteURL
            else {
                throw PriceListIndex.Malformed(url: "", reason: "region \(region) has no versionUrl ending in .json")
            }
            let parts = path.split(separator: "/")
            files.append(
                RegionFile(region: region, version: parts.count >= 3 ? String(parts[parts.count - 3]) : "", csvURL: csv)
            )
        }
        return files
    }
}
