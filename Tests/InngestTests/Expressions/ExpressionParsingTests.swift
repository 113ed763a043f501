import Testing

@testable import Inngest
@testable import InngestCore

@Suite struct ExpressionParsingTests {
    // MARK: - Literals

    @Test(arguments: [
        ("42", JSONValue.integer(42)),
        ("0", .integer(0)),
        ("0x1F", .integer(31)),
        ("0xfF", .integer(255)),
        ("-7", .integer(-7)),
        ("9223372036854775807", .integer(Int64.max)),
        ("-9223372036854775808", .integer(Int64.min)),
        ("-0x8000000000000000", .integer(Int64.min)),
        ("1.5", .double(1.5)),
        ("-2.25", .double(-2.25)),
        (".5", .double(0.5)),
        ("1e3", .double(1000)),
        ("2.5E-1", .double(0.25)),
        ("1e+2", .double(100)),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("null", .null),
    ])
    func scalarLiterals(source: String, expected: JSONValue) throws {
        let value = try evaluate(source, [:])
        #expect(value == expected)
        // Integers stay integers and doubles stay doubles, whatever their value.
        if case .integer = expected { #expect(value.integerValue != nil && value == expected) }
        if case .double = expected, case .integer = value { Issue.record("\(source) lost its double type") }
    }

    @Test(arguments: [
        (#"'single'"#, "single"),
        (#""double""#, "double"),
        (#"'it\'s'"#, "it's"),
        (#""say \"hi\"""#, #"say "hi""#),
        (#"'"mixed"'"#, #""mixed""#),
        (#"'a\nb\tc\\d'"#, "a\nb\tc\\d"),
        (#"'\a\b\f\r\v\?\`'"#, "\u{07}\u{08}\u{0C}\r\u{0B}?`"),
        (#"'\x41\X42'"#, "AB"),
        (#"'\u00e9\U0001F600'"#, "é😀"),
        (#"'\101\060'"#, "A0"),
        (#"r'\d+\.'"#, #"\d+\."#),
        (#"R"C:\temp""#, #"C:\temp"#),
        ("'''multi\nline 'quoted' '''", "multi\nline 'quoted' "),
        ("\"\"\"triple \"double\" quotes\"\"\"", #"triple "double" quotes"#),
        ("''", ""),
        ("'héllo 😀'", "héllo 😀"),
    ])
    func stringLiterals(source: String, expected: String) throws {
        #expect(try evaluate(source, [:]) == .string(expected))
    }

    @Test func collectionLiterals() throws {
        #expect(try evaluate("[]", [:]) == [])
        #expect(try evaluate("[1, 'a', null, [true]]", [:]) == [1, "a", nil, [true]])
        #expect(try evaluate("[1, 2,]", [:]) == [1, 2])
        #expect(try evaluate("{}", [:]) == [:])
        #expect(try evaluate(#"{'a': 1, "b": [2, 3], 'c': {'d': null},}"#, [:]) == ["a": 1, "b": [2, 3], "c": ["d": nil]])
        #expect(try evaluate("{event.data.key: event.data.plan}") == ["dynamic": "pro"])
    }

    @Test func whitespaceAndCommentsAreIgnored() throws {
        #expect(try evaluate(" \t\n event.data.amount\r\n >\u{0C}100 // a comment\n && true // trailing") == true)
    }

    // MARK: - Variables

    @Test func variablesAreTheTopLevelNamesRead() throws {
        #expect(try CELExpression("event.data.id == async.data.id").variables == ["event", "async"])
        #expect(try CELExpression("size(vars.list) > 0 ? event.data.a : steps['b'].c").variables == ["vars", "event", "steps"])
        #expect(try CELExpression("event.data.async == event.async").variables == ["event"])
        #expect(try CELExpression("1 + 2").variables == [])
        #expect(try CELExpression("'event' == 'async'").variables == [])
    }

    @Test func sourceDescriptionAndIdentity() throws {
        let expression = try CELExpression("event.data.plan == 'pro'")
        #expect(expression.source == "event.data.plan == 'pro'")
        #expect(expression.description == "event.data.plan == 'pro'")
        #expect(try expression == CELExpression("event.data.plan == 'pro'"))
        #expect(try expression != CELExpression("event.data.plan == \"pro\""))
        #expect(try Set([expression, CELExpression("event.data.plan == 'pro'"), CELExpression("true")]).count == 2)
    }

    // MARK: - Rejections

    @Test(arguments: [
        // Functions the server does not have (cel-go's strings extension is not enabled there).
        ("event.data.s.split(',')", "unsupported method 'split' at column 14 in \"event.data.s.split(',')\"", ExpressionError.Kind.unsupported),
        ("event.data.s.lowerAscii() == 'a'", "unsupported method 'lowerAscii' at column 14 in \"event.data.s.lowerAscii() == 'a'\"", .unsupported),
        ("true && type(event.data.x) == int", "unsupported function 'type' at column 9 in \"true && type(event.data.x) == int\"", .unsupported),
        ("event.data.name.lowercase()", "unsupported method 'lowercase' at column 17 in \"event.data.name.lowercase()\"", .unsupported),
        ("event.data.items.all(1, true)", "the first argument of 'all' must be a variable name followed by ',' at column 22 in \"event.data.items.all(1, true)\"", .syntax),
        ("has(event.data['x'])", "has() expects a field selection such as has(event.data.x) at column 5 in \"has(event.data['x'])\"", .syntax),
        // Literals outside the subset.
        ("event.data.n == 1u", "unsupported unsigned integer literal at column 17 in \"event.data.n == 1u\"", .unsupported),
        ("b'bytes'", "unsupported bytes literal at column 1 in \"b'bytes'\"", .unsupported),
        ("{1: 'a'}", "map keys must be strings, found int at column 2 in \"{1: 'a'}\"", .unsupported),
        // Bad tokens.
        ("event.data.x # 1", "unexpected character '#' at column 14 in \"event.data.x # 1\"", .syntax),
        ("$x", "unexpected character '$' at column 1 in \"$x\"", .syntax),
        ("événement", "unexpected character '\\u{00E9}' at column 1 in \"événement\"", .syntax),
        ("event.data.x = 1", "unexpected '='; use '==' to compare at column 14 in \"event.data.x = 1\"", .syntax),
        ("a & b", "unexpected '&'; use '&&' for logical and at column 3 in \"a & b\"", .syntax),
        ("a | b", "unexpected '|'; use '||' for logical or at column 3 in \"a | b\"", .syntax),
        ("12abc", "invalid number literal at column 1 in \"12abc\"", .syntax),
        // CEL writes hexadecimal with a lowercase x only (found differentially against cel-python).
        ("0X1F", "invalid number literal at column 1 in \"0X1F\"", .syntax),
        ("9223372036854775808", "integer literal out of range at column 1 in \"9223372036854775808\"", .syntax),
        ("-9223372036854775809", "integer literal out of range at column 2 in \"-9223372036854775809\"", .syntax),
        ("99999999999999999999", "integer literal out of range at column 1 in \"99999999999999999999\"", .syntax),
        ("1e999", "number literal out of range at column 1 in \"1e999\"", .syntax),
        ("'abc", "unterminated string literal at column 1 in \"'abc\"", .syntax),
        ("x == \"abc'", "unterminated string literal at column 6 in \"x == \"abc'\"", .syntax),
        ("'a\nb'", "unterminated string literal (use '\\n' or a triple-quoted string for new lines) at column 1 in \"'a\nb'\"", .syntax),
        ("'a\\qb'", "invalid escape sequence '\\q' at column 3 in \"'a\\qb'\"", .syntax),
        ("'\\x4'", "invalid escape sequence: expected 2 hex digits at column 2 in \"'\\x4'\"", .syntax),
        ("'\\uD800'", "invalid Unicode code point in escape sequence at column 2 in \"'\\uD800'\"", .syntax),
        ("'\\08'", "invalid escape sequence: expected 3 octal digits at column 2 in \"'\\08'\"", .syntax),
        // Structure.
        ("", "empty expression at column 1 in \"\"", .syntax),
        ("   ", "empty expression at column 1 in \"   \"", .syntax),
        ("// only a comment", "empty expression at column 1 in \"// only a comment\"", .syntax),
        ("(event.data.x == 1", "missing ')' to close the '(' opened in column 1 at column 19 in \"(event.data.x == 1\"", .syntax),
        ("((1 + 2) * 3", "missing ')' to close the '(' opened in column 1 at column 13 in \"((1 + 2) * 3\"", .syntax),
        ("(1 2)", "unexpected number 2; expected ')' to close the '(' opened in column 1 at column 4 in \"(1 2)\"", .syntax),
        ("event.data.x == 1)", "unexpected ')' after the end of the expression at column 18 in \"event.data.x == 1)\"", .syntax),
        ("event.data.x == 1 true", "unexpected 'true' after the end of the expression at column 19 in \"event.data.x == 1 true\"", .syntax),
        ("event.data.x event", "unexpected identifier 'event' after the end of the expression at column 14 in \"event.data.x event\"", .syntax),
        ("event.data.x ==", "unexpected end of expression at column 16 in \"event.data.x ==\"", .syntax),
        ("== 1", "unexpected '==' at column 1 in \"== 1\"", .syntax),
        ("event.", "expected a field name after '.', found end of expression at column 7 in \"event.\"", .syntax),
        ("event.data.true", "expected a field name after '.', found 'true' at column 12 in \"event.data.true\"", .syntax),
        ("event.data.0", "expected a field name after '.', found number 0 at column 12 in \"event.data.0\"", .syntax),
        (".event", "unexpected '.' at column 1 in \".event\"", .syntax),
        ("event.data[0", "missing ']' to close the '[' opened in column 11 at column 13 in \"event.data[0\"", .syntax),
        ("[1, 2", "missing ']' to close the '[' opened in column 1 at column 6 in \"[1, 2\"", .syntax),
        ("[1 2]", "unexpected number 2; expected ',' or ']' to close the '[' opened in column 1 at column 4 in \"[1 2]\"", .syntax),
        ("{'a': 1", "missing '}' to close the '{' opened in column 1 at column 8 in \"{'a': 1\"", .syntax),
        ("{'a' 1}", "unexpected number 1; expected ':' after a map key at column 6 in \"{'a' 1}\"", .syntax),
        ("{'a': 1, 'a': 2}", "duplicate map key 'a' at column 10 in \"{'a': 1, 'a': 2}\"", .syntax),
        ("size(event.data.items", "missing ')' to close the '(' opened in column 5 at column 22 in \"size(event.data.items\"", .syntax),
        ("size(1, 2)", "'size' expects 1 argument, got 2 at column 1 in \"size(1, 2)\"", .syntax),
        ("lowercase()", "'lowercase' expects 1 argument, got 0 at column 1 in \"lowercase()\"", .syntax),
        ("'abc'.startsWith()", "'startsWith' expects 1 argument, got 0 at column 7 in \"'abc'.startsWith()\"", .syntax),
        ("[1].size(1)", "'size' expects 0 arguments, got 1 at column 5 in \"[1].size(1)\"", .syntax),
        ("a ? b", "unexpected end of expression; expected ':' for the '?' in column 3 at column 6 in \"a ? b\"", .syntax),
        ("a ? b ? c : d : e", "unexpected '?'; expected ':' for the '?' in column 3 at column 7 in \"a ? b ? c : d : e\"", .syntax),
        ("a ? b : ", "unexpected end of expression at column 9 in \"a ? b : \"", .syntax),
        ("if == 1", "'if' is a reserved word and cannot be used as a name at column 1 in \"if == 1\"", .syntax),
        ("(a)(b)", "unexpected '(' after the end of the expression at column 4 in \"(a)(b)\"", .syntax),
        ("event.data.x ?? 1", "unexpected '?' at column 15 in \"event.data.x ?? 1\"", .syntax),
    ])
    func rejectsWithMessageAndColumn(source: String, description: String, kind: ExpressionError.Kind) {
        guard let error = rejection(source) else { return }
        #expect(error.description == description)
        #expect(error.kind == kind)
        #expect(error.source == source)
    }

    @Test func errorPartsAreSeparate() {
        guard let error = rejection("event.data.x == 1 && trim(event.data.y)") else { return }
        #expect(error.kind == .unsupported)
        #expect(error.message == "unsupported function 'trim'")
        #expect(error.column == 22)
        #expect(error.source == "event.data.x == 1 && trim(event.data.y)")
    }

    @Test func columnsCountUnicodeScalarsNotBytes() {
        // 'é' is two UTF-8 bytes and '😀' four, but one column each.
        guard let error = rejection("'é😀' == @") else { return }
        #expect(error.column == 9)
    }

    @Test func combiningMarkAfterQuoteDoesNotHideTheQuote() throws {
        // As Characters, the quote and U+0301 would merge; as scalars the string still ends.
        #expect(try evaluate("'e' + '\u{301}' == 'e\u{301}'", [:]) == true)
    }
}
