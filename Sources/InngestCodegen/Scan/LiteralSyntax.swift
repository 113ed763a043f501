import InngestCore
import SwiftParser
import SwiftSyntax

/// Reading literal values and call shapes out of expressions. Anything that is not a
/// literal the generator understands reads as `nil`: the caller decides what that means.
enum LiteralSyntax {
    /// A string literal without interpolation, with escapes resolved.
    static func string(_ expression: ExprSyntax) -> String? {
        expression.as(StringLiteralExprSyntax.self)?.representedLiteralValue
    }

    static func integer(_ expression: ExprSyntax) -> Int? {
        if let literal = expression.as(IntegerLiteralExprSyntax.self) { return literal.representedLiteralValue }
        if let prefix = expression.as(PrefixOperatorExprSyntax.self), prefix.operator.text == "-",
            let value = integer(prefix.expression)
        {
            return -value
        }
        return nil
    }

    /// A time string literal or a `.seconds(n)`-style helper. Invalid time strings are kept
    /// (an ``InngestDuration`` carries its parse error), so the caller's check reports them.
    static func duration(_ expression: ExprSyntax) -> InngestDuration? {
        if let text = string(expression) { return InngestDuration(stringLiteral: text) }
        guard let call = CallSyntax(expression), let argument = call.unlabeled(), let count = integer(argument) else { return nil }
        switch call.name {
        case "milliseconds": return .milliseconds(count)
        case "seconds": return .seconds(count)
        case "minutes": return .minutes(count)
        case "hours": return .hours(count)
        case "days": return .days(count)
        case "weeks": return .weeks(count)
        default: return nil
        }
    }

    static func isNil(_ expression: ExprSyntax) -> Bool {
        expression.is(NilLiteralExprSyntax.self)
    }

    /// `X.self` → `X`.
    static func metatype(_ expression: ExprSyntax) -> String? {
        guard let member = expression.as(MemberAccessExprSyntax.self), member.declName.baseName.text == "self",
            let base = member.base
        else { return nil }
        return base.trimmedDescription
    }

    /// `.name` with no base: an enum case or static member written implicitly.
    static func implicitMember(_ expression: ExprSyntax) -> String? {
        guard let member = expression.as(MemberAccessExprSyntax.self), member.base == nil else { return nil }
        return member.declName.baseName.text
    }
}

/// A call such as `.limit(10, key: "…")`, `Throttle(limit: 1, period: "1m")` or
/// `.init(period: "5s")`, with its arguments by label.
struct CallSyntax {
    /// The member called (`limit`, `event`, `init`), or the type name for `Type(...)`.
    let name: String
    let arguments: [LabeledExprSyntax]

    init?(_ expression: ExprSyntax) {
        guard let call = expression.as(FunctionCallExprSyntax.self) else { return nil }
        if let member = call.calledExpression.as(MemberAccessExprSyntax.self) {
            name = member.declName.baseName.text
        } else if let reference = call.calledExpression.as(DeclReferenceExprSyntax.self) {
            name = reference.baseName.text
        } else {
            return nil
        }
        arguments = Array(call.arguments)
    }

    /// The argument labelled `label`.
    func argument(_ label: String) -> ExprSyntax? {
        arguments.first { $0.label?.text == label }?.expression
    }

    /// The `index`-th argument without a label.
    func unlabeled(_ index: Int = 0) -> ExprSyntax? {
        let unlabeled = arguments.filter { $0.label == nil }
        return index < unlabeled.count ? unlabeled[index].expression : nil
    }
}
