import CSVStream
public import EKSModel
import Foundation

/// Reads load curve CSV files: a first column `hour_of_week` (0, 1, 2 … without gaps; 0 is
/// Monday 00:00 UTC; 24 rows repeat daily, 168 weekly) or `timestamp` (ISO 8601, evenly
/// spaced, the first one meaning the start of the period), then one column per series, each a
/// plain number from 0 to 10^12. Every problem is reported with its line.
public enum LoadCurveReader {
    public static func read(path: String, name: String) -> (curve: LoadCurve?, diagnostics: [Diagnostic]) {
        if let problem = InputFile.problem(path, what: "load curve") { return (nil, [problem]) }
        return read(CSVReader(path: path), file: path, name: name)
    }

    /// Reads a curve held in memory; `file` names it in diagnostics.
    public static func read(bytes: [UInt8], file: String, name: String) -> (
        curve: LoadCurve?, diagnostics: [Diagnostic]
    ) {
        read(CSVReader(bytes: bytes), file: file, name: name)
    }

    /// The longest interval between timestamp rows: a month of 31 days.
    static let maxIntervalSeconds = 31 * 86_400

    static func read(_ reader: CSVReader, file path: String, name: String) -> (
        curve: LoadCurve?, diagnostics: [Diagnostic]
    ) {
        var diagnostics: [Diagnostic] = []
        var header: [String] = []
        var columns: [[Double]] = []
        var times: [Int] = []
        var byHour = true
        func error(_ line: Int, _ message: String) {
            diagnostics.append(.error(message, at: SourceLocation(file: path, line: line)))
        }
        let readingProblems = CSVFileProblems.whileReading(path) {
            try reader.forEachRecord { record in
                if record.number == 1 {
                    header = record.strings.map { $0.trimmingCharacters(in: .whitespaces) }
                    guard let first = header.first, first == "hour_of_week" || first == "timestamp" else {
                        error(
                            record.line,
                            "a load curve's first column must be hour_of_week or timestamp, found '\(header.first ?? "")'"
                        )
                        throw StopReading()
                    }
                    guard header.count >= 2 else {
                        error(record.line, "a load curve needs at least one series column after \(header[0])")
                        throw StopReading()
                    }
                    for (index, column) in header.enumerated().dropFirst()
                    where column.isEmpty || header[..<index].contains(column) {
                        error(
                            record.line,
                            column.isEmpty ? "column \(index + 1) has no name" : "column '\(column)' appears twice")
                    }
                    byHour = first == "hour_of_week"
                    columns = Array(repeating: [], count: header.count - 1)
                    return
                }
                guard record.count == header.count else {
                    error(
                        record.line,
                        "expected \(header.count) fields (\(header.joined(separator: ", "))), found \(record.count)")
                    return
                }
                let key = record.string(at: 0).trimmingCharacters(in: .whitespaces)
                if byHour {
                    // docs/capacity-and-cost.md: hour 0 is Monday 00:00 UTC; 24 rows repeat daily, 168 weekly.
                    let hour: Int
                    switch CheckedNumber.integer(key, in: InputLimits.hourOfWeek) {
                    case .success(let value): hour = value
                    case .failure(let problem):
                        error(record.line, "hour_of_week \(problem) (the hours of one week; 0 is Monday 00:00 UTC)")
                        return
                    }
                    let expected = times.count
                    if hour < expected {
                        error(record.line, "hour_of_week \(hour) repeats or goes back (expected \(expected))")
                        return
                    }
                    if hour > expected {
                        error(
                            record.line,
                            "gap: hour_of_week jumps from \(expected - 1) to \(hour); every hour needs a row")
                        // Carry on from this row so later rows are judged on their own.
                        for missing in expected..<hour {
                            times.append(missing * 3600)
                            for index in columns.indices { columns[index].append(0) }
                        }
                    }
                    times.append(hour * 3600)
                } else {
                    guard let time = ISOTimestamp.seconds(key) else {
                        error(record.line, "timestamp must be ISO 8601 such as 2026-11-01T00:00:00Z, found '\(key)'")
                        return
                    }
                    if let last = times.last {
                        if time <= last {
                            error(record.line, "timestamp \(key) is not after the one before it")
                            return
                        }
                        if times.count == 1, time - last > maxIntervalSeconds {
                            error(
                                record.line,
                                "timestamp \(key) is \(time - last) s after the row before; rows may be at most 31 days (\(maxIntervalSeconds) s) apart"
                            )
                            return
                        }
                        if times.count >= 2, time - last != times[1] - times[0] {
                            error(
                                record.line,
                                "gap: \(key) is \(time - last) s after the row before, but rows are \(times[1] - times[0]) s apart"
                            )
                            return
                        }
                    }
                    times.append(time)
                }
                for index in 1..<header.count {
                    let text = record.string(at: index).trimmingCharacters(in: .whitespaces)
                    switch CheckedNumber.decimal(text, in: InputLimits.curveValue) {
                    case .success(let value): columns[index - 1].append(NSDecimalNumber(decimal: value).doubleValue)
                    case .failure(let problem):
                        error(record.line, "'\(header[index])' \(problem)")
                        columns[index - 1].append(0)
                    }
                }
            }
        }
        diagnostics += readingProblems
        guard !diagnostics.hasErrors else { return (nil, diagnostics) }
        guard !times.isEmpty else {
            return (nil, [.error("load curve has no rows", at: SourceLocation(file: path, line: 1))])
        }
        let interval = byHour ? 3600 : (times.count >= 2 ? times[1] - times[0] : 3600)
        var series: [String: [Double]] = [:]
        for (index, name) in header.dropFirst().enumerated() { series[name] = columns[index] }
        return (
            LoadCurve(name: name, intervalSeconds: interval, anchor: byHour ? .week : .periodStart, columns: series), []
        )
    }
}

/// ISO 8601 timestamps: `2026-11-01T00:00:00Z`, `2026-11-01T00:00Z`, `2026-11-01 00:00:00+00:00`.
enum ISOTimestamp {
    static func seconds(_ text: String) -> Int? {
        var body = Substring(text)
        var offset = 0
        if body.hasSuffix("Z") {
            body = body.dropLast()
        } else if body.count > 6, let sign = body.dropLast(5).last, sign == "+" || sign == "-" {
            let zone = body.suffix(5)  // +HH:MM
            let parts = zone.dropFirst().split(separator: ":")
            guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
            offset = (h * 3600 + m * 60) * (sign == "+" ? 1 : -1)
            body = body.dropLast(6)
        }
        let halves = body.split(whereSeparator: { $0 == "T" || $0 == " " })
        guard halves.count == 2, let date = CalendarDate(String(halves[0])) else { return nil }
        let clock = halves[1].split(separator: ":").map { Int($0) }
        guard clock.count == 2 || clock.count == 3, clock.allSatisfy({ $0 != nil }) else { return nil }
        let hour = clock[0]!
        let minute = clock[1]!
        let second = clock.count == 3 ? clock[2]! : 0
        guard (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        return daysFromCivil(date.year, date.month, date.day) * 86400 + hour * 3600 + minute * 60 + second - offset
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
