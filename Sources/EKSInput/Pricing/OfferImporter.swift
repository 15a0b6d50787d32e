public import CSVStream
public import EKSModel
public import Foundation

/// The prices found in one offer file, with what was skipped and why.
public struct ImportedOffer: Sendable {
    public let head: OfferHead
    /// Data rows read.
    public let records: Int
    /// Rows that gave no price, by reason (duplicates included).
    public let skipped: [SkipReason: Int]
    /// On-Demand Linux rows on shared tenancy (instance products in AWS Regions) whatever their
    /// software, licence and capacity status, and the sum of their prices: the figures a plain
    /// query of the file (and the generator's `--stats`) gives. AmazonEC2 only.
    public let checkRows: Int
    public let checkSum: Decimal
    /// Names used by `prices`.
    let names: [String]
    /// The prices, one per key, sorted by name number.
    var prices: [FoundPrice]

    public let priceCount: Int

    /// Prices found per region, by kind (`kindOrder`), regions sorted.
    public var foundByRegion: [(region: String, counts: [(kind: String, count: Int)])] {
        // Counted by the scan's region numbers and kind positions: no string per price.
        let kinds = Self.kindOrder.count
        var table = [Int](repeating: 0, count: names.count * kinds)
        for price in prices {
            guard let kind = Self.kindIndex(price) else { continue }
            table[Int(price.region) * kinds + kind] += 1
        }
        let regions = names.indices.filter { region in (0..<kinds).contains { table[region * kinds + $0] > 0 } }
        return regions.sorted { names[$0] < names[$1] }.map { region in
            (
                names[region],
                (0..<kinds).compactMap { kind in
                    let count = table[region * kinds + kind]
                    return count > 0 ? (Self.kindOrder[kind], count) : nil
                }
            )
        }
    }

    /// A price's place in `kindOrder`: EC2 instances by term, Windows and Auto Mode apart, the
    /// rest by service.
    static func kindIndex(_ price: FoundPrice) -> Int? {
        switch price.thing {
        case .ec2Instance: price.upfront ? 2 : (price.term == 0 ? 0 : 1)
        default: thingKinds[Int(price.thing.rawValue)]
        }
    }

    private static let thingKinds: [Int?] = PricedThing.allCases.map { thing in
        let kind: String
        switch thing {
        case .ec2WindowsInstance: kind = "windows"
        case .eksAutoMode: kind = "auto mode"
        default: kind = thing.service
        }
        return kindOrder.firstIndex(of: kind)
    }

    /// Every price as a key, unit and amount (tests and checks; allocates one value per price).
    var rows: [(key: PriceKey, unit: PriceUnit, usd: Decimal)] {
        prices.map { price in
            let key = PriceKey(
                region: names[Int(price.region)], service: price.thing.service,
                item: price.thing.fixedItem ?? names[Int(price.item)], term: FoundPrice.termNames[Int(price.term)])
            return (key, price.upfront ? .upfront : price.thing.unit, price.price.decimal)
        }
    }

    public static let kindOrder = [
        "ec2 on-demand", "ec2 reserved", "ec2 upfront fee", "windows", "ebs", "natgw", "eks", "auto mode",
        "fargate", "vpc", "elb",
    ]

    /// The list prices of EC2 instances on demand: (region, instance type, USD), for checks.
    public var ec2OnDemandPrices: [(region: String, instanceType: String, usd: Decimal)] {
        prices.filter { $0.thing == .ec2Instance && $0.term == 0 && !$0.upfront }
            .map { (names[Int($0.region)], names[Int($0.item)], $0.price.decimal) }
    }
}

/// Reads AWS Price List offer files (CSV) into prices.
public enum OfferImporter {
    public struct Settings: Sendable {
        /// Only these regions; empty for all.
        public var regions: [String] = []
        /// What the prices' `source` calls the file (default: its name).
        public var label: String?
        public var scan = CSVScanOptions(workers: max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)))
        /// Set when the file is a download read as it arrives (the path then only names it).
        public var streamed: StreamedBytes?

        public init() {}
    }

    /// Reads one offer file. `progress` gets the data bytes scanned so far and the total.
    public static func read(
        path: String, settings: Settings = Settings(),
        progress: ((Int, Int) -> Void)? = nil
    ) -> Result<ImportedOffer, Diagnostic> {
        var head: OfferHead
        switch OfferHead.read(path: path, streamed: settings.streamed) {
        case .success(let found): head = found
        case .failure(let diagnostic): return .failure(diagnostic)
        }
        head.label = settings.label
        let columns: OfferColumns
        switch OfferColumns.find(in: head.columns, offer: head.offer) {
        case .success(let found): columns = found
        case .failure(let missing):
            let list = missing.names.map { "'\($0)'" }.joined(separator: ", ")
            return .failure(
                .error(
                    "record \(head.recordsBefore): the \(head.offer.rawValue) header has no column \(list); is this an offer file of another kind or version?",
                    at: SourceLocation(file: path, line: head.headerLine)))
        }
        let rules = OfferRules(offer: head.offer, columns: columns, regions: settings.regions.map { Array($0.utf8) })
        let segments: [CSVScanSegment<OfferRowFilter>]
        do {
            let total = head.dataBytes
            let source: any ScanSource = try settings.streamed ?? FileSource(path: path)
            defer { (source as? FileSource)?.close() }
            segments = try ParallelCSVScan.run(
                source: source, dataStart: head.dataStart, recordsBefore: head.recordsBefore,
                linesBefore: head.linesBefore,
                expectedFields: head.columns.count, options: settings.scan,
                makeFilter: { OfferRowFilter(rules: rules) },
                progress: progress.map { report in { report($0, total) } })
        } catch let error as CSVError {
            return .failure(.error(error.message, at: SourceLocation(file: path, line: error.line ?? 1)))
        } catch {
            return .failure(.error("\(error)", at: SourceLocation(file: path, line: 1)))
        }
        return merge(head: head, segments: segments)
    }

    /// Puts the segments' findings together: one name table, file numbering, then one price
    /// per key. The same price twice is a duplicate; two prices for one key are an error.
    static func merge(head: OfferHead, segments: consuming [CSVScanSegment<OfferRowFilter>]) -> Result<
        ImportedOffer, Diagnostic
    > {
        var names = NameTable()
        var all: [FoundPrice] = []
        all.reserveCapacity(segments.reduce(0) { $0 + $1.filter.found.count })
        var skipped = [Int](repeating: 0, count: SkipReason.allCases.count)
        var checkRows = 0
        var checkSum = PriceSum()
        var records = 0
        for index in segments.indices {
            let segment = segments[index]
            let filter = segment.filter
            let local = filter.names.names.map { names.id($0) }
            for var price in filter.found {
                price.region = local[Int(price.region)]
                price.item = local[Int(price.item)]
                price.record &+= UInt32(truncatingIfNeeded: segment.firstRecord - 1)
                price.line &+= UInt32(truncatingIfNeeded: segment.firstLine - 1)
                all.append(price)
            }
            for (index, count) in filter.skipped.enumerated() { skipped[index] += count }
            checkRows += filter.checkRows
            checkSum = checkSum + filter.checkSum
            records += segment.records
            segments[index].filter.found = []  // memory stays at one copy of the prices
        }
        func key(_ p: FoundPrice) -> UInt64 {
            UInt64(p.region) << 40 | UInt64(p.item) << 14 | UInt64(p.thing.rawValue) << 9 | UInt64(p.term) << 1
                | (p.upfront ? 1 : 0)
        }
        // By key, then file order, in place. `all` is in file order, so its positions order
        // the prices of one key as their records do. The sort key narrows the key's region and
        // item to the bits the name numbers need, so that it and the position fit one word
        // (the same order: the fields keep their places relative to one another).
        let nameBits = KeyOrder.bits(below: names.names.count)
        let sortKeys = all.map { price in
            nameBits > 25
                ? key(price) : (UInt64(price.region) << nameBits | UInt64(price.item)) << 14 | (key(price) & 0x3FFF)
        }
        KeyOrder.permute(&all, by: KeyOrder.positions(sortKeys))
        // One price per key, compacted in place.
        var kept = 0
        for index in all.indices {
            let price = all[index]
            if kept > 0, key(all[kept - 1]) == key(price) {
                let first = all[kept - 1]
                guard first.price == price.price else {
                    let what = describe(price, names: names.names)
                    return .failure(
                        .error(
                            "record \(price.record): \(what) is \(price.price.text) here but \(first.price.text) in record \(first.record); the file gives two prices for it",
                            at: SourceLocation(file: head.path, line: Int(price.line))))
                }
                skipped[SkipReason.duplicate.rawValue] += 1
                continue
            }
            all[kept] = price
            kept += 1
        }
        all.removeLast(all.count - kept)
        let unique = all
        all = []
        var byReason: [SkipReason: Int] = [:]
        for reason in SkipReason.allCases where skipped[reason.rawValue] > 0 {
            byReason[reason] = skipped[reason.rawValue]
        }
        return .success(
            ImportedOffer(
                head: head, records: records, skipped: byReason, checkRows: checkRows,
                checkSum: checkSum.decimal, names: names.names, prices: unique, priceCount: unique.count))
    }

    /// `ec2 m5.large reserved-1yr-standard-partial-upfront upfront fee in us-east-1`.
    static func describe(_ price: FoundPrice, names: [String]) -> String {
        let item = price.thing.fixedItem ?? names[Int(price.item)]
        let key = PriceKey(
            region: names[Int(price.region)], service: price.thing.service, item: item,
            term: FoundPrice.termNames[Int(price.term)])
        return price.upfront ? "the upfront fee of \(key)" : "\(key)"
    }
}
