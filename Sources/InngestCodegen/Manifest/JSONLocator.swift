/// Finds where a value sits in JSON text, for messages that point at a line and column.
///
/// The reader that builds ``JSONValue`` trees keeps no positions (it is on the hot path of
/// every event); a manifest problem is rare, so the text is scanned again for it.
struct JSONLocator {
    enum Component: Hashable, CustomStringConvertible {
        case key(String)
        case index(Int)

        var description: String {
            switch self {
            case .key(let key): return ".\(key)"
            case .index(let index): return "[\(index)]"
            }
        }
    }

    private let bytes: [UInt8]

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// The 1-based line and column of the value at `path`, or of its key when `key` is true.
    /// A path that leads nowhere gives the position of the deepest value found on the way.
    func position(of path: [Component], key: Bool = false) -> (line: Int, column: Int) {
        lineAndColumn(of: offset(of: path, key: key))
    }

    /// The 1-based line and column of byte `offset`.
    func lineAndColumn(of offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        // Columns count characters, not bytes: continuation bytes of UTF-8 are skipped.
        let column = bytes[lineStart..<min(offset, bytes.count)].reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        return (line, column)
    }

    private func offset(of path: [Component], key wantsKey: Bool) -> Int {
        var position = skipWhitespace(from: 0)
        for (depth, component) in path.enumerated() {
            guard position < bytes.count else { return position }
            switch component {
            case .key(let wanted):
                guard bytes[position] == UInt8(ascii: "{") else { return position }
                var cursor = skipWhitespace(from: position + 1)
                var found: Int?
                while cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"") {
                    let keyStart = cursor
                    let (name, afterKey) = string(at: cursor)
                    cursor = skipWhitespace(from: afterKey)
                    cursor = skipWhitespace(from: cursor + 1)  // the ':'
                    if name == wanted {
                        if wantsKey && depth == path.count - 1 { return keyStart }
                        found = cursor
                        break
                    }
                    cursor = skipWhitespace(from: skipValue(at: cursor))
                    if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ",") { cursor = skipWhitespace(from: cursor + 1) }
                }
                guard let found else { return position }
                position = found
            case .index(let wanted):
                guard bytes[position] == UInt8(ascii: "[") else { return position }
                var cursor = skipWhitespace(from: position + 1)
                var index = 0
                while cursor < bytes.count, bytes[cursor] != UInt8(ascii: "]"), index < wanted {
                    cursor = skipWhitespace(from: skipValue(at: cursor))
                    if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ",") { cursor = skipWhitespace(from: cursor + 1) }
                    index += 1
                }
                guard index == wanted, cursor < bytes.count, bytes[cursor] != UInt8(ascii: "]") else { return position }
                position = cursor
            }
        }
        return position
    }

    private func skipWhitespace(from start: Int) -> Int {
        var position = start
        while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
        return position
    }

    /// The string starting at `start` (its quote), with escapes kept as written, and the
    /// offset after its closing quote.
    private func string(at start: Int) -> (String, Int) {
        var position = start + 1
        var content: [UInt8] = []
        while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
            if bytes[position] == UInt8(ascii: "\\"), position + 1 < bytes.count {
                content.append(bytes[position + 1])
                position += 2
            } else {
                content.append(bytes[position])
                position += 1
            }
        }
        return (String(decoding: content, as: UTF8.self), position + 1)
    }

    /// The offset after the value starting at `start`.
    private func skipValue(at start: Int) -> Int {
        guard start < bytes.count else { return start }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return string(at: start).1
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var position = start
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "\""):
                    position = string(at: position).1
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return position + 1 }
                default: break
                }
                position += 1
            }
            return position
        default:
            var position = start
            while position < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) {
                position += 1
            }
            return position
        }
    }
}
