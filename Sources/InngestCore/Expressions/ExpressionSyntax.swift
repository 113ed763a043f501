/// A node of a parsed expression.
///
/// Chains of operators of one precedence (`a + b - c`, `a || b || c`) and of member
/// accesses (`event.data.items[0].id`) are kept flat rather than as nested binary
/// nodes, so that a long but shallow expression never needs deep recursion to
/// evaluate; only real nesting (brackets, unary operators, conditionals) deepens the
/// tree, and that is bounded by ``CELExpression/maximumNestingDepth``.
struct ExpressionNode: Sendable {
    indirect enum Kind: Sendable {
        case literal(JSONValue)
        /// A top-level variable such as `event` or `async`.
        case variable(String)
        case list([ExpressionNode])
        case map([MapEntry])
        /// `!x`
        case not(ExpressionNode)
        /// `-x`
        case negate(ExpressionNode)
        /// `a && b && …` or `a || b || …`
        case logical(LogicalOperator, [ExpressionNode])
        /// A left-associative chain of relational or arithmetic operators of one precedence.
        case binary(ExpressionNode, [BinaryStep])
        /// `condition ? then : otherwise`
        case conditional(ExpressionNode, ExpressionNode, ExpressionNode)
        /// A global function such as `size(x)`.
        case call(ExpressionFunction, [ExpressionNode])
        /// Field selections, indexes and method calls applied in order to a base.
        case postfix(ExpressionNode, [PostfixStep])
        /// `has(base.field)`: whether `base` is a map holding `field`.
        case has(ExpressionNode, field: String)
        /// A macro over a list or map: `all`, `exists`, `exists_one`, `map`, `filter`.
        case comprehension(Comprehension)
    }

    let kind: Kind
    /// 1-based column that run-time errors about this node point at.
    let column: Int
}

struct MapEntry: Sendable {
    let key: ExpressionNode
    let value: ExpressionNode
}

enum LogicalOperator: Sendable {
    case and, or
}

enum BinaryOperator: String, Sendable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    case `in` = "in"
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case remainder = "%"
}

struct BinaryStep: Sendable {
    let op: BinaryOperator
    /// Where the operator is written.
    let column: Int
    let operand: ExpressionNode
}

enum PostfixStep: Sendable {
    /// `.name`
    case field(String)
    /// `[expression]`
    case index(ExpressionNode)
    /// `.name(arguments)`, with the column of the name.
    case method(ExpressionMethod, [ExpressionNode], column: Int)
}
