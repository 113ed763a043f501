/// Evaluates a parsed expression against a set of variables.
///
/// Missing data is not an error: an unknown variable, a missing field, a field of a
/// non-object and an index out of range all read as `null`, as on the Inngest server,
/// so that a filter over an event without the field simply does not match.
struct ExpressionEvaluator {
    let source: String
    let variables: [String: JSONValue]
    /// When the evaluation started: what `now()` returns, the same everywhere in it.
    let now: CELTimestamp
    /// Shared by the evaluators of nested macro scopes, so that they spend one budget.
    let budget: EvaluationBudget
    /// The variables of the macros being evaluated, innermost last; they shadow top-level
    /// variables. A short list rather than a copy of `variables` per element, which would
    /// cost a dictionary copy for every element a macro visits.
    var locals: [(name: String, value: JSONValue)] = []

    init(
        source: String, variables: [String: JSONValue], now: CELTimestamp,
        budget: EvaluationBudget = EvaluationBudget(iterations: CELExpression.maximumIterations)
    ) {
        self.source = source
        self.variables = variables
        self.now = now
        self.budget = budget
    }

    func evaluate(_ node: ExpressionNode) throws -> ExpressionValue {
        switch node.kind {
        case .literal(let value):
            return .json(value)

        case .variable(let name):
            if let local = locals.last(where: { $0.name == name }) { return .json(local.value) }
            return .json(variables[name] ?? .null)

        case .list(let elements):
            return .json(.array(try elements.map { try storable(try evaluate($0), at: $0.column) }))

        case .map(let entries):
            var members: [String: JSONValue] = [:]
            for entry in entries {
                let key = try evaluate(entry.key)
                guard case .json(.string(let name)) = key else {
                    throw failure("map keys must be strings, got \(key.typeName)", column: entry.key.column)
                }
                guard members[name] == nil else {
                    throw failure("duplicate map key '\(name)'", column: entry.key.column)
                }
                members[name] = try storable(try evaluate(entry.value), at: entry.value.column)
            }
            return .json(.object(members))

        case .not(let operand):
            // A non-bool counts as false, as for `&&` and `||`, so `!` of it is true.
            return .bool(!(try evaluate(operand).isTrue))

        case .negate(let operand):
            let value = try evaluate(operand)
            return try perform(at: node.column) {
                switch value {
                case .json(let json): return .json(try ExpressionOperations.negate(json))
                case .duration(let duration): return try TemporalOperations.negate(duration)
                case .timestamp: throw OperationFailure(message: "cannot negate timestamp")
                }
            }

        case .logical(let op, let operands):
            return .bool(try evaluateLogical(op, operands))

        case .binary(let first, let steps):
            var result = try evaluate(first)
            for step in steps {
                let rhs = try evaluate(step.operand)
                result = try apply(step, result, rhs)
            }
            return result

        case .conditional(let condition, let then, let otherwise):
            return try evaluate(try evaluate(condition).isTrue ? then : otherwise)

        case .call(let function, let arguments):
            let values = try arguments.map(evaluate)
            return try perform(at: node.column) { try function.apply(values, now: now, budget: budget) }

        case .postfix(let base, let steps):
            var value = try evaluate(base)
            for step in steps {
                switch step {
                case .field(let name):
                    // A time value has no fields; like a field of a number, it reads as null.
                    value = .json(value.json(ifJSON: { $0[name] }) ?? .null)
                case .index(let keyNode):
                    let key = try evaluate(keyNode)
                    guard case .json(let base) = value, case .json(let index) = key else {
                        value = .null
                        continue
                    }
                    value = .json(ExpressionOperations.index(base, index))
                case .method(let method, let arguments, let column):
                    let receiver = value
                    let values = try arguments.map(evaluate)
                    value = try perform(at: column) { try method.apply(to: receiver, values, budget: budget) }
                }
            }
            return value

        case .has(let base, let field):
            return try evaluateHas(base, field: field, column: node.column)

        case .comprehension(let macro):
            return try evaluateComprehension(macro)
        }
    }

    /// A value that goes into a list or map: JSON only, since lists and maps are JSON here;
    /// a time value there would silently become text and stop comparing as time.
    func storable(_ value: ExpressionValue, at column: Int) throws -> JSONValue {
        guard case .json(let json) = value else {
            throw failure("a \(value.typeName) cannot be stored in a list or map", column: column)
        }
        return json
    }

    /// Short-circuits on the first operand that decides the result. An error in an operand
    /// is held back until every operand has been seen, because a later deciding operand
    /// makes the result independent of it (CEL's commutative `&&` and `||`):
    /// `(1/0 == 1) && false` is false, like `false && (1/0 == 1)`.
    private func evaluateLogical(_ op: LogicalOperator, _ operands: [ExpressionNode]) throws -> Bool {
        let deciding = op == .or
        var deferred: ExpressionError?
        for operand in operands {
            do {
                if try evaluate(operand).isTrue == deciding { return deciding }
            } catch let error as ExpressionError {
                deferred = deferred ?? error
            }
        }
        if let deferred { throw deferred }
        return !deciding
    }

    private func apply(_ step: BinaryStep, _ lhs: ExpressionValue, _ rhs: ExpressionValue) throws -> ExpressionValue {
        if case .json(let left) = lhs, case .json(let right) = rhs {
            return try applyJSON(step, left, right)
        }
        // At least one time value: equal only to its own type, ordered within it.
        let order = TemporalOperations.compare(lhs, rhs)
        switch step.op {
        case .equal: return .bool(order == 0)
        case .notEqual: return .bool(order != 0)
        case .less: return .bool(order.map { $0 < 0 } ?? false)
        case .lessEqual: return .bool(order.map { $0 <= 0 } ?? false)
        case .greater: return .bool(order.map { $0 > 0 } ?? false)
        case .greaterEqual: return .bool(order.map { $0 >= 0 } ?? false)
        case .in: return .bool(false)
        case .add, .subtract, .multiply, .divide, .remainder:
            return try perform(at: step.column) { try TemporalOperations.arithmetic(step.op, lhs, rhs) }
        }
    }

    private func applyJSON(_ step: BinaryStep, _ lhs: JSONValue, _ rhs: JSONValue) throws -> ExpressionValue {
        switch step.op {
        case .equal: return .bool(ExpressionOperations.equal(lhs, rhs))
        case .notEqual: return .bool(!ExpressionOperations.equal(lhs, rhs))
        case .less: return .bool(ExpressionOperations.compare(lhs, rhs).map { $0 < 0 } ?? false)
        case .lessEqual: return .bool(ExpressionOperations.compare(lhs, rhs).map { $0 <= 0 } ?? false)
        case .greater: return .bool(ExpressionOperations.compare(lhs, rhs).map { $0 > 0 } ?? false)
        case .greaterEqual: return .bool(ExpressionOperations.compare(lhs, rhs).map { $0 >= 0 } ?? false)
        case .in: return .bool(ExpressionOperations.contains(rhs, lhs))
        case .add, .subtract, .multiply, .divide, .remainder:
            let result = try perform(at: step.column) { .json(try ExpressionOperations.arithmetic(step.op, lhs, rhs)) }
            switch result {
            case .json(.string(let text)): try budget.spendConcatenation(text.utf8.count, source: source, column: step.column)
            case .json(.array(let elements)):
                try budget.spendConcatenation(elements.count, source: source, column: step.column)
            default: break
            }
            return result
        }
    }

    /// Runs a value operation, placing its failure at `column` of the source.
    private func perform(at column: Int, _ operation: () throws -> ExpressionValue) throws -> ExpressionValue {
        do {
            return try operation()
        } catch let error as OperationFailure {
            throw failure(error.message, column: column)
        }
    }

    func failure(_ message: String, column: Int) -> ExpressionError {
        ExpressionError(kind: .evaluation, message: message, source: source, column: column)
    }
}

extension ExpressionValue {
    /// `read` applied to the JSON value, or `nil` for a time value.
    fileprivate func json(ifJSON read: (JSONValue) -> JSONValue?) -> JSONValue? {
        guard case .json(let value) = self else { return nil }
        return read(value)
    }
}
