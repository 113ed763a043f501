import Testing

@testable import InngestCore

@Suite struct ExpressionStringFunctionTests {
    @Test(arguments: [
        ("event.data.user.email.matches('^[^@]+@example\\\\.com$')", true),
        ("event.data.user.email.matches('@example\\\\.org')", false),
        ("matches(event.data.plan, '^(pro|enterprise)$')", true),
        ("event.data.id.matches(r'^inv_\\d+$')", true),
        ("event.data.items.exists(i, string(i).matches('^2'))", true),
    ])
    func matchesUsesRE2Search(source: String, expected: Bool) throws {
        #expect(try evaluate(source) == .bool(expected))
    }

    @Test func matchesFailuresAreEvaluationErrors() throws {
        let bad = try evaluationError("event.data.plan.matches('(')")
        #expect(bad?.kind == .evaluation)
        #expect(bad?.message == "matches(): missing ')' in regular expression")
        #expect(bad?.column == 17)
        #expect(try evaluationError("event.data.amount.matches('1')")?.message == "matches() expects a string, got int")
        #expect(try evaluationError("event.data.plan.matches(1)")?.message == ".matches() expects a string argument, got int")
        // A pattern from the event is checked at run time, with the same limits.
        let huge = JSONValue.string(String(repeating: "x", count: 5_000))
        let error = try evaluationError("event.data.s.matches(event.data.p)", ["event": ["data": ["s": "x", "p": huge]]])
        #expect(error?.message == "matches(): regular expression is longer than the limit of 4096 characters")
    }

    @Test(
        arguments: [
            ("int('42')", JSONValue.integer(42)), ("int('-9223372036854775808')", .integer(Int64.min)), ("int(2.9)", 2),
            ("int(-2.9)", -2), ("int(event.data.amount)", 150), ("double(3)", 3.0), ("double('2.5e1')", 25.0),
            ("double(event.data.ratio)", 0.25), ("string(42)", "42"), ("string(true)", "true"), ("string('s')", "s"),
            ("bool('true')", true), ("bool('F')", false), ("bool(true)", true), ("dyn(event.data.items)", [10, 20, 30]),
            ("int(event.data.key == 'dynamic') == 1", false),
        ] as [(String, JSONValue)])
    func conversions(source: String, expected: JSONValue) throws {
        if source.hasPrefix("int(event.data.key") {
            // int(bool) is not a CEL overload.
            #expect(try evaluationError(source)?.message == "int() is not defined for bool")
            return
        }
        #expect(try evaluate(source) == expected)
    }

    @Test func regexWorkIsBoundedPerEvaluation() throws {
        // Each match of a 1,000-character string against a ~2,000-instruction program is
        // about 2,000,000 steps, under the per-match limit; 100 of them in one macro exceed
        // the 200,000,000 steps an evaluation may spend on regular expressions.
        let text = JSONValue.string(String(repeating: "b", count: 1_000))
        let event: JSONValue = ["data": ["s": text, "l": .array(Array(repeating: 1, count: 100))]]
        let expression = try CELExpression("event.data.l.exists(x, event.data.s.matches('(a{1000}){2}'))")
        let error = #expect(throws: ExpressionError.self) { try expression.evaluate(["event": event]) }
        #expect(
            error?.message
                == "matches(): the regular expressions of this evaluation would take more than 200000000 steps")
        // Fewer elements stay within the budget.
        let fewer: JSONValue = ["data": ["s": text, "l": .array(Array(repeating: 1, count: 10))]]
        #expect(try expression.evaluate(["event": fewer]) == false)
    }

    @Test(arguments: [
        ("int('12x')", "int(): '12x' is not an integer"),
        ("int('9223372036854775808')", "int(): '9223372036854775808' is not an integer"),
        ("int(1e19)", "int(): 1e+19 is out of the int range"),
        ("int(-9223372036854775808.0)", "int(): -9.223372036854776e+18 is out of the int range"),
        ("double('nan')", "double(): 'nan' is not a number"),
        ("double('1e999')", "double(): '1e999' is not a number"),
        ("string(1.5)", "string() is not defined for double"),
        ("bool('yes')", "bool(): 'yes' is not a boolean"),
        ("int(null)", "int() is not defined for null"),
    ])
    func conversionsWithoutAnExactAnswerFail(source: String, message: String) throws {
        #expect(try evaluationError(source, [:])?.message == message)
    }
}
