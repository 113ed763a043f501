import Testing

@testable import Inngest

/// RFC 8785 canonical form, as the server signs it.
@Suite struct JSONCanonicalizationTests {
    @Test func keysSortByUTF16CodeUnits() throws {
        // U+1F600 (surrogates D83D DE00) sorts before U+FB01 in UTF-16, after it by scalar value.
        let value: JSONValue = ["\u{FB01}": 1, "\u{1F600}": 2, "b": 3, "a": 4, "A": 5]
        #expect(try JSONCanonicalization.canonicalString(value) == "{\"A\":5,\"a\":4,\"b\":3,\"\u{1F600}\":2,\"\u{FB01}\":1}")
    }

    @Test func stringsEscapeMinimally() throws {
        let value: JSONValue = .string("a\"b\\c\n\t\u{08}\u{0C}\r\u{01}\u{1F}/é€\u{7F}")
        #expect(try JSONCanonicalization.canonicalString(value) == "\"a\\\"b\\\\c\\n\\t\\b\\f\\r\\u0001\\u001f/é€\u{7F}\"")
    }

    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-1.5, "-1.5"), (0.1, "0.1"), (100.0, "100"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
        (123456789012345680000.0, "123456789012345680000"), (1e-6, "0.000001"), (1e-7, "1e-7"), (1.5e-7, "1.5e-7"), (4.5, "4.5"),
        (2e-3, "0.002"), (Double.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"), (333333333.33333329, "333333333.3333333"),
        (9007199254740992.0, "9007199254740992"), (295147905179352830000.0, "295147905179352830000"),
    ])
    func numbersAreWrittenLikeECMAScript(value: Double, expected: String) throws {
        #expect(try JSONCanonicalization.canonicalString(.double(value)) == expected)
    }

    @Test func integers() throws {
        #expect(try JSONCanonicalization.canonicalString([1_700_000_000_000, -5, 0, 9_007_199_254_740_993]) == "[1700000000000,-5,0,9007199254740992]")
    }

    @Test func nonFiniteNumbersThrow() {
        #expect(throws: (any Error).self) { try JSONCanonicalization.canonicalString(.double(.infinity)) }
    }
}
