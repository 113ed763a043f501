/// Reads and writes ``JSONValue`` directly as UTF-8 text.
///
/// Every step result and event crosses between text and `JSONValue` at least once; going
/// through `JSONDecoder` for that means a failed trial decode per node. This reader and
/// writer follow RFC 8259, write keys sorted with no whitespace (the codec's contract),
/// and bound nesting so hostile input cannot exhaust the stack.
package enum JSONText {
    /// The deepest nesting of arrays and objects accepted.
    package static let maximumDepth = 512

    package struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        /// Byte offset of the problem.
        package let offset: Int
        package let reason: String
        package var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    // MARK: Writing

    /// How ``write(_:style:)`` orders keys and writes numbers; both styles are compact and
    /// escape strings minimally.
    package enum Style: Sendable {
        /// Keys sorted as Swift strings, numbers as Swift writes them: the codec's contract.
        case sortedKeys
        /// RFC 8785 (JCS), what the Inngest server signs: keys sorted by UTF-16 code units,
        /// numbers as ECMAScript writes them (see ``JSONCanonicalization``).
        case canonical
    }

    /// Compact JSON; throws for a non-finite number or nesting deeper than ``maximumDepth``.
    package static func write(_ value: JSONValue, style: Style = .sortedKeys) throws -> String {
        var output = ""
        output.reserveCapacity(64)
        try write(value, into: &output, depth: 0, style: style)
        return output
    }

    private static func write(_ value: JSONValue, into output: inout String, depth: Int, style: Style) throws {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .integer(let number):
            output += style == .canonical ? JSONCanonicalization.format(integer: number) : String(number)
        case .double(let number):
            guard number.isFinite else {
                throw EncodingError.invalidValue(number, .init(codingPath: [], debugDescription: "JSON has no \(number)"))
            }
            output += style == .canonical ? JSONCanonicalization.format(finite: number) : number.description
        case .string(let text): writeString(text, into: &output)
        case .array(let elements):
            try checkDepth(depth + 1, of: value)
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                try write(element, into: &output, depth: depth + 1, style: style)
            }
            output += "]"
        case .object(let members):
            try checkDepth(depth + 1, of: value)
            output += "{"
            let keys = style == .canonical ? members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) } : members.keys.sorted()
            for (index, key) in keys.enumerated() {
                if index > 0 { output += "," }
                writeString(key, into: &output)
                output += ":"
                // The key comes from the dictionary, so the lookup always succeeds.
                try write(members[key] ?? .null, into: &output, depth: depth + 1, style: style)
            }
            output += "}"
        }
    }

    /// The writer accepts exactly the nesting the reader does, so whatever was read can be written.
    private static func checkDepth(_ depth: Int, of value: JSONValue) throws {
        guard depth <= maximumDepth else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "nesting deeper than \(maximumDepth) levels, the limit"))
        }
    }

    /// A JSON string with the minimal escaping RFC 8259 requires and RFC 8785 (JCS) prescribes:
    /// `"`, `\\`, and control characters (short forms where JSON has them, else `\u00xx`).
    static func writeString(_ text: String, into output: inout String) {
        output += "\""
        // Most strings need no escape: append them whole.
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes in
            !bytes.contains { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }
        }
        if plain == true {
            output += text
            output += "\""
            return
        }
        // Escapes are ASCII, so splitting at their bytes never splits a character.
        let utf8 = text.utf8
        var plainStart = utf8.startIndex
        var index = plainStart
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x22 || byte == 0x5C || byte < 0x20 {
                output += Substring(utf8[plainStart..<index])
                switch byte {
                case 0x22: output += "\\\""
                case 0x5C: output += "\\\\"
                case 0x0A: output += "\\n"
                case 0x0D: output += "\\r"
                case 0x09: output += "\\t"
                case 0x08: output += "\\b"
                case 0x0C: output += "\\f"
                default:
                    let hex = String(byte, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
                index = utf8.index(after: index)
                plainStart = index
            } else {
                index = utf8.index(after: index)
            }
        }
        output += Substring(utf8[plainStart..<utf8.endIndex])
        output += "\""
    }

    // MARK: Reading

    /// Parses one JSON value (surrounded by optional whitespace) from UTF-8 bytes.
    package static func read<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(SyntaxError) -> JSONValue {
        let buffer = Array(bytes)
        var reader = Reader(bytes: buffer)
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.position == buffer.count else { throw reader.error("unexpected text after the value") }
        return value
    }

    package static func read(_ text: String) throws(SyntaxError) -> JSONValue {
        try read(text.utf8)
    }

    private struct Reader {
        let bytes: [UInt8]
        var position = 0

        func error(_ reason: String) -> SyntaxError { SyntaxError(offset: position, reason: reason) }

        mutating func skipWhitespace() {
            while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x0A || bytes[position] == 0x0D || bytes[position] == 0x09 {
                position += 1
            }
        }

        mutating func value(depth: Int) throws(SyntaxError) -> JSONValue {
            guard position < bytes.count else { throw error("unexpected end of input") }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw error("unexpected character")
            }
        }

        mutating func literal(_ word: String) throws(SyntaxError) {
            let expected = Array(word.utf8)
            guard position + expected.count <= bytes.count else { throw error("unexpected end of input") }
            for offset in expected.indices where bytes[position + offset] != expected[offset] {
                throw error("unexpected character")
            }
            position += expected.count
        }

        mutating func object(depth: Int) throws(SyntaxError) -> JSONValue {
            guard depth <= JSONText.maximumDepth else { throw error("nesting deeper than \(JSONText.maximumDepth)") }
            position += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let key = try string()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':'") }
                position += 1
                skipWhitespace()
                members[key] = try value(depth: depth)
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of input") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                if bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return .object(members)
                }
                throw error("expected ',' or '}'")
            }
        }

        mutating func array(depth: Int) throws(SyntaxError) -> JSONValue {
            guard depth <= JSONText.maximumDepth else { throw error("nesting deeper than \(JSONText.maximumDepth)") }
            position += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth))
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of input") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                if bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return .array(elements)
                }
                throw error("expected ',' or ']'")
            }
        }

        mutating func number() throws(SyntaxError) -> JSONValue {
            let start = position
            var isInteger = true
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            func digits(_ reader: inout Reader) -> Int {
                let begin = reader.position
                while reader.position < reader.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(reader.bytes[reader.position]) {
                    reader.position += 1
                }
                return reader.position - begin
            }
            let integerDigits = digits(&self)
            guard integerDigits > 0 else { throw error("expected a digit") }
            if integerDigits > 1, bytes[position - integerDigits] == UInt8(ascii: "0") { throw SyntaxError(offset: start, reason: "leading zero in a number") }
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                isInteger = false
                position += 1
                guard digits(&self) > 0 else { throw error("expected a digit after '.'") }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                isInteger = false
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
                guard digits(&self) > 0 else { throw error("expected a digit in the exponent") }
            }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            if isInteger, let integer = Int64(text) { return .integer(integer) }
            guard let double = Double(text), double.isFinite else { throw SyntaxError(offset: start, reason: "number out of range") }
            return .double(double)
        }

        mutating func string() throws(SyntaxError) -> String {
            position += 1
            var scalars = String.UnicodeScalarView()
            var runStart = position
            func flush(_ reader: Reader, to end: Int, into scalars: inout String.UnicodeScalarView) {
                if end > runStart { scalars.append(contentsOf: String(decoding: reader.bytes[runStart..<end], as: UTF8.self).unicodeScalars) }
            }
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    flush(self, to: position, into: &scalars)
                    position += 1
                    return String(scalars)
                }
                if byte < 0x20 { throw error("unescaped control character in a string") }
                if byte == UInt8(ascii: "\\") {
                    flush(self, to: position, into: &scalars)
                    position += 1
                    guard position < bytes.count else { break }
                    let escaped = bytes[position]
                    position += 1
                    switch escaped {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"): scalars.append(try unicodeEscape())
                    default: throw error("invalid escape")
                    }
                    runStart = position
                    continue
                }
                position += 1
            }
            throw error("unterminated string")
        }

        /// `\uXXXX`, joining a surrogate pair; a lone surrogate becomes U+FFFD as JavaScript would print it.
        mutating func unicodeEscape() throws(SyntaxError) -> Unicode.Scalar {
            let high = try hex4()
            if (0xD800...0xDBFF).contains(high), position + 1 < bytes.count,
                bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
            {
                let save = position
                position += 2
                let low = try hex4()
                if (0xDC00...0xDFFF).contains(low), let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) {
                    return scalar
                }
                position = save
            }
            return Unicode.Scalar(high) ?? "\u{FFFD}"
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            guard position + 4 <= bytes.count else { throw error("incomplete \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw error("invalid hex digit in a \\u escape")
                }
                value = value * 16 + digit
                position += 1
            }
            return value
        }
    }
}
