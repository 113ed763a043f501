/// RFC 8785 JSON Canonicalization Scheme (JCS) for ``JSONValue``: what the Inngest server
/// signs. Object keys sorted by their UTF-16 code units, no whitespace, strings escaped
/// minimally, numbers written as ECMAScript's `Number.prototype.toString` writes them.
package enum JSONCanonicalization {
    package static func canonicalString(_ value: JSONValue) throws -> String {
        try JSONText.write(value, style: .canonical)
    }

    package static func canonicalBytes(_ value: JSONValue) throws -> [UInt8] {
        Array(try canonicalString(value).utf8)
    }

    /// Integers are IEEE doubles in ECMAScript: exact up to 2^53, rounded beyond.
    static func format(integer: Int64) -> String {
        if integer.magnitude <= 1 << 53 { return String(integer) }
        return format(finite: Double(integer))
    }

    /// ECMAScript `Number::toString` (shortest round-trip digits, ES placement rules) of a
    /// finite number.
    static func format(finite value: Double) -> String {
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
