import EKSModel
import Foundation
import Yams

/// The documents of a YAML file (`---`-separated, as `helm template` and `kubectl get -o yaml`
/// print them), each with its 1-based number so diagnostics can say which one they are about.
enum YAMLDocuments {
    /// The file's text, or a located error saying why it cannot be read.
    static func text(ofFile path: String, what: String) -> (text: String?, diagnostic: Diagnostic?) {
        InputFile.text(path, what: what)
    }

    /// Every document that holds something (empty documents, such as the one before a leading
    /// `---`, are left out but still counted). A syntax error is reported in `context`, with the
    /// document it is in; the documents before it are returned.
    static func parse(_ yaml: String, context: YAMLDiagnostics) -> [(number: Int, node: Node)] {
        var documents: [(number: Int, node: Node)] = []
        var count = 0
        if let line = ComplexKeys.firstLine(in: yaml) {
            context.diagnostics.append(ComplexKeys.diagnostic(line: line, file: context.file))
            return []
        }
        do {
            let parser = try Parser(yaml: yaml)
            while let node = try parser.nextRoot() {
                count += 1
                documents.append((count, node))
            }
        } catch {
            // The failing document is the one after the last complete one.
            if count > 0 { context.document = count + 1 }
            context.syntaxError(error)
        }
        context.document = nil
        return documents.filter { !$0.node.isNull }
    }

    /// Whether `documents` came from a file with more than one document.
    static func numbered(_ documents: [(number: Int, node: Node)]) -> Bool {
        documents.count > 1 || documents.contains { $0.number > 1 }
    }
}
