import EKSModel

/// Finds mapping keys that are lists or mappings (YAML's complex keys: `? [a, b]` or
/// `[a, b]: value`) before the text reaches Yams. ekscost reads none (every key it knows is a
/// plain name), and Yams' duplicate-key check sorts such keys with a comparison that is
/// exponential in their nesting: a 2 KB file found by fuzzing (FuzzEksctl) kept it busy for
/// minutes. One linear pass over the text, skipping quoted strings, comments and block
/// scalars (`|`, `>`), finds them first. Lines end where libyaml's do (`IS_BREAK` in
/// yaml_private.h: CR LF, CR, LF, NEL, LS, PS): a file of lone CRs hid its keys from a pass
/// that split at LF only (FuzzScenario, timeout).
enum ComplexKeys {
    /// The 1-based line of the first complex key, if there is one.
    static func firstLine(in text: String) -> Int? {
        var blockIndent: Int?  // inside a block scalar started at this indentation
        var lineNumber = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: Self.isLineBreak) {
            lineNumber += 1
            let bytes = Array(line.utf8)
            let indent = bytes.prefix { $0 == UInt8(ascii: " ") }.count
            let blank = bytes.allSatisfy {
                $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t")
            }
            if let start = blockIndent {
                if blank || indent > start { continue }
                blockIndent = nil
            }
            if blank { continue }
            if let found = scan(bytes[indent...]) {
                if found == .complexKey { return lineNumber }
                blockIndent = indent
            }
        }
        return nil
    }

    /// YAML's line breaks as libyaml counts them; `"\r\n"` is one `Character`.
    static func isLineBreak(_ character: Character) -> Bool {
        switch character {
        case "\n", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}": true
        default: false
        }
    }

    enum Finding { case complexKey, blockScalar }

    /// Looks at one line's content (after its indentation).
    static func scan(_ content: ArraySlice<UInt8>) -> Finding? {
        let space = UInt8(ascii: " ")
        let tab = UInt8(ascii: "\t")
        var quote: UInt8?
        var tokenStart = true  // at the start of a token: after indentation, "- ", "[", "{", ","
        var lastSignificant: UInt8?
        var index = content.startIndex
        var text = content
        if text.last == UInt8(ascii: "\r") { text = text.dropLast() }
        while index < text.endIndex {
            let byte = text[index]
            if let open = quote {
                if byte == open {
                    // '' inside single quotes is an escaped quote.
                    if open == UInt8(ascii: "'"), index + 1 < text.endIndex, text[index + 1] == open {
                        index += 2
                        continue
                    }
                    quote = nil
                } else if byte == UInt8(ascii: "\\"), open == UInt8(ascii: "\"") {
                    index += 1
                }
                lastSignificant = byte
                index += 1
                continue
            }
            let next: UInt8? = index + 1 < text.endIndex ? text[index + 1] : nil
            let followedBySpace = next == nil || next == space || next == tab
            switch byte {
            case space, tab:
                index += 1
                continue
            case UInt8(ascii: "#") where index == text.startIndex || text[index - 1] == space || text[index - 1] == tab:
                index = text.endIndex
                continue
            case UInt8(ascii: "\""),
                UInt8(ascii: "'") where tokenStart:
                quote = byte
                tokenStart = false
            case UInt8(ascii: "?") where tokenStart && followedBySpace:
                return .complexKey
            case UInt8(ascii: "-") where tokenStart && followedBySpace:
                break  // a list item: the next token starts anew
            case UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ","):
                tokenStart = true
                lastSignificant = byte
                index += 1
                continue
            case UInt8(ascii: ":") where followedBySpace:
                // A key that ends with a closing bracket is a list or mapping used as a key.
                if lastSignificant == UInt8(ascii: "]") || lastSignificant == UInt8(ascii: "}") { return .complexKey }
                tokenStart = true
                lastSignificant = byte
                index += 1
                continue
            default:
                tokenStart = false
            }
            lastSignificant = byte
            index += 1
        }
        // `key: |`, `- >-`, `|2`: a block scalar starts; its lines are text, not YAML.
        if let last = lastSignificantOutsideComment(text), quote == nil {
            var tail = Array(text[..<last].reversed().prefix { $0 != space && $0 != tab }.reversed())
            tail.append(text[last])
            if let first = tail.first, first == UInt8(ascii: "|") || first == UInt8(ascii: ">"),
                tail.dropFirst().allSatisfy({
                    $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-")
                        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                })
            {
                return .blockScalar
            }
        }
        return nil
    }

    /// The index of the last character before a trailing comment and blanks.
    static func lastSignificantOutsideComment(_ text: ArraySlice<UInt8>) -> Int? {
        var end = text.endIndex
        if let hash = text.indices.first(where: {
            text[$0] == UInt8(ascii: "#") && ($0 == text.startIndex || text[$0 - 1] == UInt8(ascii: " "))
        }) {
            end = hash
        }
        var index = end - 1
        while index >= text.startIndex, text[index] == UInt8(ascii: " ") || text[index] == UInt8(ascii: "\t") {
            index -= 1
        }
        return index >= text.startIndex ? index : nil
    }

    /// The located error for a complex key at `line` of `file`.
    static func diagnostic(line: Int, file: String) -> Diagnostic {
        .error(
            "a mapping key here is a list or a mapping (YAML's '? key' or '[a, b]: value'); ekscost reads plain keys only",
            at: SourceLocation(file: file, line: line))
    }
}
