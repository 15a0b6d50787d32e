import Autoscaling
import EKSModel
import Foundation
import Yams

/// Reads HorizontalPodAutoscaler and VerticalPodAutoscaler specs in their Kubernetes shape
/// (`autoscaling/v2` HPA spec without `scaleTargetRef`; `targetCPUUtilizationPercentage` as in
/// autoscaling/v1), and a workload's load-curve references.
enum AutoscalerReader {
    static func readHPA(_ map: MappingReader, context: YAMLDiagnostics) -> HorizontalPodAutoscalerSpec? {
        var spec = HorizontalPodAutoscalerSpec(
            minReplicas: map.integer("minReplicas", in: 0...100_000),
            maxReplicas: map.integer("maxReplicas", in: 1...100_000, required: "the most replicas the HPA may set") ?? 1)
        if let percent = map.integer("targetCPUUtilizationPercentage", in: 1...10_000) {
            spec.metrics = [.resource(.cpu, .utilization(percent: percent))]
        }
        for (path, node) in map.list("metrics") ?? [] {
            if let metric = readMetric(node, path: path, owner: map.what, context: context) { spec.metrics.append(metric) }
        }
        if let behavior = map.mapping("behavior", what: "behavior of \(map.what)", allowedKeys: ["scaleUp", "scaleDown"]) {
            var result = Behavior()
            for direction in ["scaleUp", "scaleDown"] {
                guard let rules = behavior.mapping(direction, what: "\(direction) of \(map.what)", allowedKeys: [
                    "stabilizationWindowSeconds", "selectPolicy", "policies", "tolerance",
                ]) else { continue }
                var scaling = ScalingRules(stabilizationWindowSeconds: rules.integer("stabilizationWindowSeconds", in: 0...3600))
                scaling.selectPolicy = rules.choice("selectPolicy", from: ["Max", "Min", "Disabled"]).flatMap(SelectPolicy.init)
                if let items = rules.list("policies") {
                    scaling.policies = items.compactMap { item in
                        guard let policy = MappingReader(item.node, context: context, path: item.path, what: "a policy of \(direction)",
                                                         allowedKeys: ["type", "value", "periodSeconds"]) else { return nil }
                        guard let type = policy.choice("type", from: ["Pods", "Percent"]).flatMap(ScalingPolicy.PolicyType.init),
                              let value = policy.integer("value", in: 1...1_000_000, required: "how many pods or percent"),
                              let period = policy.integer("periodSeconds", in: 1...1800, required: "the policy's period, 1 to 1800 s")
                        else {
                            if !policy.has("type") { policy.missing("type", "Pods or Percent") }
                            return nil
                        }
                        return ScalingPolicy(type: type, value: value, periodSeconds: period)
                    }
                }
                if let tolerance = rules.value("tolerance") {
                    if let text = tolerance.scalarText, let value = Double(text), value >= 0 {
                        scaling.tolerance = value
                    } else {
                        context.error("tolerance of \(direction) must be a number ≥ 0 such as 0.1", at: tolerance)
                    }
                }
                if direction == "scaleUp" { result.scaleUp = scaling } else { result.scaleDown = scaling }
            }
            spec.behavior = result
        }
        for problem in spec.problems(scaleToZeroEnabled: true) {
            context.error("\(map.what): \(problem)", at: map.node)
        }
        return spec
    }

    static func readMetric(_ node: Node, path: String, owner: String, context: YAMLDiagnostics) -> MetricSpec? {
        guard let map = MappingReader(node, context: context, path: path, what: "a metric of \(owner)",
                                      allowedKeys: ["type", "resource", "pods", "object", "external", "containerResource"]) else { return nil }
        guard let type = map.choice("type", from: ["Resource", "Pods", "Object", "External"]) else {
            if !map.has("type") { map.missing("type", "Resource, Pods, Object or External") }
            return nil
        }
        switch type {
        case "Resource":
            guard let resource = map.mapping("resource", what: "resource of \(map.what)", allowedKeys: ["name", "target"]) else {
                map.missing("resource", "{name: cpu, target: {type: Utilization, averageUtilization: 70}}")
                return nil
            }
            guard let name = resource.choice("name", from: ["cpu", "memory"]).flatMap(ResourceName.init),
                  let target = resource.mapping("target", what: "target of \(map.what)",
                                                allowedKeys: ["type", "averageUtilization", "averageValue", "value"]) else {
                if !resource.has("name") { resource.missing("name", "cpu or memory") }
                if !resource.has("target") { resource.missing("target", "{type: Utilization, averageUtilization: 70}") }
                return nil
            }
            switch target.choice("type", from: ["Utilization", "AverageValue"]) {
            case "Utilization":
                guard let percent = target.integer("averageUtilization", in: 1...100_000, required: "a percentage of the requests") else { return nil }
                return .resource(name, .utilization(percent: percent))
            case "AverageValue":
                guard let value = quantity(target, "averageValue") else { return nil }
                return .resource(name, .averageValue(value))
            default:
                if !target.has("type") { target.missing("type", "Utilization or AverageValue") }
                return nil
            }
        default:
            let key = type.lowercased()
            guard let body = map.mapping(key, what: "\(key) of \(map.what)", allowedKeys: ["metric", "target", "describedObject"]) else {
                map.missing(key, "{metric: {name: …}, target: {…}}")
                return nil
            }
            _ = body.value("describedObject")
            guard let metric = body.mapping("metric", what: "metric of \(map.what)", allowedKeys: ["name", "selector"]),
                  let name = metric.string("name", required: "the metric's name"),
                  let target = body.mapping("target", what: "target of \(map.what)", allowedKeys: ["type", "value", "averageValue"]) else {
                if !body.has("metric") { body.missing("metric", "{name: …}") }
                if !body.has("target") { body.missing("target", "{type: AverageValue, averageValue: …}") }
                return nil
            }
            _ = metric.value("selector")
            let targetType = target.choice("type", from: type == "Pods" ? ["AverageValue"] : ["Value", "AverageValue"])
            let valueKey = targetType == "Value" ? "value" : "averageValue"
            guard targetType != nil, let value = quantity(target, valueKey) else {
                if !target.has("type") { target.missing("type", type == "Pods" ? "AverageValue" : "Value or AverageValue") }
                return nil
            }
            switch type {
            case "Pods": return .pods(name: name, averageValue: value)
            case "Object": return .object(name: name, target: targetType == "Value" ? .value(value) : .averageValue(value))
            default: return .external(name: name, target: targetType == "Value" ? .value(value) : .averageValue(value))
            }
        }
    }

    static func quantity(_ map: MappingReader, _ key: String) -> MetricQuantity? {
        guard let parsed = map.quantity(key) else {
            if !map.has(key) { map.missing(key, "a quantity such as 500m, 100 or 1Gi") }
            return nil
        }
        return MetricQuantity(milliValue: parsed.milliValue)
    }

    static func readVPA(_ map: MappingReader, context: YAMLDiagnostics) -> VPASettings {
        var settings = VPASettings()
        if let mode = map.choice("updateMode", from: VPASettings.UpdateMode.allCases.map(\.rawValue)) {
            settings.updateMode = VPASettings.UpdateMode(rawValue: mode)!
        }
        for (path, node) in map.list("containerPolicies") ?? [] {
            guard let policy = MappingReader(node, context: context, path: path, what: "a container policy of \(map.what)",
                                             allowedKeys: ["containerName", "minAllowed", "maxAllowed", "mode", "controlledResources"]) else { continue }
            let name = policy.string("containerName") ?? "*"
            _ = policy.value("mode")
            _ = policy.value("controlledResources")
            let minimum = WorkloadReader.readResourceList(policy, "minAllowed")
            let maximum = WorkloadReader.readResourceList(policy, "maxAllowed")
            if minimum.cpu != nil || minimum.memory != nil {
                settings.minAllowed[name] = ResourceRequests(cpuMillicores: minimum.cpu ?? 0, memoryBytes: minimum.memory ?? 0)
            }
            if maximum.cpu != nil || maximum.memory != nil {
                settings.maxAllowed[name] = ResourceRequests(cpuMillicores: maximum.cpu ?? Int64.max, memoryBytes: maximum.memory ?? Int64.max)
            }
        }
        return settings
    }

    static func readLoad(_ map: MappingReader, context: YAMLDiagnostics) -> WorkloadLoad {
        func reference(_ node: Node) -> CurveReference? {
            guard let text = node.scalarText, let reference = CurveReference(text) else {
                context.error("a load reference is written curve/column (or just curve for a shape), found \(node.kindDescription)", at: node)
                return nil
            }
            return reference
        }
        var load = WorkloadLoad()
        load.cpu = map.value("cpu").flatMap(reference)
        load.memory = map.value("memory").flatMap(reference)
        if let metrics = map.value("metrics") {
            if case .mapping(let entries) = metrics {
                for (key, value) in entries {
                    if let name = key.scalarText, let ref = reference(value) { load.metrics[name] = ref }
                }
            } else {
                context.error("metrics of \(map.what) must map metric names to curve/column", at: metrics)
            }
        }
        return load
    }
}
