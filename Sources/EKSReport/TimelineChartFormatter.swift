public import EKSModel
import Foundation

/// `chart.svg`: hourly cost and nodes over a simulated period, a plain SVG any browser shows.
/// Two panels on one time axis with the calendar dates: the cost per hour (green, from the
/// unrounded step costs, so that no cent handed out by rounding looks like a change) above the
/// nodes at the end of each step (blue, whole numbers), and a legend.
public struct TimelineChartFormatter: EstimateFormatter {
    public var fileName: String { "chart.svg" }

    public init() {}

    public func applies(to estimate: Estimate) -> Bool { estimate.capacity.contains { $0.timeline != nil } }

    /// Per report step, over every simulated cluster: nodes at its end and the cost per hour.
    struct Series {
        var starts: [Int] = []
        var seconds: [Int] = []
        var nodes: [Int] = []
        var perHour: [Decimal] = []
        var periodSeconds = 0
    }

    static func series(_ estimate: Estimate) -> Series? {
        let timelines = estimate.capacity.compactMap { plan in plan.timeline.map { ($0, plan.stepCostsExactUSD) } }
        guard let first = timelines.first?.0, first.stepCount > 0, first.periodSeconds > 0 else { return nil }
        let count = first.stepCount
        var series = Series(
            starts: first.stepStarts, seconds: first.stepSeconds,
            nodes: Array(repeating: 0, count: count), perHour: Array(repeating: 0, count: count),
            periodSeconds: first.periodSeconds)
        for (timeline, costs) in timelines {
            let nodesPerStep = timeline.nodesPerStep
            // Steps repeat a few amounts and lengths: each quotient is worked out once.
            var perHour: [Int: DecimalMemo<Decimal>] = [:]
            for index in 0..<min(count, timeline.stepCount) {
                series.nodes[index] += nodesPerStep[index]
                let seconds = timeline.stepSeconds[index]
                guard index < costs.count, seconds > 0 else { continue }
                series.perHour[index] += perHour[seconds, default: DecimalMemo { $0 * 3600 / Decimal(seconds) }](
                    costs[index])
            }
        }
        return series
    }

    static let width = 960.0, left = 70.0, plotWidth = 860.0, panelHeight = 120.0
    static let costTop = 62.0, nodesTop = 212.0, height = 384.0
    static let costColour = "#2a8a3a", nodesColour = "#1f5fbf"

    public func format(_ estimate: Estimate) -> [UInt8] {
        guard let series = Self.series(estimate) else { return [] }
        let count = series.nodes.count
        let peakNodes = series.nodes.max() ?? 0
        let nodeTicks = TimelineChartScales.nodeTicks(peak: peakNodes)
        let costTicks = TimelineChartScales.costTicks(peak: series.perHour.max() ?? 0)
        func x(_ second: Int) -> Double { Self.left + Self.plotWidth * Double(second) / Double(series.periodSeconds) }
        func yNodes(_ index: Int) -> Double {
            Self.nodesTop + Self.panelHeight * (1 - Double(series.nodes[index]) / Double(nodeTicks.last!))
        }
        let costTop = Self.double(costTicks.last!)
        func yCost(_ index: Int) -> Double {
            Self.costTop + Self.panelHeight * (1 - Self.double(series.perHour[index]) / costTop)
        }
        // Built as bytes: two numbers a step, 17,520 for a year of hours.
        func steps(_ y: (Int) -> Double) -> String {
            var path: [UInt8] = [UInt8(ascii: "M")]
            path.reserveCapacity(count * 16 + 16)
            Self.appendNumber(x(series.starts[0]), to: &path)
            path.append(UInt8(ascii: ","))
            Self.appendNumber(y(0), to: &path)
            for index in 0..<count {
                path += [UInt8(ascii: " "), UInt8(ascii: "H")]
                Self.appendNumber(x(series.starts[index] + series.seconds[index]), to: &path)
                if index + 1 < count {
                    path += [UInt8(ascii: " "), UInt8(ascii: "V")]
                    Self.appendNumber(y(index + 1), to: &path)
                }
            }
            return String(decoding: path, as: UTF8.self)
        }
        let scenario = Self.escape(estimate.scenario)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(Self.width))" height="\(Int(Self.height))" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" font-family="sans-serif" font-size="12">
            <title>\(scenario): cost per hour and nodes</title>
            <rect x="0" y="0" width="\(Int(Self.width))" height="\(Int(Self.height))" fill="white"/>
            <text x="\(Self.number(Self.left))" y="22" font-size="15">\(scenario): cost per hour and nodes over the period</text>

            """
        svg += Self.legend()
        svg += Self.days(period: estimate.period, periodSeconds: series.periodSeconds, x: x)
        svg += Self.panel(
            top: Self.costTop, ticks: costTicks.map { DecimalText.format($0, minimumFractionDigits: 2) },
            unit: "USD per hour", colour: Self.costColour)
        svg += Self.panel(
            top: Self.nodesTop, ticks: nodeTicks.map(String.init), unit: "nodes", colour: Self.nodesColour)
        svg += "<path d=\"\(steps(yCost))\" fill=\"none\" stroke=\"\(Self.costColour)\" stroke-width=\"1.5\"/>\n"
        svg += "<path d=\"\(steps(yNodes))\" fill=\"none\" stroke=\"\(Self.nodesColour)\" stroke-width=\"1.5\"/>\n"
        let stepHours = DecimalText.format(DecimalText.rounded(Decimal(series.seconds[0]) / 3600, scale: 2))
        svg += "<text x=\"\(Self.number(Self.left))\" y=\"\(Self.number(Self.height - 10))\">"
        svg +=
            "\(TimelineChartScales.periodCaption(estimate.period)) · \(count) steps of \(stepHours) h · peak \(peakNodes) nodes · "
        svg += "\(DecimalText.usd(estimate.totalUSD)) USD for the period</text>\n"
        svg += "</svg>\n"
        return Array(svg.utf8)
    }

    static func legend() -> String {
        let y = 44.0
        var svg = ""
        for (offset, (colour, text)) in [
            (costColour, "cost per hour in USD, unrounded (top)"),
            (nodesColour, "nodes at the end of each step (bottom)"),
        ].enumerated() {
            let start = left + Double(offset) * 300
            svg +=
                "<line x1=\"\(number(start))\" y1=\"\(number(y - 4))\" x2=\"\(number(start + 24))\" y2=\"\(number(y - 4))\" stroke=\"\(colour)\" stroke-width=\"3\"/>\n"
            svg += "<text x=\"\(number(start + 30))\" y=\"\(number(y))\">\(text)</text>\n"
        }
        return svg
    }

    /// A frame, a grid line and a label per tick (the last tick at the top), and the unit along
    /// the axis.
    static func panel(top: Double, ticks: [String], unit: String, colour: String) -> String {
        let middle = "16.0 \(number(top + panelHeight / 2))"
        var svg =
            "<text x=\"16.0\" y=\"\(number(top + panelHeight / 2))\" transform=\"rotate(-90 \(middle))\" text-anchor=\"middle\" fill=\"\(colour)\">\(unit)</text>\n"
        for (index, label) in ticks.enumerated() {
            let y = top + panelHeight * (1 - Double(index) / Double(ticks.count - 1))
            svg +=
                "<line x1=\"\(number(left))\" y1=\"\(number(y))\" x2=\"\(number(left + plotWidth))\" y2=\"\(number(y))\" stroke=\"#ddd\"/>\n"
            svg +=
                "<text x=\"\(number(left - 8))\" y=\"\(number(y + 4))\" text-anchor=\"end\" fill=\"\(colour)\">\(label)</text>\n"
        }
        svg +=
            "<rect x=\"\(number(left))\" y=\"\(number(top))\" width=\"\(number(plotWidth))\" height=\"\(number(panelHeight))\" fill=\"none\" stroke=\"#555\"/>\n"
        return svg
    }

    /// A faint line across both panels at each midnight, and the date under every few.
    static func days(period: BillingPeriod, periodSeconds: Int, x: (Int) -> Double) -> String {
        let days = periodSeconds / 86400
        let every = TimelineChartScales.labelEvery(days: days)
        let bottom = nodesTop + panelHeight
        var svg = ""
        for day in 0...days {
            let px = number(x(day * 86400))
            svg +=
                "<line x1=\"\(px)\" y1=\"\(number(costTop))\" x2=\"\(px)\" y2=\"\(number(costTop + panelHeight))\" stroke=\"#eee\"/>\n"
            svg +=
                "<line x1=\"\(px)\" y1=\"\(number(nodesTop))\" x2=\"\(px)\" y2=\"\(number(bottom + 5))\" stroke=\"#eee\"/>\n"
            guard day % every == 0, day < days else { continue }
            svg +=
                "<text x=\"\(px)\" y=\"\(number(bottom + 18))\" text-anchor=\"middle\">\(TimelineChartScales.dayLabel(day, period: period))</text>\n"
        }
        return svg
    }

    static func number(_ value: Double) -> String {
        var text: [UInt8] = []
        appendNumber(value, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// `String(format: "%.1f", value)`'s text (glibc rounds the exact binary value to the nearest
    /// tenth, ties to even), without formatting a string: ten times the value is rounded to the
    /// nearest integer where that is certain, the product's rounding error (from a fused
    /// multiply-add) included; near a tie, for negative values (-0 too) and beyond 10¹⁵, the format itself.
    static func appendNumber(_ value: Double, to text: inout [UInt8]) {
        let tenfold = value * 10
        // The exact product is tenfold + error.
        let error = (-tenfold).addingProduct(value, 10)
        let nearest = tenfold.rounded()
        guard value.sign == .plus, value < 1e15, abs(tenfold - nearest) < 0.499, abs(error) < 0.001 else {
            text += Array(String(format: "%.1f", value).utf8)
            return
        }
        let tenths = Int(nearest)
        appendDigits(tenths / 10, to: &text)
        text.append(UInt8(ascii: "."))
        text.append(UInt8(ascii: "0") + UInt8(tenths % 10))
    }

    private static func appendDigits(_ value: Int, to text: inout [UInt8]) {
        if value >= 10 { appendDigits(value / 10, to: &text) }
        text.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    static func double(_ value: Decimal) -> Double { NSDecimalNumber(decimal: value).doubleValue }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
