/// Swift identifiers made from ids, event names and JSON keys.
enum SwiftNames {
    /// `compute-square` → `computeSquare`; `shop/order.placed` → `shopOrderPlaced`.
    static func lowerCamel(_ text: String) -> String {
        let words = words(of: text)
        guard let first = words.first else { return "_" }
        let joined = first.lowercasedFirst + words.dropFirst().map(\.uppercasedFirst).joined()
        return identifier(joined)
    }

    /// `shop/order.placed` → `ShopOrderPlaced`.
    static func upperCamel(_ text: String) -> String {
        let joined = words(of: text).map(\.uppercasedFirst).joined()
        return identifier(joined.isEmpty ? "_" : joined)
    }

    /// A name usable as written: a leading digit gets `_`, a keyword gets backticks.
    static func identifier(_ name: String) -> String {
        var name = name
        if let first = name.first, first.isNumber { name = "_" + name }
        return keywords.contains(name) ? "`\(name)`" : name
    }

    /// Appends 2, 3, … to `name` until `taken` does not contain it, and takes it.
    static func unique(_ name: String, in taken: inout Set<String>) -> String {
        var candidate = name
        var counter = 2
        while taken.contains(candidate) {
            candidate = name.hasSuffix("`") ? "`\(name.dropFirst().dropLast())\(counter)`" : "\(name)\(counter)"
            counter += 1
        }
        taken.insert(candidate)
        return candidate
    }

    /// A Swift string literal with its content escaped.
    static func stringLiteral(_ text: String) -> String {
        quoted(text) { scalar in scalar.value < 0x20 ? "\\u{\(String(scalar.value, radix: 16))}" : nil }
    }

    /// `text` in double quotes with backslash, `"`, newline, carriage return and tab escaped, and any
    /// other scalar as `escape` spells it (`nil`: as it is).
    static func quoted(_ text: String, escape: (Unicode.Scalar) -> String?) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default:
                if let spelled = escape(scalar) { escaped += spelled } else { escaped.unicodeScalars.append(scalar) }
            }
        }
        return "\"\(escaped)\""
    }

    /// A raw multi-line string literal holding `text` verbatim, with enough `#`s that no
    /// sequence in the text closes it early.
    static func rawMultilineLiteral(_ text: String) -> String {
        var hashes = "#"
        while text.contains("\"\"\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
        return "\(hashes)\"\"\"\n\(text)\n\"\"\"\(hashes)"
    }

    private static func words(of text: String) -> [Substring] {
        // Split on separators and on lower→upper case changes, keeping acronyms together.
        var words: [Substring] = []
        for part in text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }) {
            var start = part.startIndex
            var index = part.index(after: start)
            while index < part.endIndex {
                let previous = part[part.index(before: index)]
                if part[index].isUppercase && previous.isLowercase {
                    words.append(part[start..<index])
                    start = index
                }
                index = part.index(after: index)
            }
            words.append(part[start...])
        }
        return words
    }

    private static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
        "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do", "else",
        "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while", "Any", "as",
        "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "Type", "Protocol",
    ]
}

extension Substring {
    fileprivate var uppercasedFirst: String { prefix(1).uppercased() + dropFirst() }
    /// An all-caps word is an acronym: `EUR` → `eur`, not `eUR`.
    fileprivate var lowercasedFirst: String {
        allSatisfy { $0.isUppercase || $0.isNumber } ? lowercased() : prefix(1).lowercased() + dropFirst()
    }
}
