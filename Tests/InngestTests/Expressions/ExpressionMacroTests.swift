import Testing

@testable import InngestCore

@Suite struct ExpressionMacroTests {
    // MARK: - has()

    @Test(arguments: [
        ("has(event.data.plan)", true),
        ("has(event.data.missing)", false),
        // A present key holding null is present: has() tests the key, not the value.
        ("has(event.data.nothing)", true),
        ("has(event.data.user.email)", true),
        ("has(event.data.user.phone)", false),
        // Below a missing field the base reads as null, and null has no fields.
        ("has(event.data.missing.deeper)", false),
        ("has(async.data.id)", false),
        ("!has(event.data.missing) && has(event['data'].tags.a)", true),
        ("has({'a': 1}.a)", true),
    ])
    func hasTestsForAKey(source: String, expected: Bool) throws {
        #expect(try evaluate(source) == .bool(expected))
    }

    @Test func hasOnANonMapIsAnError() throws {
        let error = try evaluationError("has(event.data.plan.length)")
        #expect(error?.kind == .evaluation)
        #expect(error?.message == "has() needs a map to test for 'length', got string")
        #expect(error?.column == 1)
        // As a filter the error simply does not match.
        #expect(try !CELExpression("has(event.data.items.first)").matches(["event": sampleEvent]))
    }

    @Test func hasNeedsOneFieldSelection() {
        #expect(rejection("has(event)")?.message == "has() expects a field selection such as has(event.data.x)")
        #expect(rejection("has(event.data.x())")?.kind == .unsupported)
        #expect(rejection("has(event.data.a, event.data.b)")?.message == "'has' expects 1 argument, got 2")
        #expect(rejection("has()")?.message == "'has' expects 1 argument, got 0")
    }

    // MARK: - Comprehensions

    @Test(
        arguments: [
            ("event.data.items.all(i, i > 5)", true),
            ("event.data.items.all(i, i > 10)", false),
            ("[].all(i, false)", true),
            ("event.data.items.exists(i, i == 20)", true),
            ("event.data.items.exists(i, i == 25)", false),
            ("[].exists(i, true)", false),
            ("event.data.items.exists_one(i, i > 25)", true),
            ("event.data.items.exists_one(i, i > 15)", false),
            ("event.data.items.exists_one(i, i > 99)", false),
            ("event.data.items.map(i, i * 2)", [20, 40, 60]),
            ("event.data.items.map(i, i > 10, i / 10)", [2, 3]),
            ("event.data.items.filter(i, i != 20)", [10, 30]),
            ("event.data.items.filter(i, false)", []),
            // A map iterates over its keys, in UTF-8 order.
            ("event.data.tags.map(k, k + '!')", ["a!", "b!"]),
            ("event.data.tags.exists(k, event.data.tags[k] == 2)", true),
            ("event.data.tags.all(k, k in ['a', 'b'])", true),
            // Results compose with other operations and macros.
            ("event.data.items.map(i, i + 1).filter(j, j > 20).size()", 2),
            ("[[1, 2], [3]].map(l, l.map(x, x * 10))", [[10, 20], [30]]),
            ("[1, 2].all(x, [3, 4].exists(y, y > x))", true),
            ("size(event.data.items.filter(i, i in [10, 30]))", 2),
        ] as [(String, JSONValue)])
    func comprehensions(source: String, expected: JSONValue) throws {
        #expect(try evaluate(source) == expected)
    }

    @Test func theVariableIsScopedToTheMacro() throws {
        let expression = try CELExpression("event.data.items.exists(x, x == event.data.amount / 5) && x == 7")
        // `x` after the macro is a top-level variable again; inside, it is not one.
        #expect(expression.variables == ["event", "x"])
        #expect(try expression.evaluate(["event": sampleEvent, "x": 7]) == true)
        #expect(try CELExpression("event.data.items.all(i, i > 0)").variables == ["event"])
        // The macro variable shadows a top-level one of the same name, only inside.
        #expect(try evaluate("[1, 2].map(event, event * 2) + [size(event.data.items)]") == [2, 4, 3])
        // Nested macros may reuse a name; the innermost binding wins.
        #expect(try evaluate("[[1], [2, 3]].map(x, x.map(x, x + 1))") == [[2], [3, 4]])
    }

    @Test func errorsFollowCELRules() throws {
        // `all` is false, and `exists` true, once one element decides, despite an error.
        #expect(try evaluate("[0, 1].all(x, 10 / x > 20)") == false)
        #expect(try evaluate("[0, 1].exists(x, 10 / x == 10)") == true)
        #expect(try evaluationError("[0, 1].all(x, 10 / x > 0)")?.message == "division by zero")
        #expect(try evaluationError("[0, 1].exists(x, 10 / x > 20)")?.message == "division by zero")
        #expect(try evaluationError("[1, 0].exists_one(x, 10 / x > 20)")?.message == "division by zero")
        #expect(try evaluationError("[1, 0].map(x, 10 / x)")?.message == "division by zero")
        #expect(try evaluationError("[1, 0].filter(x, 10 / x > 0)")?.message == "division by zero")
    }

    @Test func theRangeMustBeAListOrAMap() throws {
        let error = try evaluationError("event.data.plan.all(c, c == 'p')")
        #expect(error?.message == "'all' needs a list or a map, got string")
        #expect(error?.column == 17)
        #expect(try evaluationError("event.data.missing.exists(x, true)")?.message == "'exists' needs a list or a map, got null")
    }

    @Test func malformedMacrosAreRejected() {
        #expect(rejection("[1].all(x)")?.message == "the first argument of 'all' must be a variable name followed by ','")
        #expect(rejection("[1].map(x, 1, 2, 3)")?.message == "'map' expects 2 or 3 arguments, got 4")
        #expect(rejection("[1].filter(x, true, false)")?.message == "'filter' expects 2 arguments, got 3")
        #expect(rejection("[1].exists(if, true)")?.message == "'if' is a reserved word and cannot be used as a name")
        #expect(rejection("[1].exists(x.y, true)")?.kind == .syntax)
        #expect(rejection("all([1], x, true)")?.message == "unsupported function 'all'")
    }

    @Test func macrosShareOneIterationBudget() throws {
        // Each macro charges its whole range when it starts: the outer one n elements, the
        // inner ones n each, so n + n × n in all: 999,000 for 999 elements fits in 1,000,000,
        // and 1,001,000 for 1,000 does not (each inner `exists` stops at its first element, so
        // the test stays quick).
        let fits = JSONValue.array(Array(repeating: 1, count: 999))
        let nested = try CELExpression("event.l.all(x, event.l.exists(y, x == y))")
        #expect(try nested.evaluate(["event": ["l": fits]]) == true)
        let larger = JSONValue.array(Array(repeating: 1, count: 1_000))
        let error = #expect(throws: ExpressionError.self) { try nested.evaluate(["event": ["l": larger]]) }
        #expect(error?.kind == .limitExceeded)
        #expect(error?.message == "macros range over more than the limit of 1000000 elements")
        #expect(!nested.matches(["event": ["l": larger]]))
    }

    @Test func concatenationsShareOneSizeBudget() throws {
        // 1,000 × 999 pairs each build a 2,000-element list: about 2,000,000,000 elements,
        // refused long before memory fills.
        let list = JSONValue.array(Array(repeating: 1, count: 1_000))
        let expression = try CELExpression("event.l.map(x, event.l.map(y, event.l + event.l)).size()")
        let error = #expect(throws: ExpressionError.self) { try expression.evaluate(["event": ["l": list]]) }
        #expect(error?.kind == .limitExceeded)
        #expect(
            error?.message == "'+' builds more than the limit of 8388608 string bytes and list elements in one evaluation")
        // Strings count their UTF-8 bytes.
        let text = JSONValue.string(String(repeating: "é", count: 1_000_000))
        let doubling = try CELExpression("size(event.s + event.s + event.s + event.s + event.s)")
        #expect(throws: ExpressionError.self) { try doubling.evaluate(["event": ["s": text]]) }
        #expect(try CELExpression("size(event.s + event.s)").evaluate(["event": ["s": text]]) == 2_000_000)
    }
}
