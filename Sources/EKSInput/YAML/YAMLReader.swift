import EKSModel
import Foundation
import Yams

/// Collects what a YAML file says and what is wrong with it, with line and column.
final class YAMLDiagnostics {
    let file: String
    /// 1-based document number, set for multi-document files.
    var document: Int?
    var diagnostics: [Diagnostic] = []
    /// Model key path → where it was written.
    var locations: [String: SourceLocation] = [:]

    init(file: String) { self.file = file }

    func location(_ node: Node) -> SourceLocation {
        location(node.mark)
    }

    func location(_ mark: Mark?) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column, document: document)
    }

    func error(_ message: String, at node: Node) {
        diagnostics.append(.error(message, at: location(node)))
    }

    func warning(_ message: String, at node: Node) {
        diagnostics.append(.warning(message, at: location(node)))
    }

    /// Turns a Yams parse error into a located diagnostic.
    func syntaxError(_ error: any Error) {
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                var message = "invalid YAML: \(problem)"
                if let context { message += " \(context.text)" }
                diagnostics.append(.error(message, at: location(mark)))
                return
            case .duplicatedKeysInMapping(let duplicates, let context):
                diagnostics.append(
                    .error(
                        "invalid YAML: duplicate keys \(duplicates.joined(separator: ", ")) \(context.text)",
                        at: location(context.mark)))
                return
            case .reader(let problem, _, _, _):
                diagnostics.append(.error("cannot read YAML: \(problem)", at: SourceLocation(file: file, line: 1)))
                return
            default: break
            }
        }
        diagnostics.append(.error("invalid YAML: \(error)", at: SourceLocation(file: file, line: 1)))
    }
}

/// A YAML node's scalar text with its type checked, for messages like "expected a whole number".
extension Node {
    var scalarText: String? {
        if case .scalar(let scalar) = self { return scalar.string }
        return nil
    }

    /// Whether the scalar is YAML's null (`~`, `null` or nothing).
    var isNull: Bool {
        guard case .scalar(let scalar) = self, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// `a mapping`, `a list`, `the text "x"`: what was found, for error messages.
    var kindDescription: String {
        switch self {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar): scalar.string.isEmpty ? "nothing" : "\"\(scalar.string)\""
        case .alias: "an alias"
        }
    }
}

/// Reads one YAML mapping: each key at most once, unknown keys reported with a "did you mean"
/// hint, values type-checked, and every value's location recorded under its model path.
struct MappingReader {
    let node: Node
    let pairs: [(key: String, keyNode: Node, value: Node)]
    let context: YAMLDiagnostics
    /// Model key path of this mapping (`clusters[0]`), "" at the top.
    let path: String
    /// What the mapping is, for messages: "node group ng-1".
    let what: String

    /// Nil (with an error) when `node` is not a mapping. `what` names the mapping in messages;
    /// when `named` is given and the mapping has a `name`, it becomes "<named> <name>"
    /// ("node group general"), else `what`.
    init?(
        _ node: Node, context: YAMLDiagnostics, path: String, what: String, named: String? = nil,
        allowedKeys: [String]
    ) {
        guard case .mapping(let mapping) = node else {
            context.error("\(what) must be a mapping of keys to values, found \(node.kindDescription)", at: node)
            return nil
        }
        self.node = node
        self.context = context
        self.path = path
        var what = what
        if let named, let name = mapping.first(where: { $0.key.scalarText == "name" })?.value.scalarText, !name.isEmpty
        {
            what = "\(named) \(name)"
        }
        self.what = what
        var pairs: [(String, Node, Node)] = []
        for (keyNode, value) in mapping {
            let key = keyNode.scalarText ?? ""
            if !allowedKeys.contains(key) {
                var message = "unknown key '\(key)' in \(what)"
                if let hint = EditDistance.closest(to: key, in: allowedKeys) {
                    message += "; did you mean '\(hint)'?"
                } else {
                    message += "; expected one of: \(allowedKeys.joined(separator: ", "))"
                }
                context.error(message, at: keyNode)
                continue
            }
            pairs.append((key, keyNode, value))
        }
        self.pairs = pairs
        context.locations[path.isEmpty ? "." : path] = context.location(node)
    }

    func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The value of `key`, recording its location; nil when absent or null.
    func value(_ key: String) -> Node? {
        guard let pair = pairs.first(where: { $0.key == key }), !pair.value.isNull else { return nil }
        context.locations[childPath(key)] = context.location(pair.value)
        return pair.value
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    func missing(_ key: String, _ expectation: String) {
        context.diagnostics.append(.error("\(what) needs '\(key)': \(expectation)", at: context.location(node)))
    }

    /// A scalar as text. Lists and mappings are an error.
    func string(_ key: String, required expectation: String? = nil) -> String? {
        guard let node = value(key) else {
            if let expectation { missing(key, expectation) }
            return nil
        }
        guard let text = node.scalarText else {
            context.error("'\(key)' in \(what) must be text, found \(node.kindDescription)", at: node)
            return nil
        }
        return text
    }

    /// A whole number in `range`.
    func integer(_ key: String, in range: ClosedRange<Int> = 0...Int.max, required expectation: String? = nil) -> Int? {
        guard let node = value(key) else {
            if let expectation { missing(key, expectation) }
            return nil
        }
        guard let text = node.scalarText, let number = Int(text) else {
            context.error("'\(key)' in \(what) must be a whole number, found \(node.kindDescription)", at: node)
            return nil
        }
        guard range.contains(number) else {
            let bounds =
                range.upperBound == Int.max
                ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
            context.error("'\(key)' in \(what) must be \(bounds), found \(number)", at: node)
            return nil
        }
        return number
    }

    /// A plain decimal number greater than zero and at most `maximum` (hours, prices).
    func positiveDecimal(_ key: String, maximum: Decimal = 1_000_000_000_000) -> Decimal? {
        guard let node = value(key) else { return nil }
        guard let text = node.scalarText, let number = DecimalText.parse(text), number > 0, number <= maximum else {
            context.error(
                "'\(key)' in \(what) must be a number greater than 0 and at most \(DecimalText.format(maximum)), found \(node.kindDescription)",
                at: node)
            return nil
        }
        return number
    }

    func bool(_ key: String) -> Bool? {
        guard let node = value(key) else { return nil }
        switch node.scalarText {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            context.error("'\(key)' in \(what) must be true or false, found \(node.kindDescription)", at: node)
            return nil
        }
    }

    /// One of a fixed set of words.
    func choice(_ key: String, from choices: [String]) -> String? {
        guard let text = string(key) else { return nil }
        guard choices.contains(text) else {
            var message = "'\(key)' in \(what) must be one of \(choices.joined(separator: ", ")), found \"\(text)\""
            if let hint = EditDistance.closest(to: text, in: choices) { message += "; did you mean '\(hint)'?" }
            context.error(message, at: value(key)!)
            return nil
        }
        return text
    }

    func date(_ key: String) -> CalendarDate? {
        guard let text = string(key) else { return nil }
        guard let date = CalendarDate(text) else {
            context.error("'\(key)' in \(what) must be a date written YYYY-MM-DD, found \"\(text)\"", at: value(key)!)
            return nil
        }
        return date
    }

    /// A Kubernetes quantity (`500m`, `2Gi`).
    func quantity(_ key: String) -> ResourceQuantity? {
        guard let node = value(key) else { return nil }
        guard let text = node.scalarText else {
            context.error(
                "'\(key)' in \(what) must be a quantity such as 500m or 2Gi, found \(node.kindDescription)", at: node)
            return nil
        }
        switch ResourceQuantity.parse(text) {
        case .success(let quantity): return quantity
        case .failure(let error):
            context.error("'\(key)' in \(what): \(error)", at: node)
            return nil
        }
    }

    func mapping(_ key: String, what: String, allowedKeys: [String]) -> MappingReader? {
        guard let node = value(key) else { return nil }
        return MappingReader(node, context: context, path: childPath(key), what: what, allowedKeys: allowedKeys)
    }

    /// The items of a list, each with its model path (`clusters[0]`).
    func list(_ key: String, required expectation: String? = nil) -> [(path: String, node: Node)]? {
        guard let node = value(key) else {
            if let expectation { missing(key, expectation) }
            return nil
        }
        guard case .sequence(let sequence) = node else {
            context.error("'\(key)' in \(what) must be a list, found \(node.kindDescription)", at: node)
            return nil
        }
        return sequence.enumerated().map { ("\(childPath(key))[\($0.offset)]", $0.element) }
    }
}
