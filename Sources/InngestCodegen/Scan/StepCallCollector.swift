import SwiftSyntax

/// Finds the step calls of one handler body: `<context>.step.<kind>(id, …)`, also through
/// a local alias (`let step = ctx.step`), and notices when the context escapes.
final class StepCallCollector: SyntaxVisitor {
    private let locator: SourceLocator
    /// The handler's parameter name and local names bound to `<context>.step`.
    private let contextName: String
    private var stepAliases: Set<String> = []

    private(set) var steps: [ScannedStep] = []
    private(set) var diagnostics: [CodegenDiagnostic] = []
    private(set) var eventReferences: [EventReference] = []
    /// The context or its step tools went where the scanner cannot follow.
    private(set) var contextEscapes = false
    private(set) var hasNonLiteralStepID = false

    /// Collection methods whose closure runs once per element: a step inside repeats.
    private static let iteratingMethods: Set<String> = [
        "forEach", "map", "compactMap", "flatMap", "filter", "reduce", "contains", "allSatisfy", "first", "sorted",
    ]

    init(contextName: String, locator: SourceLocator) {
        self.contextName = contextName
        self.locator = locator
        super.init(viewMode: .sourceAccurate)
    }

    override func visit(_ node: VariableDeclSyntax) -> SyntaxVisitorContinueKind {
        for binding in node.bindings {
            if let initializer = binding.initializer?.value, isStepTools(initializer),
                let name = binding.pattern.as(IdentifierPatternSyntax.self)?.identifier.text
            {
                stepAliases.insert(name)
            }
        }
        return .visitChildren
    }

    override func visit(_ node: FunctionCallExprSyntax) -> SyntaxVisitorContinueKind {
        guard let member = node.calledExpression.as(MemberAccessExprSyntax.self),
            let base = member.base, isStepTools(base),
            let kind = StepTool(rawValue: member.declName.baseName.text)
        else { return .visitChildren }
        record(kind, call: node)
        return .visitChildren
    }

    override func visit(_ node: DeclReferenceExprSyntax) -> SyntaxVisitorContinueKind {
        let name = node.baseName.text
        if name == contextName, !isBaseOfMemberAccess(node) || isEscapingStepTools(node) {
            contextEscapes = true
        } else if stepAliases.contains(name), !isBaseOfMemberAccess(node) {
            contextEscapes = true
        }
        return .visitChildren
    }

    // MARK: Recording

    private func record(_ kind: StepTool, call: FunctionCallExprSyntax) {
        let idExpression = call.arguments.first?.expression
        let id = idExpression.flatMap(LiteralSyntax.string)
        let position = locator.position(of: idExpression.map(Syntax.init) ?? Syntax(call))
        if id == nil {
            hasNonLiteralStepID = true
            diagnostics.append(
                .warning(
                    "step id is not a string literal: the step is left out of the manifest, and its id must be the same in every run",
                    at: position))
        }
        if let outer = enclosingStep(of: call) {
            let inner = id.map { "step \"\($0)\"" } ?? "this step"
            let outerName = outer.id.map { "step \"\($0)\"" } ?? "another step"
            diagnostics.append(.error("\(inner) is inside the body of \(outerName); steps cannot be nested", at: position))
        }
        if kind == .waitForEvent, let event = call.arguments.first(where: { $0.label?.text == "event" })?.expression,
            let name = LiteralSyntax.string(event)
        {
            eventReferences.append(EventReference(name: name, position: locator.position(of: event)))
        }
        diagnostics += StepArgumentCheck(locator: locator).diagnostics(of: kind, call: call, stepID: id)
        steps.append(ScannedStep(kind: kind, id: id, position: position, inLoop: isInLoop(call), branches: branches(of: call)))
    }

    // MARK: Shapes

    /// `ctx.step` or an alias of it.
    private func isStepTools(_ expression: ExprSyntax) -> Bool {
        if let reference = expression.as(DeclReferenceExprSyntax.self) { return stepAliases.contains(reference.baseName.text) }
        guard let member = expression.as(MemberAccessExprSyntax.self), member.declName.baseName.text == "step",
            let base = member.base?.as(DeclReferenceExprSyntax.self)
        else { return false }
        return base.baseName.text == contextName
    }

    private func isBaseOfMemberAccess(_ node: DeclReferenceExprSyntax) -> Bool {
        guard let member = node.parent?.as(MemberAccessExprSyntax.self) else { return false }
        return member.base?.id == node.id
    }

    /// `ctx.step` used as a value (passed to a function) rather than called through,
    /// except when it initialises a local alias, which is followed.
    private func isEscapingStepTools(_ node: DeclReferenceExprSyntax) -> Bool {
        guard let member = node.parent?.as(MemberAccessExprSyntax.self), member.declName.baseName.text == "step" else { return false }
        if member.parent?.is(MemberAccessExprSyntax.self) == true { return false }
        if member.parent?.is(InitializerClauseSyntax.self) == true { return false }
        return true
    }

    /// The step call whose closure contains `call`, if any.
    private func enclosingStep(of call: FunctionCallExprSyntax) -> (id: String?, call: FunctionCallExprSyntax)? {
        var node = call.parent
        var insideClosure = false
        while let current = node {
            if current.is(ClosureExprSyntax.self) { insideClosure = true }
            if insideClosure, let outer = current.as(FunctionCallExprSyntax.self),
                let member = outer.calledExpression.as(MemberAccessExprSyntax.self),
                let base = member.base, isStepTools(base), StepTool(rawValue: member.declName.baseName.text) != nil
            {
                return (outer.arguments.first.flatMap { LiteralSyntax.string($0.expression) }, outer)
            }
            if current.is(CodeBlockItemListSyntax.self), current.parent?.is(SourceFileSyntax.self) == true { break }
            node = current.parent
        }
        return nil
    }

    private func isInLoop(_ call: FunctionCallExprSyntax) -> Bool {
        var node = call.parent
        while let current = node {
            if current.is(ForStmtSyntax.self) || current.is(WhileStmtSyntax.self) || current.is(RepeatStmtSyntax.self) { return true }
            if current.is(ClosureExprSyntax.self), let iterating = current.parent.flatMap(Self.iteratingCall), iterating { return true }
            if current.is(FunctionDeclSyntax.self) { return false }
            node = current.parent
        }
        return false
    }

    /// Whether `node` (a closure's parent) is a call of an iterating collection method.
    private static func iteratingCall(_ node: Syntax) -> Bool? {
        var candidate: Syntax? = node
        // A trailing closure's parent is the call; an argument closure's is the labelled expression.
        if candidate?.is(LabeledExprSyntax.self) == true { candidate = candidate?.parent?.parent }
        guard let call = candidate?.as(FunctionCallExprSyntax.self),
            let member = call.calledExpression.as(MemberAccessExprSyntax.self)
        else { return nil }
        return iteratingMethods.contains(member.declName.baseName.text)
    }

    /// The `if`/`switch` branches on the way from the handler body down to `call`.
    private func branches(of call: FunctionCallExprSyntax) -> [BranchChoice] {
        var choices: [BranchChoice] = []
        var child = Syntax(call)
        var node = call.parent
        while let current = node {
            if let ifExpression = current.as(IfExprSyntax.self) {
                let branch = ifExpression.body.id == child.id ? 0 : 1
                choices.append(BranchChoice(statement: ifExpression.position.utf8Offset, branch: branch))
            } else if let switchCase = current.as(SwitchCaseSyntax.self),
                let switchExpression = switchCase.parent?.parent?.as(SwitchExprSyntax.self)
            {
                let index = switchExpression.cases.firstIndex { $0.id == switchCase.id }.map { switchExpression.cases.distance(from: switchExpression.cases.startIndex, to: $0) } ?? 0
                choices.append(BranchChoice(statement: switchExpression.position.utf8Offset, branch: index))
            }
            if current.is(FunctionDeclSyntax.self) { break }
            child = current
            node = current.parent
        }
        return choices
    }
}
