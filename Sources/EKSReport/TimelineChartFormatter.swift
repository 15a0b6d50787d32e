import EKSModel
import Foundation

/// `chart.svg`: nodes and hourly cost over a simulated period, a plain SVG any browser shows.
/// Nodes (all clusters, at the end of each step) are a blue step line on the left axis; the
/// cost of each step per hour a green step line on the right axis.
public struct TimelineChartFormatter: EstimateFormatter {
    public var fileName: String { "chart.svg" }

    public init() {}

    public func applies(to estimate: Estimate) -> Bool { estimate.capacity.contains { $0.timeline != nil } }

    public func format(_ estimate: Estimate) -> [UInt8] {
        let timelines = estimate.capacity.compactMap { plan in plan.timeline.map { ($0, plan.stepCostsUSD) } }
        guard let first = timelines.first?.0 else { return [] }
        let count = first.stepCount
        var nodes = Array(repeating: 0, count: count)
        var perHour = Array(repeating: Decimal(0), count: count)
        for (timeline, costs) in timelines {
            let nodesPerStep = timeline.nodesPerStep
            for index in 0..<min(count, timeline.stepCount) {
                nodes[index] += nodesPerStep[index]
                let seconds = timeline.stepSeconds[index]
                if index < costs.count, seconds > 0 { perHour[index] += costs[index] * 3600 / Decimal(seconds) }
            }
        }
        let width = 960.0, height = 360.0, left = 60.0, right = 70.0, top = 40.0, bottom = 50.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let maxNodes = max(1, nodes.max() ?? 1)
        let maxCost = max(0.01, perHour.map { NSDecimalNumber(decimal: $0).doubleValue }.max() ?? 0.01)
        func x(_ index: Int) -> Double { left + plotWidth * Double(index) / Double(count) }
        func yNodes(_ value: Int) -> Double { top + plotHeight * (1 - Double(value) / Double(maxNodes)) }
        func yCost(_ value: Double) -> Double { top + plotHeight * (1 - value / maxCost) }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        func steps(_ y: (Int) -> Double) -> String {
            var path = "M\(number(x(0))),\(number(y(0)))"
            for index in 0..<count {
                path += " H\(number(x(index + 1)))"
                if index + 1 < count { path += " V\(number(y(index + 1)))" }
            }
            return path
        }
        let stepHours = Double(first.stepSeconds.first ?? 3600) / 3600
        let totalHours = Double(count) * stepHours
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <title>\(escape(estimate.scenario)): nodes and hourly cost</title>
        <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="white"/>
        <text x="\(number(left))" y="22" font-size="15">\(escape(estimate.scenario)): nodes (blue, left) and cost per hour in USD (green, right)</text>

        """
        for tick in 0...4 {
            let fraction = Double(tick) / 4
            let y = top + plotHeight * (1 - fraction)
            svg += "<line x1=\"\(number(left))\" y1=\"\(number(y))\" x2=\"\(number(left + plotWidth))\" y2=\"\(number(y))\" stroke=\"#ddd\"/>\n"
            svg += "<text x=\"\(number(left - 8))\" y=\"\(number(y + 4))\" text-anchor=\"end\" fill=\"#1f5fbf\">\(number(Double(maxNodes) * fraction))</text>\n"
            svg += "<text x=\"\(number(left + plotWidth + 8))\" y=\"\(number(y + 4))\" fill=\"#2a8a3a\">\(String(format: "%.2f", maxCost * fraction))</text>\n"
        }
        let dayTicks = max(1, Int(totalHours / 24 / 10))
        var day = 0
        while Double(day) * 24 <= totalHours {
            let px = left + plotWidth * Double(day) * 24 / totalHours
            svg += "<line x1=\"\(number(px))\" y1=\"\(number(top + plotHeight))\" x2=\"\(number(px))\" y2=\"\(number(top + plotHeight + 5))\" stroke=\"#555\"/>\n"
            svg += "<text x=\"\(number(px))\" y=\"\(number(top + plotHeight + 20))\" text-anchor=\"middle\">day \(day)</text>\n"
            day += dayTicks
        }
        svg += "<rect x=\"\(number(left))\" y=\"\(number(top))\" width=\"\(number(plotWidth))\" height=\"\(number(plotHeight))\" fill=\"none\" stroke=\"#555\"/>\n"
        svg += "<path d=\"\(steps { yCost(NSDecimalNumber(decimal: perHour[$0]).doubleValue) })\" fill=\"none\" stroke=\"#2a8a3a\" stroke-width=\"1.5\"/>\n"
        svg += "<path d=\"\(steps { yNodes(nodes[$0]) })\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\"/>\n"
        svg += "<text x=\"\(number(left))\" y=\"\(number(height - 10))\">\(count) steps of \(number(stepHours)) h · peak \(maxNodes) nodes · \(DecimalText.usd(estimate.totalUSD)) USD for the period</text>\n"
        svg += "</svg>\n"
        return Array(svg.utf8)
    }

    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
