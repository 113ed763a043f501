import SwiftSyntax

/// What the runtime needs from a handler's declaration, or why it cannot call it.
struct HandlerSignature {
    /// The parameter's name inside the body (`ctx` in `_ ctx: Context<X>`).
    var contextName: String
    /// The label used to call it (`_` for none).
    var label: String
    /// The `Payload` of `Context<Payload>`.
    var inputType: String
    var outputType: String?
    var isAsync: Bool
    var isThrowing: Bool

    /// Reads the signature, or returns the problems that stop the runtime from calling it.
    static func read(_ function: FunctionDeclSyntax, isInType: Bool) -> Result<HandlerSignature, SignatureProblem> {
        let name = function.name.text
        let modifiers = Set(function.modifiers.map { $0.name.text })
        if isInType, !modifiers.contains("static"), !modifiers.contains("class") {
            return .failure(.init("'\(name)' is an instance method; @InngestFunction applies to global functions and static methods"))
        }
        if modifiers.contains("private") || modifiers.contains("fileprivate") {
            return .failure(.init("'\(name)' is \(modifiers.contains("private") ? "private" : "fileprivate"); the generated registry cannot call it, make it internal or wider"))
        }
        if modifiers.contains("mutating") {
            return .failure(.init("'\(name)' cannot be called from the generated registry"))
        }
        if function.genericParameterClause != nil {
            return .failure(.init("'\(name)' is generic; a handler needs one concrete Context<Payload> type"))
        }
        let parameters = Array(function.signature.parameterClause.parameters)
        guard parameters.count == 1, let parameter = parameters.first,
            let input = contextArgument(of: parameter.type), parameter.defaultValue == nil, parameter.ellipsis == nil
        else {
            return .failure(.init("'\(name)' must take exactly one parameter of type Context<Payload>, e.g. (_ ctx: Context<MyEvent>)"))
        }
        if parameter.type.is(AttributedTypeSyntax.self) {
            return .failure(.init("'\(name)' takes its context inout; a handler takes Context<Payload> by value"))
        }
        let effects = function.signature.effectSpecifiers
        if let throwsClause = effects?.throwsClause, throwsClause.type != nil {
            return .failure(.init("'\(name)' uses typed throws; a handler throws any Error"))
        }
        let output = function.signature.returnClause.map { $0.type.trimmedDescription }
        let label = parameter.firstName.text
        let contextName = parameter.secondName?.text ?? label
        return .success(
            HandlerSignature(
                contextName: contextName, label: label, inputType: input,
                outputType: output == "Void" || output == "()" ? nil : output,
                isAsync: effects?.asyncSpecifier != nil, isThrowing: effects?.throwsClause != nil))
    }

    /// `Context<X>` or `Inngest.Context<X>` → `X`.
    private static func contextArgument(of type: TypeSyntax) -> String? {
        if let identifier = type.as(IdentifierTypeSyntax.self), identifier.name.text == "Context",
            let arguments = identifier.genericArgumentClause?.arguments, arguments.count == 1, let argument = arguments.first
        {
            return argument.argument.trimmedDescription
        }
        if let member = type.as(MemberTypeSyntax.self), member.baseType.trimmedDescription == "Inngest", member.name.text == "Context",
            let arguments = member.genericArgumentClause?.arguments, arguments.count == 1, let argument = arguments.first
        {
            return argument.argument.trimmedDescription
        }
        return nil
    }
}

struct SignatureProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
