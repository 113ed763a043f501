import InngestCore

/// Builds a JSON value from a list of small numbers, read as a script: each number picks
/// what comes next (a kind, a length, a character, a number's parts). A property test
/// generates the list, so shrinking a failing list shrinks the value it built, and every
/// kind of value is reachable: integers at `Int64`'s ends, doubles with many digits, tiny
/// and huge exponents and `-0.0`, text with escapes, control characters, non-BMP scalars and
/// combining marks, nested arrays and objects whose keys sort differently by UTF-16 and
/// by scalar.
struct JSONScript {
    private var numbers: [Int]
    private var position = 0

    init(_ numbers: [Int]) {
        self.numbers = numbers
    }

    static func value(from numbers: [Int]) -> JSONValue {
        var script = JSONScript(numbers)
        return script.value(depth: 0)
    }

    private mutating func next() -> Int {
        guard position < numbers.count else { return 0 }
        defer { position += 1 }
        return numbers[position]
    }

    private static let integers: [Int64] = [0, 1, -1, 42, 9_007_199_254_740_992, -9_007_199_254_740_993, .max, .min, 1_000_000]
    private static let doubles: [Double] = [
        0.5, -0.0, 1e-7, 1e21, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, 0.1 + 0.2, 123456789.123456789, -3.14159e-10,
        9_007_199_254_740_993.0, 1e16, 4.35,
    ]
    /// Characters JSON writers get wrong: quotes, backslash, controls, DEL, U+2028/9, a
    /// lone combining mark, scalars beyond the BMP (UTF-16 surrogate pairs), and letters
    /// whose UTF-16 order differs from their scalar order (U+FF61 vs U+1F600).
    private static let characters: [String] = [
        "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}", "é", "\u{301}", "€",
        "\u{FF61}", "😀", "\u{10FFFF}", "\u{E000}", "ß", "日",
    ]

    private mutating func text(maxLength: Int) -> String {
        let length = next() % (maxLength + 1)
        return (0..<length).map { _ in Self.characters[next() % Self.characters.count] }.joined()
    }

    private mutating func value(depth: Int) -> JSONValue {
        let kinds = depth >= 5 ? 6 : 8
        switch next() % kinds {
        case 0: return .null
        case 1: return .bool(next() % 2 == 0)
        case 2: return .integer(Self.integers[next() % Self.integers.count] &+ Int64(next() % 3) &- 1)
        case 3: return .integer(Int64(next()) &* 7_919 &- 500_000)
        case 4:
            let base = Self.doubles[next() % Self.doubles.count]
            return .double(next() % 2 == 0 ? base : -base * Double(1 + next() % 9))
        case 5: return .string(text(maxLength: 12))
        case 6: return .array((0..<(next() % 5)).map { _ in value(depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<(next() % 5) { members[text(maxLength: 4)] = value(depth: depth + 1) }
            return .object(members)
        }
    }
}
