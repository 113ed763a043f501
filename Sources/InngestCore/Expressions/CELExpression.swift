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
/// - Variables and member access: `event.data.id`, `event.data["key"]`, `event.data.items[0]`.
/// - Literals: integers (decimal, `0x` hex), doubles (`1.5`, `2e3`), strings in single or
///   double quotes with CEL escapes, raw `r'…'` and triple-quoted strings, `true`,
///   `false`, `null`, lists `[1, 2]` and maps `{'k': v}`.
/// - Operators, loosest first: `? :`, `||`, `&&`, `== != < <= > >= in`, `+ -`, `* / %`,
///   unary `!` and `-`, then member access; parentheses group.
/// - Functions `size(x)`, `lowercase(x)`, `uppercase(x)`; methods `x.size()`,
///   `s.startsWith(t)`, `s.endsWith(t)`, `s.contains(t)`.
///
/// ## Semantics
/// - A missing variable, field or index reads as `null`: `event.data.missing == null` and
///   `event.data.missing.deeper == null` are both true.
/// - `==` across types is false; `<`, `<=`, `>`, `>=` across types (or on null, lists,
///   maps) are false. Integers and doubles compare by value.
/// - `&&`, `||`, `!` and the condition of `? :` treat anything but `true` as false;
///   `&&` and `||` stop at the first deciding operand.
/// - `in` tests for an equal list element or a map key.
/// - Integer arithmetic is checked; overflow and division by zero are
///   ``ExpressionError/Kind/evaluation`` errors, as is arithmetic on the wrong types.
///   A double in an operation makes it a double one; double results must stay finite.
package struct CELExpression: Sendable, Hashable, CustomStringConvertible {
    /// The longest accepted source, in UTF-8 bytes.
    package static let maximumSourceLength = 16 * 1024
    /// The deepest accepted nesting of brackets, conditionals and unary operators.
    package static let maximumNestingDepth = 64

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
    ///   `has()` or an unknown function (``ExpressionError/Kind/unsupported``), or a source
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
    /// - Returns: The value of the expression; for a filter, see ``matches(_:)``.
    /// - Throws: ``ExpressionError`` of kind ``ExpressionError/Kind/evaluation`` for an
    ///   operation that has no value: integer overflow, division by zero, arithmetic or a
    ///   function applied to the wrong types. Type mismatches in comparisons are not errors.
    package func evaluate(_ variables: [String: JSONValue]) throws -> JSONValue {
        try ExpressionEvaluator(source: source, variables: variables).evaluate(root)
    }

    /// Whether the expression holds, with CEL's truthiness for filters: only a result of
    /// exactly `true` matches; any other value, or an evaluation error, does not.
    package func matches(_ variables: [String: JSONValue]) -> Bool {
        guard let result = try? evaluate(variables) else { return false }
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
