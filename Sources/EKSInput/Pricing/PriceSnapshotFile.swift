import CSVStream
public import EKSModel
import FileAccess
import Foundation

/// The price snapshot file format: one CSV file per snapshot, `Pricing/<id>.csv`, documented in
/// `Pricing/README.md`. Every row carries the snapshot's id and date and the source of its
/// price, so a row pasted anywhere still says where it came from.
public enum PriceSnapshotFile {
    public static let columns = [
        "snapshot", "snapshot_date", "region", "service", "item", "term", "unit", "usd",
        "source", "source_date",
    ]

    /// Reads and checks a snapshot file. Every problem is reported with its line.
    public static func read(path: String) -> (snapshot: PriceSnapshot?, diagnostics: [Diagnostic]) {
        read(CSVReader(path: path), file: path)
    }

    /// Reads a snapshot held in memory; `file` names it (its id is the file's name).
    public static func read(bytes: [UInt8], file: String) -> (snapshot: PriceSnapshot?, diagnostics: [Diagnostic]) {
        read(CSVReader(bytes: bytes), file: file)
    }

    static func read(_ reader: CSVReader, file path: String) -> (snapshot: PriceSnapshot?, diagnostics: [Diagnostic]) {
        let id = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var prices: [Price] = []
        var seen: [PriceKey: Int] = [:]
        var seenFees: [PriceKey: Int] = [:]
        var date: CalendarDate?
        var diagnostics = HeaderedTable.read(reader, file: path, columns: columns, kind: "a price snapshot") {
            f, line, error in
            if f[0] != id {
                error("snapshot column says '\(f[0])' but the file is \(id).csv; they must agree")
            }
            guard let rowDate = CalendarDate(f[1]) else {
                error("snapshot_date must be YYYY-MM-DD, found '\(f[1])'")
                return
            }
            if let date, date != rowDate {
                error("snapshot_date \(rowDate) differs from \(date) on the rows above")
            }
            date = date ?? rowDate
            guard let unit = PriceUnit(rawValue: f[6]) else {
                error(
                    "unknown unit '\(f[6])'; expected one of \(PriceUnit.allCases.map(\.rawValue).joined(separator: ", "))"
                )
                return
            }
            let usd: Decimal
            switch CheckedNumber.decimal(f[7], in: InputLimits.priceUSD) {
            case .success(let value): usd = value
            case .failure(let problem):
                error(
                    problem.notANumber != nil && DecimalText.parseExactly(f[7]) == .failure(.notPlainDecimal)
                        ? "usd must be a plain decimal number such as 0.096, found '\(f[7])'" : "usd \(problem)")
                return
            }
            if f[2].isEmpty || f[3].isEmpty || f[4].isEmpty || f[5].isEmpty {
                error("region, service, item and term must not be empty")
                return
            }
            if f[8].isEmpty || f[9].isEmpty {
                error("every price needs its source and source_date")
                return
            }
            let key = PriceKey(region: f[2], service: f[3], item: f[4], term: f[5])
            if unit == .upfront {
                // A Reserved term has an hourly rate and an upfront fee under the same key.
                if let first = seenFees[key] {
                    error("\(key) has two upfront fees (first on line \(first))")
                    return
                }
                seenFees[key] = line
            } else {
                if let first = seen[key] {
                    error("\(key) is priced twice (first on line \(first))")
                    return
                }
                seen[key] = line
            }
            prices.append(Price(key: key, unit: unit, usd: usd, source: f[8], sourceDate: f[9]))
        }
        if diagnostics.isEmpty && prices.isEmpty {
            diagnostics.append(.error("price snapshot has no prices", at: SourceLocation(file: path, line: 1)))
        }
        guard !diagnostics.hasErrors, let date else { return (nil, diagnostics) }
        return (PriceSnapshot(id: id, date: date, prices: prices), diagnostics)
    }

    /// The snapshot's date from its first row, without reading the rest: for choosing among
    /// snapshots before loading one. Nil when the file does not start like a snapshot, or is not
    /// a regular file (a FIFO in the pricing folder must not hang every scenario command;
    /// reading it as a snapshot then says what it is).
    public static func date(path: String) -> CalendarDate? {
        guard let bytes = try? RegularFile.prefix(path, count: 4096) else { return nil }
        let head = String(decoding: bytes, as: UTF8.self)
        let lines = head.split(separator: "\n", maxSplits: 2)
        guard lines.count >= 2, lines[0].hasPrefix(columns.joined(separator: ",")) else { return nil }
        let fields = lines[1].split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
        return fields.count >= 2 ? CalendarDate(String(fields[1])) : nil
    }

    /// The file's bytes: header, then rows sorted by key (a rate before the upfront fee of the
    /// same key), LF line ends.
    public static func bytes(of snapshot: PriceSnapshot) -> [UInt8] {
        var writer = CSVWriter(lineEnding: .lf)
        writer.writeRecord(columns)
        for price in snapshot.allPrices {
            writer.writeRecord(row(snapshot: snapshot.id, date: snapshot.date, price: price))
        }
        return writer.bytes
    }

    /// The fields of one row.
    public static func row(snapshot id: String, date: CalendarDate, price: Price) -> [String] {
        let key = price.key
        return [
            id, date.description, key.region, key.service, key.item, key.term,
            price.unit.rawValue, DecimalText.format(price.usd), price.source, price.sourceDate,
        ]
    }
}
