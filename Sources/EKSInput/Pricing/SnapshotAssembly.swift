import CSVStream
public import EKSModel
import Foundation

/// A new snapshot put together from imported offers and, optionally, a base snapshot whose
/// rows the imported prices replace or add to. Rows are kept compact and written in the order
/// `PriceSnapshotFile` writes them, so a snapshot of hundreds of thousands of prices is written
/// without holding them as `Price` values (nor a string per field: each distinct region, item,
/// term and source is encoded once).
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
        /// Index in `PriceUnit.allCases`.
        var unit: UInt8
    }

    /// A unit's index in `PriceUnit.allCases`.
    static func unitIndex(_ unit: PriceUnit) -> UInt8 { UInt8(PriceUnit.allCases.firstIndex(of: unit)!) }

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
        // What each offer's prices name, found once per distinct name rather than per price.
        var used: [OfferNames] = []
        for index in offers.indices {
            let names = OfferNames(offers[index])
            regionSet.formUnion(names.regions.map { offers[index].names[$0] })
            pairSet.formUnion(names.pairs.map { names.pairKey($0, offers[index].names) })
            termSet.formUnion(names.terms.map { FoundPrice.termNames[$0] })
            used.append(names)
        }
        regions = regionSet.sorted()
        let pairs = pairSet.sorted { ($0.service, $0.item) < ($1.service, $1.item) }
        serviceItems = pairs.map { ($0.service, $0.item) }
        terms = termSet.sorted()
        let regionRank = Dictionary(uniqueKeysWithValues: regions.enumerated().map { ($1, $0) })
        let pairRank = Dictionary(uniqueKeysWithValues: pairs.enumerated().map { ($1, $0) })
        let termRank = Dictionary(uniqueKeysWithValues: terms.enumerated().map { ($1, $0) })
        func key(region: Int, pair: Int, term: Int, upfront: Bool) -> UInt64 {
            UInt64(region) << 48 | UInt64(pair) << 16 | UInt64(term) << 1 | (upfront ? 1 : 0)
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
            rows.append(
                Row(
                    key: key(
                        region: regionRank[price.key.region]!,
                        pair: pairRank[PairKey(service: price.key.service, item: price.key.item)]!,
                        term: termRank[price.key.term]!, upfront: price.unit == .upfront),
                    value: PriceValue(mantissa: 0, exponent: 0), baseIndex: Int32(index), order: UInt32(rows.count),
                    source: source(price.source, price.sourceDate), unit: Self.unitIndex(price.unit)))
        }
        for index in offers.indices {
            let offer = offers[index]
            offers[index].prices = []
            let names = used[index]
            let offerSource = source(offer.head.source, offer.head.sourceDate)
            // Ranks by the offer's own numbers.
            var regionRanks = [Int](repeating: 0, count: offer.names.count)
            for region in names.regions { regionRanks[region] = regionRank[offer.names[region]]! }
            var pairRanks: [UInt64: Int] = [:]
            for pair in names.pairs { pairRanks[pair] = pairRank[names.pairKey(pair, offer.names)]! }
            let termRanks = FoundPrice.termNames.map { termRank[$0] ?? 0 }
            let thingUnits = PricedThing.allCases.map { Self.unitIndex($0.unit) }
            let upfrontUnit = Self.unitIndex(.upfront)
            for price in offer.prices {
                rows.append(
                    Row(
                        key: key(
                            region: regionRanks[Int(price.region)], pair: pairRanks[OfferNames.pair(price)]!,
                            term: termRanks[Int(price.term)], upfront: price.upfront),
                        value: price.price, baseIndex: -1, order: UInt32(rows.count), source: offerSource,
                        unit: price.upfront ? upfrontUnit : thingUnits[Int(price.thing.rawValue)]))
            }
        }
        // Within a key: base first, then the offers in order (`order` is the position); the last
        // one stays. In place, sorted by the key with its ranks narrowed to the bits they need.
        let termBits = KeyOrder.bits(below: terms.count) + 1
        let pairBits = KeyOrder.bits(below: pairs.count) + termBits
        let sortKeys = rows.map { row in
            (row.key >> 48) << pairBits | ((row.key >> 16) & 0xFFFF_FFFF) << termBits | (row.key & 0xFFFF)
        }
        KeyOrder.permute(&rows, by: KeyOrder.positions(sortKeys))
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

    /// The regions, (thing, item) pairs and terms one offer's prices use, by the offer's numbers.
    struct OfferNames {
        var regions: [Int] = []
        var pairs: [UInt64] = []
        var terms: [Int] = []

        init(_ offer: ImportedOffer) {
            var region = [Bool](repeating: false, count: offer.names.count)
            var term = [Bool](repeating: false, count: FoundPrice.termNames.count)
            var pairSet = Set<UInt64>()
            for price in offer.prices {
                region[Int(price.region)] = true
                term[Int(price.term)] = true
                pairSet.insert(Self.pair(price))
            }
            regions = region.indices.filter { region[$0] }
            terms = term.indices.filter { term[$0] }
            pairs = Array(pairSet)
        }

        /// The thing, and the item's number when the row names it.
        static func pair(_ price: FoundPrice) -> UInt64 {
            UInt64(price.thing.rawValue) << 32 | (price.thing.namesItem ? UInt64(price.item) : 0)
        }

        func pairKey(_ pair: UInt64, _ names: [String]) -> PairKey {
            let thing = PricedThing(rawValue: UInt8(pair >> 32))!
            return PairKey(service: thing.service, item: thing.fixedItem ?? names[Int(pair & 0xFFFF_FFFF)])
        }
    }

    /// Writes the snapshot file's bytes (header and rows, as `PriceSnapshotFile.bytes` would)
    /// to `sink`, about `batchBytes` at a time.
    public func write(batchBytes: Int = 256 * 1024, to sink: ([UInt8]) throws -> Void) throws {
        // Each distinct field once, as CSVWriter quotes it, with the commas between, all in one
        // array: a row is copied together from pieces of it, into a buffer handed to `sink` a
        // batch at a time (no array per field or per row to retain and release).
        let comma = UInt8(ascii: ",")
        var pieces = FieldPieces()
        let prefix = pieces.add(CSVWriter.encoded(id) + [comma] + CSVWriter.encoded(date.description) + [comma])
        let regionPieces = regions.map { pieces.add(CSVWriter.encoded($0) + [comma]) }
        let pairPieces = serviceItems.map {
            pieces.add(CSVWriter.encoded($0.service) + [comma] + CSVWriter.encoded($0.item) + [comma])
        }
        let termPieces = terms.map { pieces.add(CSVWriter.encoded($0) + [comma]) }
        let unitPieces = PriceUnit.allCases.map { pieces.add(CSVWriter.encoded($0.rawValue) + [comma]) }
        let sourcePieces = sources.map {
            pieces.add([comma] + CSVWriter.encoded($0.source) + [comma] + CSVWriter.encoded($0.date) + [0x0A])
        }
        var capacity = batchBytes + 4096
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var used = 0
        func flush() throws {
            guard used > 0 else { return }
            try sink(Array(UnsafeBufferPointer(start: buffer, count: used)))
            used = 0
        }
        /// Room for `count` more bytes, at `buffer + used`.
        func makeRoom(_ count: Int) throws {
            if used + count > capacity { try flush() }
            if count > capacity {
                buffer.deallocate()
                capacity = count
                buffer = .allocate(capacity: capacity)
            }
        }
        func append(_ bytes: [UInt8]) throws {
            try makeRoom(bytes.count)
            bytes.withUnsafeBufferPointer { (buffer + used).update(from: $0.baseAddress!, count: $0.count) }
            used += bytes.count
        }
        var header = CSVWriter(lineEnding: .lf)
        header.writeRecord(PriceSnapshotFile.columns)
        try append(header.bytes)
        try pieces.bytes.withUnsafeBufferPointer { bytes in
            let from = bytes.baseAddress!
            for row in rows {
                if row.baseIndex >= 0 {
                    var writer = CSVWriter(lineEnding: .lf)
                    writer.writeRecord(
                        PriceSnapshotFile.row(snapshot: id, date: date, price: base[Int(row.baseIndex)]))
                    try append(writer.bytes)
                } else {
                    let region = regionPieces[Int(row.key >> 48)]
                    let pair = pairPieces[Int((row.key >> 16) & 0xFFFF_FFFF)]
                    let term = termPieces[Int((row.key >> 1) & 0x7FFF)]
                    let unit = unitPieces[Int(row.unit)]
                    let source = sourcePieces[Int(row.source)]
                    let price = row.value.textCount
                    let count =
                        prefix.count + region.count + pair.count + term.count + unit.count + price + source.count
                    try makeRoom(count)
                    var at = buffer + used
                    FieldPieces.copy(from, prefix, to: &at)
                    FieldPieces.copy(from, region, to: &at)
                    FieldPieces.copy(from, pair, to: &at)
                    FieldPieces.copy(from, term, to: &at)
                    FieldPieces.copy(from, unit, to: &at)
                    row.value.writeText(to: at)
                    at += price
                    FieldPieces.copy(from, source, to: &at)
                    used += count
                }
                if used >= batchBytes { try flush() }
            }
        }
        try flush()
    }
}

/// Byte strings kept one after the other in one array, each known by its range.
struct FieldPieces {
    var bytes: [UInt8] = []

    mutating func add(_ piece: [UInt8]) -> Range<Int> {
        bytes += piece
        return (bytes.count - piece.count)..<bytes.count
    }

    /// Copies the piece `range` of `bytes` to `out`, and moves `out` past it.
    @inline(__always)
    static func copy(_ bytes: UnsafePointer<UInt8>, _ range: Range<Int>, to out: inout UnsafeMutablePointer<UInt8>) {
        out.update(from: bytes + range.lowerBound, count: range.count)
        out += range.count
    }
}
