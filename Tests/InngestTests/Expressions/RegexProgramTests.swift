import Testing

@testable import InngestCore

@Suite struct RegexProgramTests {
    private func matches(_ pattern: String, _ text: String) throws -> Bool {
        try RegexProgram(pattern: pattern).matches(text)
    }

    @Test(arguments: [
        // Unanchored search, as RE2's MatchString.
        ("b", "abc", true), ("^b", "abc", false), ("c$", "abc", true), ("^abc$", "abc", true), ("^$", "", true),
        ("", "anything", true), ("x", "", false),
        // Classes, escapes and the dot.
        ("[a-c]+", "xxbxx", true), ("^[^a-c]+$", "xyz", true), ("^[^a-c]+$", "xaz", false),
        ("\\d{3}-\\d{4}", "call 555-1234 now", true), ("^\\w+$", "snake_case1", true), ("^\\w+$", "kebab-case", false),
        ("\\s", "a b", true), ("^\\S+$", "a\tb", false), ("[\\d\\s]+", "12 3", true), ("^[\\D]+$", "ab", true),
        ("a.c", "abc", true), ("a.c", "a\nc", false), ("(?s)a.c", "a\nc", true),
        ("\\.", "a.b", true), ("\\.", "ab", false), ("\\x41\\x{1F600}", "A😀", true), ("\\t", "\t", true),
        ("[-a]", "-", true), ("[a-]", "-", true), ("[]a]", "]", true), ("é", "café", true), ("^.$", "😀", true),
        // Repetition and alternation.
        ("^(ab)*$", "ababab", true), ("^(ab)*$", "aba", false), ("^a{2,3}$", "aaa", true), ("^a{2,3}$", "aaaa", false),
        ("^a{2}$", "aa", true), ("^a{2,}$", "aaaaa", true), ("^colou?r$", "color", true), ("^(cat|dog)s?$", "dogs", true),
        ("^(cat|dog)s?$", "cow", false), ("a+?b", "aaab", true), ("^(?:x|y)+$", "xyyx", true), ("a{,2}", "a{,2}", true),
        ("^(?P<year>\\d{4})-(?<month>\\d\\d)$", "2026-12", true),
        // Flags and assertions.
        ("(?i)^hello$", "HeLLo", true), ("^hello$", "HeLLo", false), ("(?i:a)b", "Ab", true), ("(?i:a)b", "AB", false),
        ("(?m)^b$", "a\nb\nc", true), ("^b$", "a\nb\nc", false), ("\\bcat\\b", "a cat!", true), ("\\bcat\\b", "concat", false),
        ("\\Bcat", "concat", true), ("\\Aab\\z", "ab", true), ("(?i)[a-c]", "B", true), ("(?i)k", "\u{212A}", true), ("(?i)K", "\u{212A}", true),
        ("(?i)\u{17F}", "S", true), ("(?i)é", "É", true), ("(?i)é", "E", false),
        // Patterns that take exponential time with backtracking stay linear here.
        ("^(a+)+$", String(repeating: "a", count: 5_000) + "b", false),
        ("(a|aa)*c", String(repeating: "a", count: 5_000), false),
        ("(x+x+)+y", String(repeating: "x", count: 5_000), false),
    ])
    func matching(pattern: String, text: String, expected: Bool) throws {
        #expect(try matches(pattern, text) == expected, "\(pattern) on \(text.prefix(20))")
    }

    @Test(arguments: [
        ("(", "missing ')' in regular expression"),
        ("a)", "unexpected ')' in regular expression"),
        ("[a", "missing ']' in regular expression"),
        ("*a", "missing argument to repetition operator '*'"),
        ("a**", "invalid nested repetition operator in regular expression"),
        ("a{1001}", "invalid repeat count in regular expression"),
        ("a{3,2}", "invalid repeat count in regular expression"),
        ("[z-a]", "invalid character class range in regular expression"),
        ("\\p{Greek}", "Unicode classes (\\p, \\P) are not supported in regular expressions"),
        ("[[:alpha:]]", "POSIX classes ([:name:]) are not supported in regular expressions"),
        ("\\1", "invalid or unsupported escape '\\1' in regular expression"),
        ("(?=a)", "invalid or unsupported flags in regular expression"),
        ("(?i-)a", "invalid or unsupported flags in regular expression"),
        ("\\xZZ", "invalid \\x escape in regular expression"),
        ("\\", "regular expression ends too early"),
    ])
    func malformedPatternsAreRefused(pattern: String, message: String) {
        let failure = #expect(throws: RegexFailure.self) { try RegexProgram(pattern: pattern) }
        #expect(failure?.message == message)
    }

    @Test func sizeAndCostAreBounded() throws {
        let long = String(repeating: "a", count: RegexProgram.maximumPatternLength + 1)
        #expect(
            (#expect(throws: RegexFailure.self) { try RegexProgram(pattern: long) })?.message
                == "regular expression is longer than the limit of 4096 characters")
        // 1000 × 1000 copies of one instruction exceed the program limit.
        #expect(
            (#expect(throws: RegexFailure.self) { try RegexProgram(pattern: "(a{1000}){1000}") })?.message
                == "regular expression compiles to more than 20000 instructions")
        #expect(
            (#expect(throws: RegexFailure.self) { try RegexProgram(pattern: "(((a{100}){100}){100}){100}") }) != nil)
        // Input length times program size is bounded: a 19,999-instruction program may
        // read a 2,000-character string, not a 3,000-character one.
        let program = try RegexProgram(pattern: "(a{1000}){19}b{998}")
        #expect(try !program.matches(String(repeating: "b", count: 2_000)))
        let failure = #expect(throws: RegexFailure.self) { try program.matches(String(repeating: "b", count: 3_000)) }
        #expect(failure?.message.hasPrefix("matching a 3000-character string") == true)
    }

    @Test func deepNestingIsRefused() {
        let deep = String(repeating: "(", count: 101) + "a" + String(repeating: ")", count: 101)
        #expect(
            (#expect(throws: RegexFailure.self) { try RegexProgram(pattern: deep) })?.message
                == "regular expression nests deeper than 100 groups")
        #expect(throws: Never.self) { try RegexProgram(pattern: String(repeating: "(", count: 100) + "a" + String(repeating: ")", count: 100)) }
    }
}
