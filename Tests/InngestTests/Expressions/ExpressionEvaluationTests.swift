import Testing

@testable import Inngest
@testable import InngestCore

@Suite struct ExpressionEvaluationTests {
    // MARK: - Access and missing data

    @Test func fieldAndIndexAccess() throws {
        #expect(try evaluate("event.data.user.name") == "Ada")
        #expect(try evaluate("event['data']['user']['email']") == "ada@example.com")
        #expect(try evaluate("event.data[\"user\"].name") == "Ada")
        #expect(try evaluate("event.data.items[1]") == 20)
        #expect(try evaluate("event.data.items[1.0]") == 20)
        #expect(try evaluate("event.data.items[size(event.data.items) - 1]") == 30)
        #expect(try evaluate("event.data[event.data.key == 'dynamic' ? 'plan' : 'id']") == "pro")
        #expect(try evaluate("[[1, 2], [3, 4]][1][0]") == 3)
        #expect(try evaluate("{'a': {'b': 'c'}}.a.b") == "c")
        #expect(try evaluate("event.data.tags") == ["a": 1, "b": 2])
    }

    @Test func missingDataReadsAsNull() throws {
        #expect(try evaluate("event.data.missing") == nil)
        #expect(try evaluate("event.data.missing == null") == true)
        #expect(try evaluate("event.data.missing.deeper == null") == true)
        #expect(try evaluate("event.data.missing.deeper.still[0]['x'] == null") == true)
        #expect(try evaluate("event.data.nothing == null") == true)
        #expect(try evaluate("event.data.missing != null") == false)
        #expect(try evaluate("async.data.id == null") == true)  // variable not given
        #expect(try evaluate("event.data.user.name.first == null") == true)  // field of a string
        #expect(try evaluate("event.data.amount.value == null") == true)  // field of a number
        #expect(try evaluate("event.data.items[3] == null") == true)
        #expect(try evaluate("event.data.items[-1] == null") == true)
        #expect(try evaluate("event.data.items[0.5] == null") == true)
        #expect(try evaluate("event.data.items['0'] == null") == true)
        #expect(try evaluate("event.data.user[0] == null") == true)
        #expect(try evaluate("event.data.user.name[0] == null") == true)
        #expect(try evaluate("event.data.missing == 'x'") == false)
        #expect(try evaluate("event.data.missing", [:]) == nil)
    }

    // MARK: - Equality

    @Test(arguments: [
        ("1 == 1", true), ("1 == 2", false), ("1 != 2", true), ("1 != 1", false),
        ("1 == 1.0", true), ("1.0 == 1", true), ("1 == 1.5", false), ("0.1 + 0.2 == 0.3", false),
        ("'a' == 'a'", true), ("'a' == 'A'", false), ("'' == ''", true),
        ("true == true", true), ("true != false", true), ("null == null", true),
        ("[1, 2] == [1, 2]", true), ("[1, 2] == [2, 1]", false), ("[1] == [1.0]", true), ("[] == []", true),
        ("{'a': 1} == {'a': 1.0}", true), ("{'a': 1} == {'b': 1}", false), ("{'a': 1} == {'a': 1, 'b': 2}", false),
        ("[{'a': [1]}] == [{'a': [1]}]", true),
        // Different types are unequal, not an error.
        ("1 == '1'", false), ("1 != '1'", true), ("null == false", false), ("null == 0", false),
        ("null == ''", false), ("true == 1", false), ("[] == {}", false), ("'a' == ['a']", false),
        ("null != []", true),
        // Canonically equivalent strings still differ, as on the server.
        ("'\\u00e9' == 'e\\u0301'", false),
    ])
    func equality(source: String, expected: Bool) throws {
        #expect(try evaluate(source, [:]) == .bool(expected))
    }

    @Test func equalityOnEventData() throws {
        #expect(try evaluate("event.data.amount == 150") == true)
        #expect(try evaluate("event.data.amount == 150.0") == true)
        #expect(try evaluate("event.data.items == [10, 20, 30]") == true)
        #expect(try evaluate("event.data.tags == {'b': 2, 'a': 1}") == true)
        #expect(try evaluate("event.data.amount == '150'") == false)
        #expect(try evaluate("event.data.flag == true") == true)
    }

    // MARK: - Ordering

    @Test(arguments: [
        ("1 < 2", true), ("2 < 1", false), ("1 <= 1", true), ("2 <= 1", false),
        ("2 > 1", true), ("1 > 1", false), ("1 >= 1", true), ("0 >= 1", false),
        ("1 < 1.5", true), ("1.5 < 2", true), ("2.0 >= 2", true), ("2 > 1.999", true), ("-1 < -0.5", true),
        ("'a' < 'b'", true), ("'abc' < 'abd'", true), ("'ab' < 'abc'", true), ("'b' <= 'a'", false),
        ("'B' < 'a'", true),  // code point order, not locale order
        ("'z' < 'é'", true),
        ("false < true", true), ("true > false", true), ("true <= true", true),
        // Exact across integer and double, where converting the integer would round.
        ("9007199254740993 > 9007199254740992.0", true),
        ("9007199254740993 == 9007199254740992.0", false),
        ("9223372036854775807 < 9223372036854775808.0", true),
        ("-9223372036854775808 <= -9223372036854775808.0", true),
        ("-9223372036854775808 > -1e300", true),
        // Mismatched or unordered types are false both ways.
        ("'1' < 2", false), ("'1' >= 2", false), ("1 > 'a'", false), ("1 <= 'a'", false),
        ("null < 1", false), ("null >= 0", false), ("null <= null", false), ("null >= null", false),
        ("true > 0", false), ("[1] < [2]", false), ("[1] >= [1]", false), ("{} <= {}", false),
    ])
    func ordering(source: String, expected: Bool) throws {
        #expect(try evaluate(source, [:]) == .bool(expected))
    }

    @Test func orderingOnMissingFieldsIsFalse() throws {
        #expect(try evaluate("event.data.missing > 10") == false)
        #expect(try evaluate("event.data.missing < 10") == false)
        #expect(try evaluate("event.data.user.name > 10") == false)
        #expect(try evaluate("event.data.amount >= 100 && event.data.amount < 200") == true)
    }

    // MARK: - Logic

    @Test(arguments: [
        ("true && true", true), ("true && false", false), ("false && true", false), ("false && false", false),
        ("true || true", true), ("true || false", true), ("false || true", true), ("false || false", false),
        ("!true", false), ("!false", true), ("!!true", true), ("!!!true", false),
        ("true && true && true && false", false), ("false || false || false || true", true),
        // Anything but true counts as false.
        ("1 && true", false), ("'true' && true", false), ("null || false", false), ("[true] || true", true),
        ("!null", true), ("!1", true), ("!'x'", true), ("!0", true),
        ("true && 1 == 1", true),
    ])
    func logic(source: String, expected: Bool) throws {
        #expect(try evaluate(source, [:]) == .bool(expected))
    }

    @Test func logicShortCircuitsPastErrors() throws {
        #expect(try evaluate("false && (1/0 == 1)", [:]) == false)
        #expect(try evaluate("true || (1/0 == 1)", [:]) == true)
        #expect(try evaluate("event.data.missing == 1 && event.data.items / 0 == 1") == false)
        // As in CEL, a deciding operand after an error still decides.
        #expect(try evaluate("(1/0 == 1) && false", [:]) == false)
        #expect(try evaluate("(1/0 == 1) || true", [:]) == true)
        #expect(try evaluate("(1/0 == 1) && 1 == 2 && (2/0 == 1)", [:]) == false)
    }

    @Test func logicKeepsErrorsThatDecide() throws {
        let and = try evaluationError("true && (1/0 == 1)", [:])
        #expect(and?.message == "division by zero")
        #expect(and?.column == 11)
        let or = try evaluationError("(1/0 == 1) || false", [:])
        #expect(or?.column == 3)
        // The first error is the one reported.
        let both = try evaluationError("(1/0 == 1) && (9223372036854775807 + 1 == 0)", [:])
        #expect(both?.message == "division by zero")
    }

    // MARK: - Arithmetic

    @Test(arguments: [
        ("1 + 2", JSONValue.integer(3)), ("5 - 7", .integer(-2)), ("6 * 7", .integer(42)),
        ("7 / 2", .integer(3)), ("-7 / 2", .integer(-3)), ("7 % 3", .integer(1)), ("-7 % 3", .integer(-1)),
        ("7 % -3", .integer(1)),
        ("1 + 2 * 3", .integer(7)), ("(1 + 2) * 3", .integer(9)), ("10 - 2 - 3", .integer(5)),
        ("100 / 10 / 5", .integer(2)), ("2 * 3 % 4", .integer(2)), ("-2 * 3", .integer(-6)),
        ("-(-3)", .integer(3)), ("--3", .integer(3)), ("- 3", .integer(-3)), ("2 - -3", .integer(5)),
        ("1.5 + 1.5", .double(3)), ("7.0 / 2", .double(3.5)), ("1 + 0.5", .double(1.5)),
        ("0.5 * 4", .double(2)), ("5.5 % 2", .double(1.5)), ("-5.5 % 2", .double(-1.5)), ("-1.5 - 1", .double(-2.5)),
        ("'ab' + 'cd'", .string("abcd")), ("'' + ''", .string("")),
        ("[1] + [2, 3]", .array([1, 2, 3])), ("[] + []", .array([])),
        ("9223372036854775806 + 1", .integer(Int64.max)),
        ("-9223372036854775807 - 1", .integer(Int64.min)),
        ("-9223372036854775808 / 1", .integer(Int64.min)),
    ])
    func arithmetic(source: String, expected: JSONValue) throws {
        let value = try evaluate(source, [:])
        #expect(value == expected)
        switch (value, expected) {
        case (.integer, .integer), (.double, .double), (.string, .string), (.array, .array): break
        default: Issue.record("\(source) gave \(value), of another type than \(expected)")
        }
    }

    @Test func arithmeticOnEventData() throws {
        #expect(try evaluate("event.data.amount * 2 + 1") == 301)
        #expect(try evaluate("event.data.amount * event.data.ratio") == .double(37.5))
        #expect(try evaluate("-event.data.amount") == -150)
        #expect(try evaluate("event.data.user.name + '-' + event.data.plan") == "Ada-pro")
        #expect(try evaluate("event.data.items + [40]") == [10, 20, 30, 40])
    }

    @Test(arguments: [
        ("9223372036854775807 + 1", "integer overflow in '+'", 21),
        ("-9223372036854775808 - 1", "integer overflow in '-'", 22),
        ("4611686018427387904 * 2", "integer overflow in '*'", 21),
        ("-9223372036854775808 / -1", "integer overflow in '/'", 22),
        ("-9223372036854775808 % -1", "integer overflow in '%'", 22),
        ("event.data.max + 1", "integer overflow in '+'", 16),
        ("event.data.min - 1", "integer overflow in '-'", 16),
        ("event.data.max * event.data.max", "integer overflow in '*'", 16),
        ("-event.data.min", "integer overflow in '-'", 1),
        ("1 / 0", "division by zero", 3),
        ("event.data.amount / event.data.zero", "division by zero", 19),
        ("1 % 0", "modulus by zero", 3),
        ("1.0 / 0", "division by zero", 5),
        ("1 / 0.0", "division by zero", 3),
        ("1.5 % 0.0", "modulus by zero", 5),
        ("1e308 * 10", "double overflow in '*'", 7),
        ("-1e308 - 1e308", "double overflow in '-'", 8),
    ])
    func arithmeticFailuresThrowInsteadOfTrapping(source: String, message: String, column: Int) throws {
        let error = try evaluationError(source)
        #expect(error?.kind == .evaluation)
        #expect(error?.message == message)
        #expect(error?.column == column)
        #expect(error?.description == "\(message) at column \(column) in \"\(source)\"")
    }

    @Test(arguments: [
        ("'a' + 1", "cannot apply '+' to string and int", 5),
        ("1 + 'a'", "cannot apply '+' to int and string", 3),
        ("event.data.missing + 1", "cannot apply '+' to null and int", 20),
        ("'ab' - 'b'", "cannot apply '-' to string and string", 6),
        ("[1] * 2", "cannot apply '*' to list and int", 5),
        ("{'a': 1} + {'b': 2}", "cannot apply '+' to map and map", 10),
        ("true + true", "cannot apply '+' to bool and bool", 6),
        ("-'a'", "cannot negate string", 1),
        ("-event.data.missing", "cannot negate null", 1),
    ])
    func arithmeticOnWrongTypesThrows(source: String, message: String, column: Int) throws {
        let error = try evaluationError(source)
        #expect(error?.kind == .evaluation)
        #expect(error?.message == message)
        #expect(error?.column == column)
    }

    // MARK: - Membership

    @Test(arguments: [
        ("2 in [1, 2, 3]", true), ("4 in [1, 2, 3]", false), ("2.0 in [1, 2]", true), ("'a' in ['a', 'b']", true),
        ("[1] in [[1], [2]]", true), ("null in [null]", true), ("1 in []", false), ("'1' in [1]", false),
        ("'a' in {'a': 1}", true), ("'b' in {'a': 1}", false), ("1 in {'1': 2}", false),
        ("'a' in 'abc'", false), ("1 in 1", false), ("1 in null", false),
        ("2 in [2] == true", true),  // `in` and `==` share a precedence, left to right
    ])
    func membership(source: String, expected: Bool) throws {
        #expect(try evaluate(source, [:]) == .bool(expected))
    }

    @Test func membershipOnEventData() throws {
        #expect(try evaluate("event.data.role in ['admin', 'owner']") == true)
        #expect(try evaluate("20 in event.data.items") == true)
        #expect(try evaluate("'a' in event.data.tags") == true)
        #expect(try evaluate("'x' in event.data.missing") == false)
        #expect(try evaluate("event.data.missing in [1, 2]") == false)
    }

    // MARK: - Functions and methods

    @Test(arguments: [
        ("size('hello')", JSONValue.integer(5)), ("size('héllo')", .integer(5)), ("'😀'.size()", .integer(1)),
        ("size('')", .integer(0)), ("size([1, 2, 3])", .integer(3)), ("[].size()", .integer(0)),
        ("size({'a': 1, 'b': 2})", .integer(2)), ("{'a': 1}.size()", .integer(1)),
        ("'hello'.startsWith('he')", .bool(true)), ("'hello'.startsWith('lo')", .bool(false)),
        ("'hello'.endsWith('lo')", .bool(true)), ("'hello'.endsWith('he')", .bool(false)),
        ("'hello'.contains('ell')", .bool(true)), ("'hello'.contains('xyz')", .bool(false)),
        ("'hello'.contains('')", .bool(true)), ("''.contains('')", .bool(true)), ("''.startsWith('a')", .bool(false)),
        ("'short'.endsWith('much longer')", .bool(false)),
        // Byte-wise like Go, so a combining mark does not hide the base letter.
        ("'e\\u0301'.startsWith('e')", .bool(true)),
        ("lowercase('HeLLo')", .string("hello")), ("uppercase('HeLLo')", .string("HELLO")),
        ("lowercase('ÄÖ')", .string("äö")), ("uppercase('')", .string("")),
    ])
    func functionsAndMethods(source: String, expected: JSONValue) throws {
        #expect(try evaluate(source, [:]) == expected)
    }

    @Test func functionsOnEventData() throws {
        #expect(try evaluate("size(event.data.items) == 3 && event.data.items.size() == 3") == true)
        #expect(try evaluate("event.data.user.email.endsWith('@example.com')") == true)
        #expect(try evaluate("lowercase(event.data.user.name) == 'ada'") == true)
        #expect(try evaluate("uppercase(event.data.plan)") == "PRO")
        #expect(try evaluate("event.name.startsWith('billing/') && event.data.user.name.contains('d')") == true)
        #expect(try evaluate("event.data.user.size()") == 2)
    }

    @Test(arguments: [
        ("size(1)", "size() is not defined for int", 1),
        ("size(event.data.missing)", "size() is not defined for null", 1),
        ("event.data.amount.size()", ".size() is not defined for int", 19),
        ("lowercase(1)", "lowercase() expects a string, got int", 1),
        ("uppercase(event.data.missing)", "uppercase() expects a string, got null", 1),
        ("event.data.missing.startsWith('a')", ".startsWith() expects a string, got null", 20),
        ("'abc'.contains(1)", ".contains() expects a string argument, got int", 7),
        ("[1].endsWith('a')", ".endsWith() expects a string, got list", 5),
    ])
    func functionsOnWrongTypesThrow(source: String, message: String, column: Int) throws {
        let error = try evaluationError(source)
        #expect(error?.kind == .evaluation)
        #expect(error?.message == message)
        #expect(error?.column == column)
    }

    // MARK: - Conditional

    @Test(arguments: [
        ("true ? 1 : 2", JSONValue.integer(1)), ("false ? 1 : 2", .integer(2)),
        ("'x' ? 1 : 2", .integer(2)), ("null ? 1 : 2", .integer(2)),  // non-bool counts as false
        ("false ? 1 : true ? 2 : 3", .integer(2)),  // right-associative
        ("true ? (false ? 1 : 2) : 3", .integer(2)),  // a nested middle needs parentheses, as in CEL
        ("1 + 1 == 2 ? 'yes' : 'no'", .string("yes")),
        ("true ? 1 : 1 / 0", .integer(1)),  // only the chosen branch runs
        ("false ? 1 / 0 : 2", .integer(2)),
        ("(true ? 1 : 2) + 10", .integer(11)),
        ("true || false ? 'a' : 'b'", .string("a")),  // the condition binds loosest
    ])
    func conditional(source: String, expected: JSONValue) throws {
        #expect(try evaluate(source, [:]) == expected)
    }

    @Test func conditionalOnEventData() throws {
        #expect(try evaluate("event.data.missing ? 'a' : 'b'") == "b")
        #expect(try evaluate("event.data.flag ? event.data.amount : 0") == 150)
    }

    // MARK: - Precedence

    @Test(arguments: [
        ("1 + 2 == 3 && 2 * 2 == 4 || false", true),
        ("!false && false", false),
        ("!(false && false)", true),
        ("1 < 2 == true", true),
        ("false && false || true", true),  // && binds tighter than ||
        ("true || false && false", true),
        ("-1 + 2 == 1", true),
        ("2 + 3 * 4 - 6 / 2 == 11", true),
        ("'a' + 'b' in ['ab']", true),
        ("!event.data.flag == false", true),  // `!` binds tighter than `==`
    ])
    func precedence(source: String, expected: Bool) throws {
        #expect(try evaluate(source) == .bool(expected))
    }

    // MARK: - Map literals at run time

    @Test func dynamicMapKeysMustBeStringsAndUnique() throws {
        let number = try evaluationError("{event.data.amount: 1}")
        #expect(number?.message == "map keys must be strings, got int")
        #expect(number?.column == 2)
        let duplicate = try evaluationError("{event.data.plan: 1, 'pro': 2}")
        #expect(duplicate?.message == "duplicate map key 'pro'")
        #expect(duplicate?.column == 22)
    }

    // MARK: - matches

    @Test func matchesIsTrueOnlyForTrue() throws {
        let event: [String: JSONValue] = ["event": sampleEvent]
        #expect(try CELExpression("event.data.plan == 'pro'").matches(event))
        #expect(try !CELExpression("event.data.plan == 'free'").matches(event))
        #expect(try !CELExpression("event.data.amount").matches(event))  // a number is not true
        #expect(try !CELExpression("'true'").matches(event))
        #expect(try !CELExpression("event.data.missing").matches(event))
        #expect(try !CELExpression("1 / 0 == 0").matches(event))  // an error does not match
        #expect(try !CELExpression("event.data.missing.startsWith('a')").matches(event))
        #expect(try CELExpression("event.data.flag").matches(event))
    }
}
