/// RFC 8785 JSON Canonicalization Scheme (JCS) for ``JSONValue``: what the Inngest server
/// signs. Object keys sorted by their UTF-16 code units, no whitespace, strings escaped
/// minimally, numbers written as ECMAScript's `Number.prototype.toString` writes them.
public enum JSONCanonicalization {
    public static func canonicalString(_ value: JSONValue) throws -> String {
        var output = ""
        try write(value, into: &output)
        return output
    }

    public static func canonicalBytes(_ value: JSONValue) throws -> [UInt8] {
        Array(try canonicalString(value).utf8)
    }

    private static func write(_ value: JSONValue, into output: inout String) throws {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .integer(let number): output += format(integer: number)
        case .double(let number): output += try format(double: number)
        case .string(let text): JSONText.writeString(text, into: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                try write(element, into: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            let keys = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            for (index, key) in keys.enumerated() {
                if index > 0 { output += "," }
                JSONText.writeString(key, into: &output)
                output += ":"
                try write(members[key] ?? .null, into: &output)
            }
            output += "}"
        }
    }


    /// Integers are IEEE doubles in ECMAScript: exact up to 2^53, rounded beyond.
    static func format(integer: Int64) -> String {
        if integer.magnitude <= 1 << 53 { return String(integer) }
        return (try? format(double: Double(integer))) ?? String(integer)
    }

    /// ECMAScript `Number::toString` (shortest round-trip digits, ES placement rules).
    static func format(double value: Double) throws -> String {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "JSON has no \(value)"))
        }
        if value == 0 { return "0" }
        let negative = value < 0
        // Swift's description gives the shortest digits that round-trip; re-place them.
        let text = value.magnitude.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[text.startIndex..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits = Array(mantissa.filter { $0 != "." })
        var point = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        while digits.first == "0", digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == "0", digits.count > 1 { digits.removeLast() }
        let k = digits.count
        let n = point + exponent
        let digitText = String(digits)
        var result: String
        if k <= n && n <= 21 {
            result = digitText + String(repeating: "0", count: n - k)
        } else if 0 < n && n <= 21 {
            result = String(digits[0..<n]) + "." + String(digits[n...])
        } else if -6 < n && n <= 0 {
            result = "0." + String(repeating: "0", count: -n) + digitText
        } else {
            let e = n - 1
            let sign = e < 0 ? "-" : "+"
            let head = k == 1 ? digitText : String(digits[0]) + "." + String(digits[1...])
            result = head + "e" + sign + String(e.magnitude)
        }
        return negative ? "-" + result : result
    }
}
