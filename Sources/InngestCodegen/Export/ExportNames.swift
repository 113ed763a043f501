import Foundation

/// Identifiers and literals for the exported Python and TypeScript modules: ASCII only, so
/// a name is valid in both languages whatever the manifest's ids and keys hold.
enum ExportNames {
    /// `compute-cube` → `ComputeCube`; `Type` when nothing of `text` is usable.
    static func pascal(_ text: String) -> String {
        let joined = words(text).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return startingWithLetter(joined.isEmpty ? "Type" : joined, prefix: "N")
    }

    /// `compute-cube` → `computeCube`.
    static func camel(_ text: String) -> String {
        let words = words(text)
        guard let first = words.first else { return "function" }
        let head = first.allSatisfy { $0.isUppercase || $0.isNumber } ? first.lowercased() : first.prefix(1).lowercased() + first.dropFirst()
        return startingWithLetter(head + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(), prefix: "n")
    }

    /// `computeCube`, `compute-cube` → `compute_cube`.
    static func snake(_ text: String) -> String {
        let joined = words(text).map { $0.lowercased() }.joined(separator: "_")
        return startingWithLetter(joined.isEmpty ? "function" : joined, prefix: "n_")
    }

    /// A double-quoted string literal that reads the same in Python and TypeScript: JSON's
    /// escapes, with every control character and the line separators escaped.
    static func literal(_ text: String) -> String {
        SwiftNames.quoted(text) { scalar in
            guard scalar.value < 0x20 || [0x7F, 0x2028, 0x2029].contains(scalar.value) else { return nil }
            let hex = String(scalar.value, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }

    /// Text for one comment line: line breaks become spaces and a block comment cannot be
    /// closed early.
    static func commentText(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            .replacingOccurrences(of: "*/", with: "* /")
    }

    /// Whether `text` is an ASCII identifier (letters, digits, `_`, not starting with a digit).
    static func isIdentifier(_ text: String, extra: Set<Character> = []) -> Bool {
        guard let first = text.first, !first.isNumber else { return false }
        return text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || extra.contains($0) }
    }

    /// Runs of ASCII letters and digits, split again where lower case turns to upper case.
    private static func words(_ text: String) -> [Substring] {
        var words: [Substring] = []
        for part in text.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }) {
            var start = part.startIndex
            var index = part.index(after: start)
            while index < part.endIndex {
                if part[index].isUppercase && part[part.index(before: index)].isLowercase {
                    words.append(part[start..<index])
                    start = index
                }
                index = part.index(after: index)
            }
            words.append(part[start...])
        }
        return words
    }

    private static func startingWithLetter(_ name: String, prefix: String) -> String {
        name.first?.isNumber == true ? prefix + name : name
    }
}
