public import EKSModel

/// `estimate.json`: the same figures for programs. Money and quantities are JSON numbers
/// written from their decimal text (never through binary floating point); keys in a fixed order.
/// docs/estimate.schema.json describes every key and allows no other: a new key needs its entry.
public struct JSONEstimateFormatter: EstimateFormatter {
    public var fileName: String { "estimate.json" }

    public init() {}

    public func format(_ estimate: Estimate) -> [UInt8] {
        var fields: [(String, JSONValue)] = [
            ("scenario", .string(estimate.scenario)),
            ("region", .string(estimate.region)),
            ("snapshot", .string(estimate.snapshotID)),
            ("snapshotDate", .string(estimate.snapshotDate.description)),
            ("hoursPerMonth", .number(DecimalText.format(estimate.period.hours))),
        ]
        if let month = estimate.period.month { fields.append(("month", .string(month.description))) }
        fields.append(("monthlyUSD", .number(DecimalText.usd(estimate.totalUSD))))
        if let range = estimate.range {
            fields.append(
                (
                    "range",
                    .object([
                        ("lowUSD", .number(DecimalText.usd(range.lowUSD))),
                        ("expectedUSD", .number(DecimalText.usd(range.expectedUSD))),
                        ("highUSD", .number(DecimalText.usd(range.highUSD))),
                    ])
                ))
        }
        if !estimate.capacity.isEmpty { fields.append(("peakNodes", .number(String(estimate.peakNodes)))) }
        fields.append(
            (
                "lines",
                .array(
                    estimate.lines.map { line in
                        .object([
                            ("cluster", .string(line.cluster)),
                            ("component", .string(line.component.rawValue)),
                            ("group", .string(line.group)),
                            ("resource", .string(line.resource)),
                            ("quantity", .number(Wording.quantityValue(line.quantity))),
                            ("unit", .string(line.unit)),
                            ("unitPriceUSD", .number(DecimalText.format(line.price.usd))),
                            ("priceUnit", .string(line.price.unit.rawValue)),
                            ("hours", .number(Wording.hoursValue(line.hours))),
                            ("monthlyUSD", .number(DecimalText.usd(line.monthlyUSD))),
                            ("priceSource", .string(line.price.source)),
                            ("priceSourceDate", .string(line.price.sourceDate)),
                        ])
                    })
            ))
        if let commitments = JSONCommitments.value(estimate) { fields.append(("commitments", commitments)) }
        fields.append(("notes", .array(estimate.notes.map { .string($0) })))
        return Array((JSONValue.object(fields).rendered() + "\n").utf8)
    }
}

/// A JSON value rendered with a stable layout: 2-space indent, keys in the order given.
indirect enum JSONValue {
    case string(String)
    /// A number already written as plain decimal text.
    case number(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    func rendered(indent: Int = 0) -> String {
        let inner = String(repeating: "  ", count: indent + 1)
        let outer = String(repeating: "  ", count: indent)
        switch self {
        case .string(let text): return Self.quoted(text)
        case .number(let text): return text
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + $0.rendered(indent: indent + 1) }.joined(separator: ",\n")
                + "\n\(outer)]"
        case .object(let fields):
            if fields.isEmpty { return "{}" }
            return "{\n"
                + fields.map { inner + Self.quoted($0.0) + ": " + $0.1.rendered(indent: indent + 1) }
                .joined(separator: ",\n") + "\n\(outer)}"
        }
    }

    static func quoted(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
