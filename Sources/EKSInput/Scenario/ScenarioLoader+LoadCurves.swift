import EKSModel
import Foundation
import Yams

/// `spec.loadCurves`: curve files and parametric shapes.
extension ScenarioLoader {
    /// `loadCurves: [{name, file: relative/path.csv} | {name, shape: {base, peak, peakHours: "09-18", weekdays: [mon, …]}}]`.
    static func readLoadCurves(_ spec: MappingReader, file: String, context: YAMLDiagnostics) -> (
        [String: LoadCurve], Set<String>
    ) {
        var curves: [String: LoadCurve] = [:]
        var unreadable = Set<String>()
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        for (path, node) in spec.list("loadCurves") ?? [] {
            guard
                let map = MappingReader(
                    node, context: context, path: path, what: "a load curve", named: "load curve",
                    allowedKeys: ["name", "file", "shape"])
            else { continue }
            guard let name = map.string("name", required: "a name workloads refer to") else { continue }
            if curves[name] != nil { context.error("two load curves are named \(name)", at: map.value("name")!) }
            if let relative = map.string("file") {
                let resolved = relative.hasPrefix("/") ? relative : folder.appendingPathComponent(relative).path
                guard FileManager.default.fileExists(atPath: resolved) else {
                    context.error("load curve \(name): no file at \(resolved)", at: map.value("file")!)
                    unreadable.insert(name)
                    continue
                }
                let (curve, problems) = LoadCurveReader.read(path: resolved, name: name)
                context.diagnostics += problems
                if let curve { curves[name] = curve } else { unreadable.insert(name) }
            } else if let shape = map.mapping(
                "shape", what: "shape of \(map.what)", allowedKeys: ["base", "peak", "peakHours", "weekdays"])
            {
                if let parsed = readShape(shape, context: context) {
                    curves[name] = parsed.curve(name: name)
                } else {
                    unreadable.insert(name)
                }
            } else {
                map.missing("file", "a CSV file (hour_of_week or timestamp, then series) or a shape")
                unreadable.insert(name)
            }
        }
        return (curves, unreadable)
    }

    static func readShape(_ map: MappingReader, context: YAMLDiagnostics) -> ParametricShape? {
        func number(_ key: String) -> Double? {
            guard let node = map.value(key) else {
                map.missing(key, "a number ≥ 0")
                return nil
            }
            guard let text = node.scalarText else {
                context.error(
                    "\(key) of \(map.what) must be a number from 0 to 1000000000000, found \(node.kindDescription)",
                    at: node)
                return nil
            }
            switch CheckedNumber.decimal(text, in: InputLimits.curveValue) {
            case .success(let value): return NSDecimalNumber(decimal: value).doubleValue
            case .failure(let problem):
                context.error("\(key) of \(map.what) \(problem)", at: node)
                return nil
            }
        }
        let base = number("base")
        let peak = number("peak")
        var start = 9
        var end = 18
        if let hours = map.string("peakHours") {
            let parts = hours.split(separator: "-").map { Int($0.prefix(2)) }
            if parts.count == 2, let a = parts[0], let b = parts[1], (0...23).contains(a), (1...24).contains(b), a < b {
                start = a
                end = b
            } else {
                context.error(
                    "peakHours of \(map.what) must be written HH-HH such as 09-18, found \"\(hours)\"",
                    at: map.value("peakHours")!)
            }
        }
        var weekdays = Set(0...4)
        if let items = map.list("weekdays") {
            let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            weekdays = Set(
                items.compactMap { item in
                    guard let text = item.node.scalarText?.lowercased().prefix(3),
                        let index = names.firstIndex(of: String(text))
                    else {
                        context.error(
                            "weekdays take mon, tue, wed, thu, fri, sat, sun, found \(item.node.kindDescription)",
                            at: item.node)
                        return nil
                    }
                    return index
                })
        }
        guard let base, let peak else { return nil }
        return ParametricShape(base: base, peak: peak, peakStartHour: start, peakEndHour: end, weekdays: weekdays)
    }
}
