import Foundation

/// An Inngest expression: the CEL subset used for trigger `if` filters, the `if` of
/// `waitForEvent` and `cancelOn`, and the keys of flow control (concurrency, throttle,
/// rate limit, debounce, singleton, batch) and `priority.run`.
///
/// The text is parsed and checked when the expression is created, so an unsupported
/// construct fails at registration and never at run time:
///
/// ```swift
/// let filter = try CELExpression("async.data.amount > 100 && async.data.currency == 'USD'")
/// filter.matches(["async": payment])          // true or false
/// let priority = try CELExpression("event.data.plan == 'pro' ? 120 : 0")
/// try priority.evaluate(["event": event])      // .integer(120) or .integer(0)
/// ```
///
/// ## Supported syntax
/// The CEL of Inngest's server: the standard library without extensions, plus Inngest's
/// functions. The `Expressions` article of the documentation lists it in full, with what is
/// not supported.
/// - Variables and member access: `event.data.id`, `event.data["key"]`, `event.data.items[0]`.
/// - Literals: integers (decimal, `0x` hex), doubles (`1.5`, `2e3`), strings in single or
///   double quotes with CEL escapes, raw `r'…'` and triple-quoted strings, `true`,
///   `false`, `null`, lists `[1, 2]` and maps `{'k': v}`.
/// - Operators, loosest first: `? :`, `||`, `&&`, `== != < <= > >= in`, `+ - * / %`,
///   unary `!` and `-`, then member access; parentheses group.
/// - Macros: `has(a.b)`, and `all`, `exists`, `exists_one`, `map` (two or three arguments)
///   and `filter` on lists and maps.
/// - Functions `size`, `matches` (RE2, see `RegexProgram`), `int`, `double`, `string`,
///   `bool`, `dyn`, `timestamp`, `duration`, and Inngest's `lowercase`, `uppercase`, `date`,
///   `now`, `now_plus`, `now_minus`; methods `size`, `startsWith`, `endsWith`, `contains`,
///   `matches` and the getters of timestamps and durations (`TimestampGetter`).
///
/// ## Semantics
/// - A missing variable, field or index reads as `null`: `event.data.missing == null` and
///   `event.data.missing.deeper == null` are both true; `has()` tells a missing key from one
///   holding `null`.
/// - `==` across types is false; `<`, `<=`, `>`, `>=` across types (or on null, lists,
///   maps) are false. Integers and doubles compare by value.
/// - `&&`, `||`, `!`, the condition of `? :` and macro predicates treat anything but `true`
///   as false; `&&` and `||` stop at the first deciding operand.
/// - `in` tests for an equal list element or a map key.
/// - Integer arithmetic is checked; overflow and division by zero are
///   ``ExpressionError/Kind/evaluation`` errors, as is arithmetic on the wrong types.
///   A double in an operation makes it a double one; double results must stay finite.
///   Timestamps stay within the years 0001–9999 and durations within Go's ±292 years.
/// - Work is bounded: macros range over at most ``maximumIterations`` elements per evaluation,
///   and regular expressions run in linear time within `RegexProgram`'s limits.
package struct CELExpression: Sendable, Hashable, CustomStringConvertible {
    /// The longest accepted source, in UTF-8 bytes.
    package static let maximumSourceLength = 16 * 1024
    /// The deepest accepted nesting of brackets, conditionals and unary operators.
    package static let maximumNestingDepth = 64
    /// The most list elements and map keys the macros (`all`, `exists`, `map`, …) of one
    /// evaluation may range over in total, each macro counting its whole range when it
    /// starts; nested macros multiply, so this bounds their cost.
    package static let maximumIterations = 1_000_000
    /// The most steps the regular expressions of one evaluation may take together (each
    /// match costs its text's length times its program's size, see `RegexProgram`).
    package static let maximumRegexSteps = 200_000_000
    /// The most string bytes and list elements the `+` operations of one evaluation may
    /// build together, so that repeated concatenation cannot fill memory.
    package static let maximumConcatenatedSize = 8 * 1024 * 1024

    /// The expression text, as given.
    package let source: String
    /// Top-level variables the expression reads (`"event"`, `"async"`, …), so that a caller
    /// can check that, for example, a trigger `if` reads only `event`.
    package let variables: Set<String>
    private let root: ExpressionNode

    /// Parses and checks `source`.
    ///
    /// - Throws: ``ExpressionError`` naming the problem and its column, for malformed text
    ///   (``ExpressionError/Kind/syntax``), anything outside the supported subset such as
    ///   an unknown function or method (``ExpressionError/Kind/unsupported``), or a source
    ///   over ``maximumSourceLength`` or nesting deeper than ``maximumNestingDepth``
    ///   (``ExpressionError/Kind/limitExceeded``).
    package init(_ source: String) throws {
        try Self.checkLength(of: source)
        let tokens = try ExpressionLexer.tokenize(source)
        var parser = ExpressionParser(source: source, tokens: tokens, maximumDepth: Self.maximumNestingDepth)
        self.root = try parser.parse()
        self.variables = parser.variables
        self.source = source
    }

    /// Evaluates the expression with the given variables, e.g.
    /// `["event": eventJSON, "async": otherEventJSON]`; a variable not given reads as `null`.
    ///
    /// - Parameters:
    ///   - variables: The top-level variables by name.
    ///   - now: What `now()`, `now_plus()` and `now_minus()` count from; one moment for the
    ///     whole evaluation.
    /// - Returns: The value of the expression, a timestamp or duration as its JSON text; for a
    ///   filter, see ``matches(_:now:)``.
    /// - Throws: ``ExpressionError`` of kind ``ExpressionError/Kind/evaluation`` for an
    ///   operation that has no value: integer overflow, division by zero, arithmetic or a
    ///   function applied to the wrong types, a bad regular expression or time text; of kind
    ///   ``ExpressionError/Kind/limitExceeded`` when macros range over more than
    ///   ``maximumIterations`` elements. Type mismatches in comparisons are not errors.
    package func evaluate(_ variables: [String: JSONValue], now: Date = Date()) throws -> JSONValue {
        let evaluator = ExpressionEvaluator(
            source: source, variables: variables, now: TimeFunctions.timestamp(of: now))
        return try evaluator.evaluate(root).json
    }

    /// Whether the expression holds, with CEL's truthiness for filters: only a result of
    /// exactly `true` matches; any other value, or an evaluation error, does not.
    ///
    /// - Parameters:
    ///   - variables: The top-level variables by name.
    ///   - now: What `now()` and its relatives count from.
    package func matches(_ variables: [String: JSONValue], now: Date = Date()) -> Bool {
        guard let result = try? evaluate(variables, now: now) else { return false }
        return ExpressionOperations.isTrue(result)
    }

    package var description: String { source }

    // The tree is a function of the source, so the source alone identifies an expression.
    // Compared byte for byte: canonically equivalent strings can still differ as CEL sees them.
    package static func == (lhs: CELExpression, rhs: CELExpression) -> Bool {
        lhs.source.utf8.elementsEqual(rhs.source.utf8)
    }

    package func hash(into hasher: inout Hasher) { hasher.combine(source) }

    private static func checkLength(of source: String) throws {
        guard source.utf8.count > maximumSourceLength else { return }
        // Point at the first character that does not fit.
        var bytes = 0
        var column = 1
        for scalar in source.unicodeScalars {
            bytes += UTF8.width(scalar)
            if bytes > maximumSourceLength { break }
            column += 1
        }
        throw ExpressionError(
            kind: .limitExceeded,
            message: "expression is longer than the limit of \(maximumSourceLength) bytes (\(source.utf8.count) bytes)",
            source: source, column: column)
    }
}
