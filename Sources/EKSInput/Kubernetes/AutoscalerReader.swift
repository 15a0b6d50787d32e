import Autoscaling
import EKSModel
import Foundation
import Yams

/// A `scaleTargetRef` / `targetRef`: the workload an autoscaler acts on.
struct TargetReference {
    var kind: String
    var name: String
    var location: SourceLocation
}

/// An autoscaler read from a manifest, waiting to be matched with its target.
struct PendingAutoscaler<Spec> {
    var owner: String
    var namespace: String
    var target: TargetReference
    var spec: Spec
    var location: SourceLocation
}

/// Reads HorizontalPodAutoscalers (autoscaling/v2, v2beta2 and v1) and VerticalPodAutoscalers
/// (autoscaling.k8s.io/v1) into the Autoscaling module's types.
enum AutoscalerReader {
    static func readTarget(_ spec: MappingReader, key: String, owner: String) -> TargetReference? {
        guard let ref = spec.mapping(key, what: "\(key) of \(owner)", allowedKeys: ["apiVersion", "kind", "name"])
        else {
            if !spec.has(key) { spec.missing(key, "the workload it scales: {apiVersion, kind, name}") }
            return nil
        }
        let kind = ref.string("kind", required: "the kind of the target, such as Deployment")
        let name = ref.string("name", required: "the target's name")
        guard let kind, let name else { return nil }
        return TargetReference(kind: kind, name: name, location: ref.context.location(ref.node))
    }

    /// `spec` of an autoscaling/v2 (or v2beta2) HPA, or of an autoscaling/v1 one when `v1`.
    static func readHPA(_ spec: MappingReader, v1: Bool, owner: String) -> (
        TargetReference, HorizontalPodAutoscalerSpec
    )? {
        let target = readTarget(spec, key: "scaleTargetRef", owner: owner)
        guard let hpa = readHPASpec(spec, v1: v1, owner: owner), let target else { return nil }
        return (target, hpa)
    }

    /// The HPA spec without its target: a manifest's `spec`, or a scenario workload's `hpa`.
    static func readHPASpec(_ spec: MappingReader, v1: Bool, owner: String) -> HorizontalPodAutoscalerSpec? {
        let context = spec.context
        let minReplicas = spec.integer("minReplicas", in: 0...1_000_000)
        let maxReplicas = spec.integer("maxReplicas", in: 0...1_000_000, required: "the most replicas it may set")
        var hpa = HorizontalPodAutoscalerSpec(minReplicas: minReplicas, maxReplicas: maxReplicas ?? 1)
        if v1 {
            // autoscaling/v1: one CPU utilization target (default 80 %, applied by the v2 defaulting).
            if let percent = spec.integer("targetCPUUtilizationPercentage", in: 1...100_000) {
                hpa.metrics = [.resource(.cpu, .utilization(percent: percent))]
            }
        } else {
            for (path, node) in spec.list("metrics") ?? [] {
                if let metric = readMetric(node, path: path, owner: owner, context: context) {
                    hpa.metrics.append(metric)
                }
            }
            if let behavior = spec.mapping(
                "behavior", what: "behavior of \(owner)", allowedKeys: ["scaleUp", "scaleDown"])
            {
                hpa.behavior = Behavior(
                    scaleUp: readRules(behavior, "scaleUp", owner: owner),
                    scaleDown: readRules(behavior, "scaleDown", owner: owner))
            }
        }
        guard maxReplicas != nil else { return nil }
        // What the API server would refuse (kubernetes pkg/apis/autoscaling/validation).
        for problem in hpa.problems() {
            context.error("\(owner): \(problem)", at: spec.node)
        }
        return hpa
    }

    static func readMetric(_ node: Node, path: String, owner: String, context: YAMLDiagnostics) -> MetricSpec? {
        guard
            let map = MappingReader(
                node, context: context, path: path, what: "a metric of \(owner)",
                allowedKeys: [
                    "type", "resource", "containerResource", "pods", "object", "external",
                ])
        else { return nil }
        let types = ["Resource", "ContainerResource", "Pods", "Object", "External"]
        guard let type = map.choice("type", from: types) else {
            if !map.has("type") { map.missing("type", types.joined(separator: ", ")) }
            return nil
        }
        func section(_ key: String, _ keys: [String]) -> MappingReader? {
            guard let section = map.mapping(key, what: "\(key) of a metric of \(owner)", allowedKeys: keys) else {
                if !map.has(key) { map.missing(key, "the \(type) metric's settings") }
                return nil
            }
            return section
        }
        func metricName(_ parent: MappingReader) -> String? {
            guard
                let metric = parent.mapping(
                    "metric", what: "metric of \(parent.what)", allowedKeys: ["name", "selector"])
            else {
                if !parent.has("metric") { parent.missing("metric", "the metric's name") }
                return nil
            }
            return metric.string("name", required: "the metric's name")
        }
        switch type {
        case "Resource", "ContainerResource":
            let key = type == "Resource" ? "resource" : "containerResource"
            let keys = type == "Resource" ? ["name", "target"] : ["name", "container", "target"]
            guard let resource = section(key, keys) else { return nil }
            if type == "ContainerResource" {
                context.warning(
                    "\(owner): a ContainerResource metric is treated as the pod's Resource metric of the same name",
                    at: resource.node)
            }
            let name = resource.choice("name", from: ["cpu", "memory"]).flatMap(ResourceName.init)
            if name == nil && !resource.has("name") { resource.missing("name", "cpu or memory") }
            guard let target = readTarget(resource, allowed: ["Utilization", "AverageValue"]), let name else {
                return nil
            }
            switch target {
            case .utilization(let percent): return .resource(name, .utilization(percent: percent))
            case .averageValue(let value): return .resource(name, .averageValue(value))
            case .value: return nil
            }
        case "Pods":
            guard let pods = section("pods", ["metric", "target"]) else { return nil }
            guard let name = metricName(pods), let target = readTarget(pods, allowed: ["AverageValue"]),
                case .averageValue(let value) = target
            else { return nil }
            return .pods(name: name, averageValue: value)
        case "Object":
            guard let object = section("object", ["describedObject", "metric", "target"]) else { return nil }
            _ = object.value("describedObject")
            guard let name = metricName(object), let target = readTarget(object, allowed: ["Value", "AverageValue"])
            else { return nil }
            return .object(name: name, target: target.valueTarget!)
        default:
            guard let external = section("external", ["metric", "target"]) else { return nil }
            guard let name = metricName(external),
                let target = readTarget(external, allowed: ["Value", "AverageValue"])
            else { return nil }
            return .external(name: name, target: target.valueTarget!)
        }
    }

    enum Target {
        case utilization(Int)
        case averageValue(MetricQuantity)
        case value(MetricQuantity)

        var valueTarget: ValueTarget? {
            switch self {
            case .value(let value): .value(value)
            case .averageValue(let value): .averageValue(value)
            case .utilization: nil
            }
        }
    }

    /// `target: {type, averageUtilization | averageValue | value}`.
    static func readTarget(_ parent: MappingReader, allowed: [String]) -> Target? {
        guard
            let target = parent.mapping(
                "target", what: "target of \(parent.what)",
                allowedKeys: [
                    "type", "averageUtilization", "averageValue", "value",
                ])
        else {
            if !parent.has("target") { parent.missing("target", "{type: \(allowed.joined(separator: " | ")), …}") }
            return nil
        }
        guard let type = target.choice("type", from: allowed) else {
            if !target.has("type") { target.missing("type", allowed.joined(separator: ", ")) }
            return nil
        }
        func quantity(_ key: String) -> MetricQuantity? {
            guard let quantity = target.quantity(key) else {
                if !target.has(key) {
                    target.missing(
                        key, "the target \(type == "Value" ? "value" : "average per pod"), such as 500m or 100")
                }
                return nil
            }
            // The controller compares milli-values (MetricQuantity); a target beyond what a load
            // curve can give (10^12) could never be reached.
            guard quantity.amount <= InputLimits.curveValue.upperBound else {
                target.context.error(
                    "'\(key)' in \(target.what) must be at most 1000000000000 (10^12), found '\(quantity.text)'",
                    at: target.value(key)!)
                return nil
            }
            return MetricQuantity(milliValue: quantity.milliValue)
        }
        switch type {
        case "Utilization":
            return target.integer(
                "averageUtilization", in: 1...100_000, required: "the target utilization in % of the requests"
            ).map(Target.utilization)
        case "AverageValue": return quantity("averageValue").map(Target.averageValue)
        default: return quantity("value").map(Target.value)
        }
    }

    static func readRules(_ behavior: MappingReader, _ key: String, owner: String) -> ScalingRules? {
        guard
            let map = behavior.mapping(
                key, what: "\(key) of \(owner)",
                allowedKeys: [
                    "stabilizationWindowSeconds", "selectPolicy", "policies", "tolerance",
                ])
        else { return nil }
        var rules = ScalingRules()
        rules.stabilizationWindowSeconds = map.integer("stabilizationWindowSeconds", in: 0...Int(Int32.max))
        rules.selectPolicy = map.choice("selectPolicy", from: ["Max", "Min", "Disabled"]).flatMap(SelectPolicy.init)
        if let items = map.list("policies") {
            rules.policies = items.compactMap { item in
                guard
                    let policy = MappingReader(
                        item.node, context: map.context, path: item.path, what: "a policy of \(key) of \(owner)",
                        allowedKeys: ["type", "value", "periodSeconds"])
                else { return nil }
                let type = policy.choice("type", from: ["Pods", "Percent"]).flatMap(ScalingPolicy.PolicyType.init)
                if type == nil && !policy.has("type") { policy.missing("type", "Pods or Percent") }
                // int32 in the API (autoscaling/v2 HPAScalingPolicy).
                let value = policy.integer("value", in: 0...Int(Int32.max), required: "pods or percent per period")
                let period = policy.integer(
                    "periodSeconds", in: 0...Int(Int32.max), required: "the period in seconds, up to 1800")
                guard let type, let value, let period else { return nil }
                return ScalingPolicy(type: type, value: value, periodSeconds: period)
            }
        }
        if let tolerance = map.quantity("tolerance") {
            rules.tolerance = NSDecimalNumber(decimal: tolerance.amount).doubleValue
        }
        return rules
    }

    /// `spec` of an autoscaling.k8s.io VerticalPodAutoscaler.
    static func readVPA(_ spec: MappingReader, owner: String) -> (TargetReference, VPASettings)? {
        let target = readTarget(spec, key: "targetRef", owner: owner)
        var settings = VPASettings()
        if let policy = spec.mapping(
            "updatePolicy", what: "updatePolicy of \(owner)",
            allowedKeys: [
                "updateMode", "minReplicas", "evictionRequirements",
            ]), let mode = policy.choice("updateMode", from: VPASettings.UpdateMode.allCases.map(\.rawValue))
        {
            settings.updateMode = VPASettings.UpdateMode(rawValue: mode)!
        }
        if let resourcePolicy = spec.mapping(
            "resourcePolicy", what: "resourcePolicy of \(owner)", allowedKeys: ["containerPolicies"])
        {
            readContainerPolicies(resourcePolicy, owner: owner, into: &settings)
        }
        _ = spec.value("recommenders")
        guard let target else { return nil }
        return (target, settings)
    }

    /// A scenario workload's `vpa`: `{updateMode, containerPolicies}`.
    static func readVPASettings(_ map: MappingReader, owner: String) -> VPASettings {
        var settings = VPASettings()
        if let mode = map.choice("updateMode", from: VPASettings.UpdateMode.allCases.map(\.rawValue)) {
            settings.updateMode = VPASettings.UpdateMode(rawValue: mode)!
        }
        readContainerPolicies(map, owner: owner, into: &settings)
        return settings
    }

    /// `containerPolicies: [{containerName, minAllowed, maxAllowed, …}]`.
    static func readContainerPolicies(_ parent: MappingReader, owner: String, into settings: inout VPASettings) {
        for (path, node) in parent.list("containerPolicies") ?? [] {
            guard
                let container = MappingReader(
                    node, context: parent.context, path: path, what: "a container policy of \(owner)",
                    allowedKeys: [
                        "containerName", "mode", "minAllowed", "maxAllowed", "controlledResources", "controlledValues",
                    ])
            else { continue }
            let name = container.string("containerName", required: "the container's name, or * for all") ?? "*"
            let minimum = WorkloadReader.readResourceList(container, "minAllowed")
            let maximum = WorkloadReader.readResourceList(container, "maxAllowed")
            if minimum.cpu != nil || minimum.memory != nil {
                settings.minAllowed[name] = ResourceRequests(
                    cpuMillicores: minimum.cpu ?? 0, memoryBytes: minimum.memory ?? 0)
            }
            if maximum.cpu != nil || maximum.memory != nil {
                // A bound not given is no bound.
                settings.maxAllowed[name] = ResourceRequests(
                    cpuMillicores: maximum.cpu ?? Int64.max, memoryBytes: maximum.memory ?? Int64.max)
            }
            for key in ["mode", "controlledResources", "controlledValues"] { _ = container.value(key) }
        }
    }

    /// A workload's `load`: `{cpu: curve/column, memory: curve/column, metrics: {name: curve/column}}`.
    static func readLoad(_ map: MappingReader, context: YAMLDiagnostics) -> WorkloadLoad {
        func reference(_ node: Node) -> CurveReference? {
            guard let text = node.scalarText, let reference = CurveReference(text) else {
                context.error(
                    "a load reference is written curve/column (or just curve for a shape), found \(node.kindDescription)",
                    at: node)
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
