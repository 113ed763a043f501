/// `has()` and the comprehension macros, following the CEL spec's error rules: `all` is
/// false and `exists` is true as soon as one element decides it, even when another
/// element's predicate fails; `exists_one`, `map` and `filter` fail with the first error.
extension ExpressionEvaluator {
    /// `has(base.field)`: a map either holds the key or not, even when its value is `null`.
    /// A missing base reads as `null`, so `has()` of a field below a missing one is
    /// false; on any other type CEL has no fields and `has()` is an error.
    func evaluateHas(_ base: ExpressionNode, field: String, column: Int) throws -> ExpressionValue {
        let value = try evaluate(base)
        switch value {
        case .json(.object(let members)): return .bool(members[field] != nil)
        case .json(.null): return .bool(false)
        default:
            throw failure("has() needs a map to test for '\(field)', got \(value.typeName)", column: column)
        }
    }

    func evaluateComprehension(_ macro: Comprehension) throws -> ExpressionValue {
        let elements = try iterationElements(of: try evaluate(macro.range), macro)
        // One evaluator for the macro's scope, its variable rebound to each element in turn.
        var scope = self
        scope.locals.append((macro.variable, .null))
        let slot = scope.locals.count - 1
        switch macro.kind {
        case .all, .exists:
            let deciding = macro.kind == .exists
            var deferred: ExpressionError?
            for element in elements {
                scope.locals[slot].value = element
                do {
                    if try scope.test(macro) == deciding { return .bool(deciding) }
                } catch let error as ExpressionError where error.kind == .evaluation {
                    deferred = deferred ?? error
                }
            }
            if let deferred { throw deferred }
            return .bool(!deciding)
        case .existsOne:
            var matches = 0
            for element in elements {
                scope.locals[slot].value = element
                // Cannot overflow: the count is bounded by the number of elements.
                if try scope.test(macro) { matches += 1 }
            }
            return .bool(matches == 1)
        case .filter:
            var kept: [JSONValue] = []
            for element in elements {
                scope.locals[slot].value = element
                if try scope.test(macro) { kept.append(element) }
            }
            return .json(.array(kept))
        case .map:
            var results: [JSONValue] = []
            for element in elements {
                scope.locals[slot].value = element
                if macro.predicate != nil, try !scope.test(macro) { continue }
                guard let transform = macro.transform else { continue }
                results.append(try scope.storable(try scope.evaluate(transform), at: transform.column))
            }
            return .json(.array(results))
        }
    }

    /// A list's elements, or a map's keys (sorted by their UTF-8 so that `map` over a map
    /// gives the same list every time; CEL leaves the order open).
    private func iterationElements(of range: ExpressionValue, _ macro: Comprehension) throws -> [JSONValue] {
        let elements: [JSONValue]
        switch range {
        case .json(.array(let values)):
            elements = values
        case .json(.object(let members)):
            elements = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map(JSONValue.string)
        default:
            throw failure(
                "'\(macro.kind.rawValue)' needs a list or a map, got \(range.typeName)",
                column: macro.column)
        }
        try budget.spend(elements.count, source: source, column: macro.column)
        return elements
    }

    /// The predicate for the element bound now, with filter truthiness: anything but
    /// `true` is false.
    private func test(_ macro: Comprehension) throws -> Bool {
        guard let predicate = macro.predicate else { return false }
        return try evaluate(predicate).isTrue
    }
}

/// The work one evaluation may do. Macros multiply: `a.all(x, b.all(y, …))` visits up to
/// `a.size() * b.size()` elements, so each macro charges its whole range when it starts to
/// one budget shared by the whole evaluation, and a hostile expression over a large event
/// ends in an error instead of running away.
///
/// Regular expressions have a budget of their own, in steps of the matcher: each match is
/// bounded by ``RegexProgram/maximumSteps``, and the matches of one evaluation (a `matches`
/// in a macro runs once per element) by ``CELExpression/maximumRegexSteps`` together.
final class EvaluationBudget {
    private(set) var remaining: Int
    private(set) var remainingRegexSteps = CELExpression.maximumRegexSteps
    private(set) var remainingConcatenation = CELExpression.maximumConcatenatedSize

    init(iterations: Int) {
        remaining = iterations
    }

    func spendRegexSteps(_ steps: Int) throws {
        guard steps <= remainingRegexSteps else {
            remainingRegexSteps = 0
            throw OperationFailure(
                message: "matches(): the regular expressions of this evaluation would take more than "
                    + "\(CELExpression.maximumRegexSteps) steps")
        }
        remainingRegexSteps -= steps
    }

    /// Charges what a `+` of strings or lists built: bytes of the string, or elements of the
    /// list. Without this, `s + s + …` or a `map` of concatenations could fill memory.
    func spendConcatenation(_ size: Int, source: String, column: Int) throws {
        guard size <= remainingConcatenation else {
            remainingConcatenation = 0
            throw ExpressionError(
                kind: .limitExceeded,
                message: "'+' builds more than the limit of \(CELExpression.maximumConcatenatedSize) "
                    + "string bytes and list elements in one evaluation",
                source: source, column: column)
        }
        remainingConcatenation -= size
    }

    func spend(_ iterations: Int, source: String, column: Int) throws {
        guard iterations <= remaining else {
            remaining = 0
            throw ExpressionError(
                kind: .limitExceeded,
                message: "macros range over more than the limit of \(CELExpression.maximumIterations) elements",
                source: source, column: column)
        }
        remaining -= iterations
    }
}
