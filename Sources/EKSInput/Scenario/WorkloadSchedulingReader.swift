import EKSModel
import Foundation
import Yams

extension WorkloadReader {
    static func readToleration(_ node: Node, path: String, owner: String, context: YAMLDiagnostics) -> Toleration? {
        guard
            let map = MappingReader(
                node, context: context, path: path, what: "a toleration of \(owner)",
                allowedKeys: ["key", "operator", "value", "effect", "tolerationSeconds"])
        else { return nil }
        var toleration = Toleration(key: map.string("key") ?? "")
        if let op = map.choice("operator", from: Toleration.Operator.allCases.map(\.rawValue)) {
            toleration.operator = Toleration.Operator(rawValue: op)!
        }
        toleration.value = map.string("value") ?? ""
        toleration.effect = map.choice("effect", from: Taint.Effect.allCases.map(\.rawValue)).flatMap(Taint.Effect.init)
        _ = map.value("tolerationSeconds")
        if toleration.key.isEmpty && toleration.operator == .equal {
            context.error(
                "a toleration without a key must use operator: Exists (it then tolerates every taint)", at: node)
        }
        return toleration
    }

    static func readTaint(_ node: Node, path: String, owner: String, context: YAMLDiagnostics) -> Taint? {
        guard
            let map = MappingReader(
                node, context: context, path: path, what: "a taint of \(owner)",
                allowedKeys: ["key", "value", "effect"])
        else { return nil }
        let key = map.string("key", required: "the taint key") ?? ""
        let effect = map.choice("effect", from: Taint.Effect.allCases.map(\.rawValue)).flatMap(Taint.Effect.init)
        if effect == nil && !map.has("effect") { map.missing("effect", "NoSchedule, PreferNoSchedule or NoExecute") }
        return Taint(key: key, value: map.string("value") ?? "", effect: effect ?? .noSchedule)
    }

    static func readNodeAffinity(_ affinity: MappingReader, context: YAMLDiagnostics) -> [[NodeSelectorRequirement]] {
        guard
            let nodeAffinity = affinity.mapping(
                "nodeAffinity", what: "nodeAffinity",
                allowedKeys: [
                    "requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution",
                ])
        else { return [] }
        _ = nodeAffinity.value("preferredDuringSchedulingIgnoredDuringExecution")
        guard
            let required = nodeAffinity.mapping(
                "requiredDuringSchedulingIgnoredDuringExecution",
                what: "requiredDuringSchedulingIgnoredDuringExecution",
                allowedKeys: ["nodeSelectorTerms"])
        else { return [] }
        var terms: [[NodeSelectorRequirement]] = []
        for (path, node) in required.list("nodeSelectorTerms") ?? [] {
            guard
                let term = MappingReader(
                    node, context: context, path: path, what: "a nodeSelectorTerm",
                    allowedKeys: ["matchExpressions", "matchFields"])
            else { continue }
            _ = term.value("matchFields")
            var requirements: [NodeSelectorRequirement] = []
            for (expressionPath, expressionNode) in term.list("matchExpressions") ?? [] {
                guard
                    let expression = MappingReader(
                        expressionNode, context: context, path: expressionPath, what: "a matchExpression",
                        allowedKeys: ["key", "operator", "values"])
                else { continue }
                let key = expression.string("key", required: "a node label key") ?? ""
                guard
                    let op = expression.choice(
                        "operator", from: NodeSelectorRequirement.Operator.allCases.map(\.rawValue)
                    )
                    .flatMap(NodeSelectorRequirement.Operator.init)
                else {
                    if !expression.has("operator") {
                        expression.missing("operator", "In, NotIn, Exists, DoesNotExist, Gt or Lt")
                    }
                    continue
                }
                let values = (expression.list("values") ?? []).compactMap { $0.node.scalarText }
                requirements.append(NodeSelectorRequirement(key: key, operator: op, values: values))
            }
            terms.append(requirements)
        }
        return terms
    }

    /// A mapping of text to text (labels, nodeSelector).
    static func stringMap(_ map: MappingReader, _ key: String) -> [String: String]? {
        guard let node = map.value(key) else { return nil }
        guard case .mapping(let entries) = node else {
            map.context.error(
                "'\(key)' in \(map.what) must be a mapping of text to text, found \(node.kindDescription)", at: node)
            return nil
        }
        var result: [String: String] = [:]
        for (keyNode, valueNode) in entries {
            guard let key = keyNode.scalarText, let value = valueNode.scalarText else {
                map.context.error("'\(key)' in \(map.what) must map text to text", at: valueNode)
                continue
            }
            result[key] = value
        }
        return result
    }
}
