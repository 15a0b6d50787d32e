import CSVStream
import EKSInput
import EKSModel
package import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `ekscost pricing fetch`: AWS's public Price List files for some regions, imported into one
/// new dated snapshot in the user's pricing folder, written atomically — or nothing at all.
///
/// Per region it reads the current file of each offer ekscost prices (`PriceListIndex`) and,
/// once for all regions, the Spot pricing page's data (`SpotPriceFetch`); each Price List file is
/// scanned from memory as it arrives when its length is announced (`StreamedBytes`), else
/// spooled once to a temporary file in the pricing folder (`.ekscost-fetch-<pid>-…`, one of
/// `AtomicFiles.temporaryName`'s names) that is removed as soon as it is read, on failure, and
/// on SIGINT or SIGTERM; one a killed fetch left is removed by the next run that writes into the
/// folder (`StaleTemporaries`), as are the snapshot writer's. A region whose files
/// AWS has not changed since the last fetch (the versions in the snapshots' sources) is not
/// downloaded again.
package enum PricingFetchJob {
    package struct Settings: Sendable {
        /// Regions to fetch; empty: those of `forFiles`, else the default snapshot's.
        package var regions: [String] = []
        /// Scenario or eksctl files whose regions to fetch.
        package var forFiles: [String] = []
        package var endpoint = PriceListIndex.awsEndpoint
        /// `--spot-url`: the Spot pricing page's data (default: `SpotPriceFetch.url`).
        package var spotURL: String?
        /// `--pricing DIR`: the folder to write into instead of the user's pricing folder.
        package var pricing: String?
        package var quiet = false
        /// Seconds without a byte before a request is given up.
        package var timeout: TimeInterval = 20

        package init() {}
    }

    /// The file being fetched or read (`AmazonEC2 us-west-2`), bytes done and total (0 if unknown).
    package typealias Progress = (_ what: String, _ done: Int, _ total: Int) -> Void

    package static func run(_ settings: Settings, progress: Progress? = nil) -> CommandResult {
        let folders: PricingFolders
        switch PricingImportJob.targetFolders(settings.pricing) {
        case .success(let found): folders = found
        case .failure(let diagnostic): return .failure([diagnostic])
        }
        let store = PricingStore(folders: folders)
        let (regions, regionDiagnostics) = requestedRegions(settings, store: store)
        guard !regionDiagnostics.hasErrors, !regions.isEmpty else {
            return .stopped(
                by: regionDiagnostics.isEmpty
                    ? [.error("no region to fetch: name regions, such as 'ekscost pricing fetch eu-west-1'")]
                    : regionDiagnostics,
                "nothing fetched")
        }
        guard let endpoint = URL(string: settings.endpoint), endpoint.scheme == "https" || endpoint.scheme == "http",
            endpoint.host != nil
        else {
            return .failure([
                .error(
                    "--endpoint must be an http or https URL such as \(PriceListIndex.awsEndpoint), found '\(settings.endpoint)'"
                )
            ])
        }
        // Spools and half-written snapshots of killed fetches or imports, before new ones.
        StaleTemporaries.remove(in: folders.user.path)

        let http = PriceListHTTP(idleTimeout: settings.timeout)
        var result = CommandResult()
        result.diagnostics = regionDiagnostics
        // 1. Which files are current.
        var files: [PriceListIndex.RegionFile] = []
        do {
            files = try currentFiles(regions: regions, endpoint: endpoint, http: http, notes: &result.diagnostics)
        } catch let error as FetchError {
            return failed(error.description, hint: offline(endpoint), result)
        } catch let error as PriceListIndex.Malformed {
            return failed("\(error.url): \(error.reason)", hint: "check --endpoint", result)
        } catch {
            return failed("\(error)", hint: nil, result)
        }
        guard !result.diagnostics.hasErrors else { return .stopped(by: result.diagnostics, "nothing fetched") }

        // 2. What is already here.
        let fetched = fetchedVersions(in: folders.user, store: store)
        let stale = regions.filter { region in files.contains { $0.region == region && fetched[$0] == nil } }
        for region in regions where !stale.contains(region) && !settings.quiet {
            let snapshots = Set(files.filter { $0.region == region }.compactMap { fetched[$0] }).sorted()
            let versions = files.filter { $0.region == region }.map { "\($0.offer.rawValue) \($0.version)" }.joined(
                separator: ", ")
            result.messages.append(
                "\(region): AWS's files are unchanged (\(versions)); already in \(snapshots.joined(separator: ", ")), nothing downloaded"
            )
        }
        guard !stale.isEmpty else {
            if !settings.quiet {
                result.stdout = "prices are up to date for \(regions.joined(separator: ", ")); nothing downloaded\n"
            }
            return result
        }

        // 3. Download and read each file of the regions that changed.
        var offers: [ImportedOffer] = []
        var summary = ""
        for file in files where stale.contains(file.region) {
            let what = "\(file.offer.rawValue) \(file.region)"
            let spool =
                folders.user.path + "/"
                + AtomicFiles.temporaryName("fetch", for: "\(file.offer.rawValue)-\(file.region).csv")
            SpoolCleanup.current = spool
            defer {
                unlink(spool)
                SpoolCleanup.current = nil
            }
            let started = Date()
            let fetched = fetchAndRead(
                file, spool: spool, http: http,
                progress: progress.map { report in { report(what, $0, $1) } })
            if let error = fetched.downloadError {
                progress?(what, 0, 0)
                return failed(error.description, hint: manual(file), result)
            }
            let read = fetched.read
            let downloaded = fetched.downloaded.timeIntervalSince(started)
            if let problem = read.diagnostics.first(where: { $0.severity == .error }) {
                let line = problem.location.map { " (line \($0.line))" } ?? ""
                return failed("\(file.csvURL.absoluteString)\(line): \(problem.message)", hint: manual(file), result)
            }
            guard let offer = read.offers.first else { continue }
            if offer.head.version != file.version {
                result.diagnostics.append(
                    .warning(
                        "\(file.csvURL.absoluteString) says version \(offer.head.version) but its path says \(file.version)"
                    ))
            }
            if offer.priceCount == 0 {
                result.diagnostics.append(
                    .warning("\(file.csvURL.absoluteString): no prices ekscost reads in this file"))
            }
            let megabytes = Double(offer.head.fileSize) / 1e6
            summary +=
                "\(what) version \(offer.head.version): \(String(format: "%.1f", megabytes)) MB downloaded in \(String(format: "%.1f", downloaded)) s, \(offer.priceCount) prices\n"
            offers.append(offer)
        }

        // 4. One new snapshot.
        let date = CalendarDate.today()
        let id = newSnapshotID(date: date, in: folders)
        let target = folders.user.snapshotPath(id)
        // AWS publishes no price for a plain ENI (they have no hourly charge; the charge is the
        // public IPv4 address), so the estimator's ENI lines get a stated zero, as in aws-2026-11.
        let noCharge = stale.map { region in
            Price(
                key: .eni(region: region), unit: .hour, usd: 0,
                source:
                    "No charge: plain ENIs have no hourly price in the AWS Price List (fetched \(date)); the hourly network charge is the public IPv4 address",
                sourceDate: date.description)
        }
        // Observed Spot prices, which the Price List lacks; without them the fetch goes on.
        let spot = SpotPriceFetch.prices(settings, regions: stale, http: http)
        summary += spot.summary
        result.diagnostics += spot.diagnostics
        // Savings Plans rates; without them the fetch goes on.
        let plans = SavingsPlanFetch.prices(
            regions: stale, endpoint: endpoint, http: http, folder: folders.user.path, progress: progress)
        summary += plans.summary
        result.diagnostics += plans.diagnostics
        let assembly = SnapshotAssembly(
            id: id, date: date, base: PriceSnapshot(id: id, date: date, prices: noCharge + spot.prices + plans.prices),
            offers: offers)
        guard PricingImportJob.write(assembly, to: target, makeDefault: false, in: folders.user, result: &result) else {
            return result
        }
        if !settings.quiet {
            result.stdout =
                summary
                + "wrote \(target): \(assembly.count) prices for \(stale.joined(separator: ", ")), snapshot \(id)\n"
        }
        result.diagnostics += PricingImportJob.unknownTypes(in: assembly, folders: folders)
        return result
    }

    /// Downloads one file and reads it as it arrives: the download runs on its own thread into
    /// a ring in memory (`StreamedBytes`) that the importer scans, when the server announces the
    /// length; else into `spool`, read once complete. A download that fails is the error to
    /// report, whatever the reading found; an error the reading finds first stops the download.
    static func fetchAndRead(
        _ file: PriceListIndex.RegionFile, spool: String, http: PriceListHTTP,
        progress: ((Int, Int) -> Void)?
    ) -> (
        read: (offers: [ImportedOffer], diagnostics: [Diagnostic], timings: [String]),
        downloadError: FetchError?, downloaded: Date
    ) {
        let streamed = StreamedBytes(path: file.csvURL.absoluteString, capacity: ringBytes)
        let finished = DispatchSemaphore(value: 0)
        let outcome = DownloadOutcome()
        let thread = Thread {
            do {
                try http.download(file.csvURL, to: spool, streamed: streamed) { received, _ in
                    outcome.received = received
                }
            } catch let error as FetchError {
                outcome.error = error
            } catch {
                outcome.error = FetchError(url: file.csvURL.absoluteString, reason: "\(error)")
            }
            outcome.ended = Date()
            finished.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
        let label = PriceListIndex.label(region: file.region)
        func readOffer(_ streamed: StreamedBytes?) -> (
            offers: [ImportedOffer], diagnostics: [Diagnostic], timings: [String]
        ) {
            PricingImportJob.readOffers(
                [(spool, label)], regions: [file.region], workers: nil, streamed: streamed,
                progress: progress.map { report in { _, done, total in report(done, total) } })
        }
        var read: (offers: [ImportedOffer], diagnostics: [Diagnostic], timings: [String])?
        if streamed.announcedSize() != nil {
            read = readOffer(streamed)
            // Done reading, by an error or not: the download has nothing more to give.
            streamed.abandon()
        }
        // Wait for the end of the download (showing its progress when nothing else does).
        while finished.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            if read == nil { progress?(outcome.received, 0) }
        }
        if let error = outcome.error, !error.isAbandoned { return (([], [], []), error, outcome.ended) }
        return (read ?? readOffer(nil), nil, outcome.ended)
    }

    /// The ring a download is scanned from: what the importer's scan needs at once
    /// (`ParallelCSVScan.ringBytesNeeded`, 24.5 MiB with its 8 MiB segments) with room to spare,
    /// so that the download seldom waits for the scan.
    static let ringBytes = max(64 << 20, 2 * ParallelCSVScan.ringBytesNeeded(OfferImporter.Settings().scan))

    /// What the download thread leaves for the caller, read after it has signalled its end.
    private final class DownloadOutcome: @unchecked Sendable {
        var error: FetchError?
        var ended = Date()
        private let lock = NSLock()
        private var receivedSoFar = 0
        /// Bytes received so far, set by the download thread about ten times a second.
        var received: Int {
            get { lock.withLock { receivedSoFar } }
            set { lock.withLock { receivedSoFar = newValue } }
        }
    }

    /// The regions asked for, else those of `--for` files, else the default snapshot's.
    static func requestedRegions(_ settings: Settings, store: PricingStore) -> ([String], [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var regions = settings.regions
        for file in settings.forFiles {
            // A folder, FIFO or device is refused at once, never read (it could block).
            let (read, problem) = InputFile.text(file, what: "--for file")
            if let problem {
                diagnostics.append(problem)
                continue
            }
            let text = read ?? ""
            let region: String?
            if text.contains("ClusterConfig") {
                let (cluster, problems) = EksctlReader.read(path: file)
                diagnostics += problems.filter { $0.severity == .error }
                region = cluster?.region
            } else {
                let (scenario, problems) = ScenarioLoader.load(path: file)
                diagnostics += problems.filter { $0.severity == .error }
                region = scenario?.region
            }
            if let region, !region.isEmpty {
                regions.append(region)
            } else if !diagnostics.hasErrors {
                diagnostics.append(.error("--for: \(file) names no region", at: SourceLocation(file: file, line: 1)))
            }
        }
        if regions.isEmpty && settings.forFiles.isEmpty, let id = store.folders.defaultSnapshotID(),
            let (snapshot, _) = store.snapshot(id: id)
        {
            regions = snapshot?.regions ?? []
        }
        for region in regions where !ScenarioLoader.isRegionCode(region) {
            diagnostics.append(.error("'\(region)' is not an AWS region code such as eu-west-1"))
        }
        var seen = Set<String>()
        return (regions.filter { seen.insert($0).inserted }, diagnostics)
    }

    /// The current file of every offer for every region, from the offer index and region indexes.
    static func currentFiles(
        regions: [String], endpoint: URL, http: PriceListHTTP,
        notes: inout [Diagnostic]
    ) throws -> [PriceListIndex.RegionFile] {
        let indexURL = URL(string: PriceListIndex.offerIndexPath, relativeTo: endpoint)!.absoluteURL
        let regionIndexes = try PriceListIndex.regionIndexURLs(
            offerIndex: try http.data(indexURL), endpoint: endpoint,
            url: indexURL.absoluteString)
        var files: [PriceListIndex.RegionFile] = []
        for offer in PriceListIndex.offers {
            guard let url = regionIndexes[offer] else {
                throw PriceListIndex.Malformed(
                    url: indexURL.absoluteString, reason: "the offer index lists no \(offer.rawValue)")
            }
            let found = try PriceListIndex.files(
                regionIndex: try http.data(url), offer: offer, regions: regions,
                endpoint: endpoint, url: url.absoluteString)
            for region in regions where !found.contains(where: { $0.region == region }) {
                if offer == .ec2 {
                    notes.append(
                        .error(
                            "AWS publishes no AmazonEC2 prices for region \(region) (it is not in \(url.absoluteString)); check the region code"
                        ))
                } else {
                    notes.append(Diagnostic(.note, "AWS publishes no \(offer.rawValue) prices for \(region)"))
                }
            }
            files += found
        }
        return files
    }

    /// The files already fetched into `folder`'s snapshots, with the snapshot holding each.
    static func fetchedVersions(in folder: PricingDirectory, store: PricingStore) -> [PriceListIndex.RegionFile: String]
    {
        var found: [PriceListIndex.RegionFile: String] = [:]
        for id in folder.snapshotIDs() {
            guard let snapshot = store.snapshot(atPath: folder.snapshotPath(id)).0 else { continue }
            for source in snapshot.sources {
                guard let (code, region, version) = PriceListIndex.fetched(source: source),
                    let offer = OfferCode(rawValue: code)
                else { continue }
                found[
                    PriceListIndex.RegionFile(
                        offer: offer, region: region, version: version, csvURL: URL(fileURLWithPath: "/"))] = id
            }
        }
        return found
    }

    /// `aws-2026-11-29`, or `aws-2026-11-29.2`… when that id is taken.
    static func newSnapshotID(date: CalendarDate, in folders: PricingFolders) -> String {
        let base = "aws-\(date)"
        var id = base
        var number = 2
        while folders.snapshotPath(id) != nil {
            id = "\(base).\(number)"
            number += 1
        }
        return id
    }

    static func failed(_ message: String, hint: String?, _ partial: CommandResult) -> CommandResult {
        var result = partial
        result.stdout = ""
        result.messages.append("ekscost: \(message)" + (hint.map { "\n  \($0)" } ?? ""))
        result.messages.append("ekscost: nothing fetched; the existing snapshots are unchanged")
        result.status = .inputError
        return result
    }

    static func offline(_ endpoint: URL) -> String {
        "check the network connection (and HTTPS_PROXY, NO_PROXY) or --endpoint \(endpoint.absoluteString); without a network, download the files elsewhere and run 'ekscost pricing import FILE…' (README, \"Prices for any region\")"
    }

    static func manual(_ file: PriceListIndex.RegionFile) -> String {
        "try again later, or download it yourself (curl -o \(file.offer.rawValue)-\(file.region).csv \(file.csvURL.absoluteString)) and run 'ekscost pricing import \(file.offer.rawValue)-\(file.region).csv --snapshot NAME'"
    }
}
