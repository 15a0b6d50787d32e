import CSVStream
import EKSModel
import Foundation

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
        var table: [String: [String: Int]] = [:]
        for price in prices {
            let kind: String
            switch price.thing {
            case .ec2Instance: kind = price.upfront ? "ec2 upfront fee" : (price.term == 0 ? "ec2 on-demand" : "ec2 reserved")
            case .ec2WindowsInstance: kind = "windows"
            case .eksAutoMode: kind = "auto mode"
            default: kind = price.thing.service
            }
            table[names[Int(price.region)], default: [:]][kind, default: 0] += 1
        }
        return table.keys.sorted().map { region in
            (region, Self.kindOrder.compactMap { kind in table[region]![kind].map { (kind, $0) } })
        }
    }

    /// Every price as a key, unit and amount (tests and checks; allocates one value per price).
    var rows: [(key: PriceKey, unit: PriceUnit, usd: Decimal)] {
        prices.map { price in
            let key = PriceKey(region: names[Int(price.region)], service: price.thing.service,
                               item: price.thing.fixedItem ?? names[Int(price.item)], term: FoundPrice.termNames[Int(price.term)])
            return (key, price.upfront ? .upfront : price.thing.unit, price.price.decimal)
        }
    }

    public static let kindOrder = ["ec2 on-demand", "ec2 reserved", "ec2 upfront fee", "windows", "ebs", "natgw", "eks", "auto mode",
                                   "fargate", "vpc", "elb"]

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

        public init() {}
    }

    /// Reads one offer file. `progress` gets the data bytes scanned so far and the total.
    public static func read(path: String, settings: Settings = Settings(),
                            progress: ((Int, Int) -> Void)? = nil) -> Result<ImportedOffer, Diagnostic> {
        var head: OfferHead
        switch OfferHead.read(path: path) {
        case .success(let found): head = found
        case .failure(let diagnostic): return .failure(diagnostic)
        }
        head.label = settings.label
        let columns: OfferColumns
        switch OfferColumns.find(in: head.columns, offer: head.offer) {
        case .success(let found): columns = found
        case .failure(let missing):
            let list = missing.names.map { "'\($0)'" }.joined(separator: ", ")
            return .failure(.error("record \(head.recordsBefore): the \(head.offer.rawValue) header has no column \(list); is this an offer file of another kind or version?",
                                   at: SourceLocation(file: path, line: head.headerLine)))
        }
        let rules = OfferRules(offer: head.offer, columns: columns, regions: settings.regions.map { Array($0.utf8) })
        let segments: [CSVScanSegment<OfferRowFilter>]
        do {
            let total = head.dataBytes
            segments = try ParallelCSVScan.run(
                path: path, dataStart: head.dataStart, recordsBefore: head.recordsBefore, linesBefore: head.linesBefore,
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
    static func merge(head: OfferHead, segments: consuming [CSVScanSegment<OfferRowFilter>]) -> Result<ImportedOffer, Diagnostic> {
        var names = NameTable()
        var all: [FoundPrice] = []
        all.reserveCapacity(segments.reduce(0) { $0 + $1.filter.found.count })
        var skipped = [Int](repeating: 0, count: SkipReason.allCases.count)
        var checkRows = 0
        var checkSum = Decimal(0)
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
            checkSum += filter.checkSum
            records += segment.records
            segments[index].filter.found = []  // memory stays at one copy of the prices
        }
        func key(_ p: FoundPrice) -> UInt64 {
            UInt64(p.region) << 40 | UInt64(p.item) << 14 | UInt64(p.thing.rawValue) << 9 | UInt64(p.term) << 1 | (p.upfront ? 1 : 0)
        }
        all.sort { (key($0), $0.record) < (key($1), $1.record) }
        // One price per key, in place.
        var kept = 0
        for index in all.indices {
            let price = all[index]
            if kept > 0, key(all[kept - 1]) == key(price) {
                let last = all[kept - 1]
                guard last.price == price.price else {
                    let what = describe(price, names: names.names)
                    return .failure(.error("record \(price.record): \(what) is \(price.price.text) here but \(last.price.text) in record \(last.record); the file gives two prices for it",
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
        var byReason: [SkipReason: Int] = [:]
        for reason in SkipReason.allCases where skipped[reason.rawValue] > 0 { byReason[reason] = skipped[reason.rawValue] }
        return .success(ImportedOffer(head: head, records: records, skipped: byReason, checkRows: checkRows,
                                      checkSum: checkSum, names: names.names, prices: unique, priceCount: unique.count))
    }

    /// `ec2 m5.large reserved-1yr-standard-partial-upfront upfront fee in us-east-1`.
    static func describe(_ price: FoundPrice, names: [String]) -> String {
        let item = price.thing.fixedItem ?? names[Int(price.item)]
        let key = PriceKey(region: names[Int(price.region)], service: price.thing.service, item: item,
                           term: FoundPrice.termNames[Int(price.term)])
        return price.upfront ? "the upfront fee of \(key)" : "\(key)"
    }
}

/// A new snapshot put together from imported offers and, optionally, a base snapshot whose
/// rows the imported prices replace or add to. Rows are kept compact and written in the order
/// `PriceSnapshotFile` writes them, so a snapshot of hundreds of thousands of prices is written
/// without holding them as `Price` values.
public struct SnapshotAssembly: Sendable {
    struct Row: Sendable {
        /// Region, service and item, term, and rate (0) or upfront fee (1), as ranks.
        var key: UInt64
        var value: PriceValue
        /// Index in `base` for a row kept from the base snapshot, else -1.
        var baseIndex: Int32
        /// Position among the rows put in: of two rows with one key, the later one stays.
        var order: UInt32
        var source: UInt16
        var unit: PriceUnit
    }

    public let id: String
    public let date: CalendarDate
    let regions: [String]
    let serviceItems: [(service: String, item: String)]
    let terms: [String]
    let sources: [(source: String, date: String)]
    let base: [Price]
    let rows: [Row]

    public var count: Int { rows.count }
    /// Rows that come from the base snapshot.
    public var fromBase: Int { rows.reduce(0) { $0 + ($1.baseIndex >= 0 ? 1 : 0) } }
    public var regionNames: [String] { regions }
    /// EC2 instance types priced (Linux or Windows, any term), sorted.
    public var instanceTypes: [String] {
        Set(serviceItems.filter { $0.service == "ec2" || $0.service == "ec2-windows" }.map(\.item)).sorted()
    }

    /// The base's prices, then each offer's in order: a price for a key already there replaces it.
    /// The offers' prices are released as they are taken in.
    public init(id: String, date: CalendarDate, base: PriceSnapshot?, offers: consuming [ImportedOffer]) {
        self.id = id
        self.date = date
        let basePrices = base?.allPrices ?? []
        self.base = basePrices
        var regionSet = Set(basePrices.map(\.key.region))
        var pairSet = Set(basePrices.map { PairKey(service: $0.key.service, item: $0.key.item) })
        var termSet = Set(basePrices.map(\.key.term))
        for index in offers.indices {
            let offer = offers[index]
            for price in offer.prices {
                regionSet.insert(offer.names[Int(price.region)])
                pairSet.insert(PairKey(service: price.thing.service, item: price.thing.fixedItem ?? offer.names[Int(price.item)]))
            }
            termSet.formUnion(Set(offer.prices.map { FoundPrice.termNames[Int($0.term)] }))
        }
        regions = regionSet.sorted()
        let pairs = pairSet.sorted { ($0.service, $0.item) < ($1.service, $1.item) }
        serviceItems = pairs.map { ($0.service, $0.item) }
        terms = termSet.sorted()
        let regionRank = Dictionary(uniqueKeysWithValues: regions.enumerated().map { ($1, $0) })
        let pairRank = Dictionary(uniqueKeysWithValues: pairs.enumerated().map { ($1, $0) })
        let termRank = Dictionary(uniqueKeysWithValues: terms.enumerated().map { ($1, $0) })
        func key(region: String, service: String, item: String, term: String, upfront: Bool) -> UInt64 {
            UInt64(regionRank[region]!) << 48 | UInt64(pairRank[PairKey(service: service, item: item)]!) << 16
                | UInt64(termRank[term]!) << 1 | (upfront ? 1 : 0)
        }

        var sourceList: [(String, String)] = []
        var sourceIndex: [String: Int] = [:]
        func source(_ text: String, _ date: String) -> UInt16 {
            let joined = text + "\u{0}" + date
            if let index = sourceIndex[joined] { return UInt16(index) }
            sourceList.append((text, date))
            sourceIndex[joined] = sourceList.count - 1
            return UInt16(sourceList.count - 1)
        }
        var rows: [Row] = []
        rows.reserveCapacity(basePrices.count + offers.indices.reduce(0) { $0 + offers[$1].prices.count })
        for (index, price) in basePrices.enumerated() {
            rows.append(Row(key: key(region: price.key.region, service: price.key.service, item: price.key.item,
                                     term: price.key.term, upfront: price.unit == .upfront),
                            value: PriceValue(mantissa: 0, exponent: 0), baseIndex: Int32(index), order: UInt32(rows.count),
                            source: source(price.source, price.sourceDate), unit: price.unit))
        }
        for index in offers.indices {
            let offer = offers[index]
            offers[index].prices = []
            let offerSource = source(offer.head.source, offer.head.sourceDate)
            for price in offer.prices {
                let item = price.thing.fixedItem ?? offer.names[Int(price.item)]
                rows.append(Row(key: key(region: offer.names[Int(price.region)], service: price.thing.service, item: item,
                                         term: FoundPrice.termNames[Int(price.term)], upfront: price.upfront),
                                value: price.price, baseIndex: -1, order: UInt32(rows.count), source: offerSource,
                                unit: price.upfront ? .upfront : price.thing.unit))
            }
        }
        // Within a key: base first, then the offers in order; the last one stays. In place.
        rows.sort { ($0.key, $0.order) < ($1.key, $1.order) }
        var kept = 0
        for index in rows.indices {
            if kept > 0, rows[kept - 1].key == rows[index].key {
                rows[kept - 1] = rows[index]
            } else {
                rows[kept] = rows[index]
                kept += 1
            }
        }
        rows.removeLast(rows.count - kept)
        self.rows = rows
        self.sources = sourceList
    }

    struct PairKey: Hashable {
        let service: String
        let item: String
    }

    /// Writes the snapshot file's bytes (header and rows, as `PriceSnapshotFile.bytes` would)
    /// to `sink`, about `batchBytes` at a time.
    public func write(batchBytes: Int = 256 * 1024, to sink: ([UInt8]) throws -> Void) throws {
        var writer = CSVWriter(lineEnding: .lf)
        writer.writeRecord(PriceSnapshotFile.columns)
        let day = date.description
        for row in rows {
            let fields: [String]
            if row.baseIndex >= 0 {
                fields = PriceSnapshotFile.row(snapshot: id, date: date, price: base[Int(row.baseIndex)])
            } else {
                let region = regions[Int(row.key >> 48)]
                let pair = serviceItems[Int((row.key >> 16) & 0xFFFF_FFFF)]
                let term = terms[Int((row.key >> 1) & 0x7FFF)]
                let source = sources[Int(row.source)]
                fields = [id, day, region, pair.service, pair.item, term, row.unit.rawValue, row.value.text,
                          source.source, source.date]
            }
            writer.writeRecord(fields)
            if writer.bytes.count >= batchBytes {
                try sink(writer.bytes)
                writer = CSVWriter(lineEnding: .lf)
            }
        }
        if !writer.bytes.isEmpty { try sink(writer.bytes) }
    }
}
