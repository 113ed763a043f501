import SwiftParser
import SwiftSyntax

/// Scans one Swift file: every `@InngestFunction` declaration (with its options and step
/// calls) and every type, with the problems found on the way.
package enum SourceScanner {
    package static func scan(source: String, path: String) -> ScannedFile {
        let tree = Parser.parse(source: source)
        let visitor = DeclarationVisitor(locator: SourceLocator(file: path, tree: tree))
        visitor.walk(tree)
        return ScannedFile(path: path, functions: visitor.functions, types: visitor.types, diagnostics: visitor.diagnostics)
    }
}

/// Walks declarations, keeping track of the enclosing types for qualified names.
private final class DeclarationVisitor: SyntaxVisitor {
    let locator: SourceLocator
    var functions: [ScannedFunction] = []
    var types: [ScannedType] = []
    var diagnostics: [CodegenDiagnostic] = []
    private var typeStack: [String] = []

    init(locator: SourceLocator) {
        self.locator = locator
        super.init(viewMode: .sourceAccurate)
    }

    // MARK: Types

    override func visit(_ node: StructDeclSyntax) -> SyntaxVisitorContinueKind {
        enter(node.name.text, kind: .structure, node.inheritanceClause, node.memberBlock)
    }
    override func visitPost(_ node: StructDeclSyntax) { typeStack.removeLast() }

    override func visit(_ node: ClassDeclSyntax) -> SyntaxVisitorContinueKind {
        enter(node.name.text, kind: .classType, node.inheritanceClause, node.memberBlock)
    }
    override func visitPost(_ node: ClassDeclSyntax) { typeStack.removeLast() }

    override func visit(_ node: EnumDeclSyntax) -> SyntaxVisitorContinueKind {
        enter(node.name.text, kind: .enumeration, node.inheritanceClause, node.memberBlock)
    }
    override func visitPost(_ node: EnumDeclSyntax) { typeStack.removeLast() }

    override func visit(_ node: ActorDeclSyntax) -> SyntaxVisitorContinueKind {
        typeStack.append(node.name.text)
        return .visitChildren
    }
    override func visitPost(_ node: ActorDeclSyntax) { typeStack.removeLast() }

    override func visit(_ node: ExtensionDeclSyntax) -> SyntaxVisitorContinueKind {
        typeStack.append(node.extendedType.trimmedDescription)
        return .visitChildren
    }
    override func visitPost(_ node: ExtensionDeclSyntax) { typeStack.removeLast() }

    private func enter(_ name: String, kind: ScannedType.Kind, _ inheritance: InheritanceClauseSyntax?, _ members: MemberBlockSyntax) -> SyntaxVisitorContinueKind {
        typeStack.append(name)
        types.append(TypeCollector.type(named: typeStack.joined(separator: "."), kind: kind, inheritance: inheritance, members: members))
        return .visitChildren
    }

    // MARK: Functions

    override func visit(_ node: FunctionDeclSyntax) -> SyntaxVisitorContinueKind {
        guard let attribute = Self.inngestAttribute(of: node) else { return .skipChildren }
        if let function = read(node, attribute: attribute) { functions.append(function) }
        return .skipChildren
    }

    /// `@InngestFunction(...)` or `@Inngest.InngestFunction(...)`.
    private static func inngestAttribute(of function: FunctionDeclSyntax) -> AttributeSyntax? {
        for element in function.attributes {
            guard case .attribute(let attribute) = element else { continue }
            let name = attribute.attributeName.trimmedDescription
            if name == "InngestFunction" || name == "Inngest.InngestFunction" { return attribute }
        }
        return nil
    }

    private func read(_ function: FunctionDeclSyntax, attribute: AttributeSyntax) -> ScannedFunction? {
        let position = locator.position(of: function.name)
        let arguments: [LabeledExprSyntax]
        if case .argumentList(let list) = attribute.arguments { arguments = Array(list) } else { arguments = [] }

        var options = OptionReader(locator: locator)
        var configurationArguments: [ScannedArgument] = []
        var onFailure: String?
        var id: String?
        var idPosition = locator.position(of: attribute)
        for argument in arguments {
            let label = argument.label?.text ?? ""
            if label == "onFailure" {
                onFailure = argument.expression.trimmedDescription
                continue
            }
            configurationArguments.append(ScannedArgument(label: label, source: argument.expression.trimmedDescription))
            if label == "id" {
                idPosition = locator.position(of: argument.expression)
                id = LiteralSyntax.string(argument.expression)
                if id == nil { diagnostics.append(.error("the function id must be a string literal", at: idPosition)) }
            }
            options.read(label: label, argument.expression)
        }
        let (configuration, optionEvents) = options.finish()

        let isInType = !typeStack.isEmpty && function.parent?.parent?.parent?.is(MemberBlockSyntax.self) == true
        let signature: HandlerSignature?
        switch HandlerSignature.read(function, isInType: isInType) {
        case .success(let read): signature = read
        case .failure(let problem):
            diagnostics.append(.error(problem.message, at: position))
            signature = nil
        }

        var steps: [ScannedStep] = []
        var stepEvents: [EventReference] = []
        var complete = true
        if let signature, let body = function.body {
            let collector = StepCallCollector(contextName: signature.contextName, locator: locator)
            collector.walk(body)
            steps = collector.steps
            stepEvents = collector.eventReferences
            diagnostics += collector.diagnostics
            complete = !collector.contextEscapes && !collector.hasNonLiteralStepID
            diagnostics += Self.repeatedStepIDs(steps)
        }

        return ScannedFunction(
            id: id, idPosition: idPosition, swiftName: function.name.text,
            qualifier: isInType ? typeStack.joined(separator: ".") : nil,
            parameterLabel: signature?.label ?? "_", position: position,
            inputType: signature?.inputType ?? "JSONValue", outputType: signature?.outputType,
            isAsync: signature?.isAsync ?? false, isThrowing: signature?.isThrowing ?? false,
            configurationArguments: configurationArguments, onFailure: onFailure,
            configuration: configuration, eventReferences: optionEvents + stepEvents,
            steps: steps, stepsComplete: complete, isRegistrable: signature != nil && id != nil)
    }

    /// The same literal id twice where both can run in one execution, outside loops: the
    /// runtime tolerates it (the second gets `id:1`), but it is almost always a copy-paste slip.
    private static func repeatedStepIDs(_ steps: [ScannedStep]) -> [CodegenDiagnostic] {
        var diagnostics: [CodegenDiagnostic] = []
        for (index, step) in steps.enumerated() {
            guard let id = step.id, !step.inLoop else { continue }
            let earlier = steps[..<index].first { other in
                other.id == id && !other.inLoop && !StepOrder.exclusive(other, step)
            }
            if let earlier {
                diagnostics.append(
                    .warning(
                        "step id \"\(id)\" is already used at line \(earlier.position.line); this call gets the repeat id \"\(id):1\" — give each step its own id",
                        at: step.position))
            }
        }
        return diagnostics
    }
}
