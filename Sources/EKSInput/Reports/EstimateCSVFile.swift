import CSVStream
public import EKSModel
import Foundation

/// Reads an `estimate.csv` back, for `ekscost diff`. Columns are found by name, so reports of
/// older versions (without `group` or `price_unit`) and spreadsheets that reordered them still
/// read; every problem is reported with its line. The columns are `EstimateCSVColumn`'s, which
/// the writer uses too.
public enum EstimateCSVFile {
    /// `path` may be the file or a report folder holding `estimate.csv`.
    public static func read(path given: String) -> (report: EstimateReport?, diagnostics: [Diagnostic]) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: given, isDirectory: &isFolder) else {
            return (
                nil,
                [
                    .error(
                        "no such file or folder; give a report folder or its estimate.csv",
                        at: SourceLocation(file: given, line: 1))
                ]
            )
        }
        let path = isFolder.boolValue ? (given as NSString).appendingPathComponent("estimate.csv") : given
        if isFolder.boolValue && !FileManager.default.fileExists(atPath: path) {
            return (
                nil,
                [
                    .error(
                        "no estimate.csv in this folder (a report folder is OUT/<scenario>, or OUT/<scenario>/<YYYY-MM> with --month)",
                        at: SourceLocation(file: given, line: 1))
                ]
            )
        }
        return read(CSVReader(path: path), file: path)
    }

    /// Reads an estimate.csv held in memory; `file` names it in diagnostics.
    public static func read(bytes: [UInt8], file: String) -> (report: EstimateReport?, diagnostics: [Diagnostic]) {
        read(CSVReader(bytes: bytes), file: file)
    }

    static func read(_ reader: CSVReader, file path: String) -> (report: EstimateReport?, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        func error(_ line: Int, _ message: String) {
            diagnostics.append(.error(message, at: SourceLocation(file: path, line: line)))
        }
        var column: [String: Int] = [:]
        var lines: [ReportLine] = []
        var scenario = ""
        var snapshot = ""
        var hoursPerMonth: Decimal = 0
        var total: Decimal?
        let readingProblems = CSVFileProblems.whileReading(path) {
            try reader.forEachRecord { record in
                if record.number == 1 {
                    for (index, name) in record.strings.enumerated() where column[name] == nil { column[name] = index }
                    let missing = EstimateCSVColumn.required.map(\.rawValue).filter { column[$0] == nil }
                    if !missing.isEmpty {
                        error(record.line, "not an ekscost estimate.csv: no column \(missing.joined(separator: ", "))")
                        throw StopReading()
                    }
                    return
                }
                func field(_ name: EstimateCSVColumn) -> String {
                    guard let index = column[name.rawValue], index < record.count else { return "" }
                    return record.string(at: index)
                }
                func number(_ name: EstimateCSVColumn) -> Decimal? {
                    switch DecimalText.parseExactly(field(name)) {
                    case .success(let value): return value
                    case .failure(.notPlainDecimal):
                        error(record.line, "\(name.rawValue) must be a plain number, found '\(field(name))'")
                    case .failure(let problem):
                        error(record.line, "\(name.rawValue) must be \(problem.expectation) found '\(field(name))'")
                    }
                    return nil
                }
                if field(.component) == "total" {
                    if total != nil { error(record.line, "a second total row") }
                    total = number(.monthlyUSD)
                    return
                }
                if total != nil {
                    error(record.line, "a cost line after the total row")
                    return
                }
                guard let quantity = number(.quantity), let price = number(.unitPriceUSD), let hours = number(.hours),
                    let usd = number(.monthlyUSD), let month = number(.hoursPerMonth)
                else { return }
                if lines.isEmpty {
                    scenario = field(.scenario)
                    snapshot = field(.snapshot)
                    hoursPerMonth = month
                }
                lines.append(
                    ReportLine(
                        cluster: field(.cluster), component: field(.component), group: field(.group),
                        resource: field(.resource), quantity: quantity, unit: field(.unit), unitPriceUSD: price,
                        hours: hours, monthlyUSD: usd, priceUnit: field(.priceUnit), hoursPerMonth: month,
                        line: record.line))
            }
        }
        diagnostics += readingProblems
        guard !diagnostics.hasErrors else { return (nil, diagnostics) }
        guard let total else {
            return (
                nil,
                [
                    .error(
                        "no total row: the file ends before the report does (a report ekscost wrote always has one)",
                        at: SourceLocation(file: path, line: 1))
                ]
            )
        }
        let sum = lines.reduce(Decimal(0)) { $0 + $1.monthlyUSD }
        if sum != total {
            return (
                nil,
                [
                    .error(
                        "the lines add up to \(DecimalText.usd(sum)), not to the total row's \(DecimalText.usd(total)); was the file edited?",
                        at: SourceLocation(file: path, line: 1))
                ]
            )
        }
        return (
            EstimateReport(
                path: path, scenario: scenario, snapshot: snapshot, hoursPerMonth: hoursPerMonth, lines: lines,
                totalUSD: total), []
        )
    }
}
