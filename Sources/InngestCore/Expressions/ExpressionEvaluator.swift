/// Evaluates a parsed expression against a set of variables.
///
/// Missing data is not an error: an unknown variable, a missing field, a field of a
/// non-object and an index out of range all read as `null`, as on the Inngest server,
/// so that a filter over an event without the field simply does not match.
struct ExpressionEvaluator {
    let source: String
    let variables: [String: JSONValue]

    func evaluate(_ node: ExpressionNode) throws -> JSONValue {
        switch node.kind {
        case .literal(let value):
            return value

        case .variable(let name):
            return variables[name] ?? .null

        case .list(let elements):
            return .array(try elements.map(evaluate))

        case .map(let entries):
            var members: [String: JSONValue] = [:]
            for entry in entries {
                let key = try evaluate(entry.key)
                guard case .string(let name) = key else {
                    throw failure(
                        "map keys must be strings, got \(ExpressionOperations.typeName(key))", column: entry.key.column)
                }
                guard members[name] == nil else {
                    throw failure("duplicate map key '\(name)'", column: entry.key.column)
                }
                members[name] = try evaluate(entry.value)
            }
            return .object(members)

        case .not(let operand):
            // A non-bool counts as false, as for `&&` and `||`, so `!` of it is true.
            return .bool(!ExpressionOperations.isTrue(try evaluate(operand)))

        case .negate(let operand):
            let value = try evaluate(operand)
            return try perform(at: node.column) { try ExpressionOperations.negate(value) }

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
            return try evaluate(ExpressionOperations.isTrue(try evaluate(condition)) ? then : otherwise)

        case .call(let function, let arguments):
            let values = try arguments.map(evaluate)
            return try perform(at: node.column) { try function.apply(values) }

        case .postfix(let base, let steps):
            var value = try evaluate(base)
            for step in steps {
                switch step {
                case .field(let name):
                    value = value[name] ?? .null
                case .index(let keyNode):
                    value = ExpressionOperations.index(value, try evaluate(keyNode))
                case .method(let method, let arguments, let column):
                    let receiver = value
                    let values = try arguments.map(evaluate)
                    value = try perform(at: column) { try method.apply(to: receiver, values) }
                }
            }
            return value
        }
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
                if ExpressionOperations.isTrue(try evaluate(operand)) == deciding { return deciding }
            } catch let error as ExpressionError {
                deferred = deferred ?? error
            }
        }
        if let deferred { throw deferred }
        return !deciding
    }

    private func apply(_ step: BinaryStep, _ lhs: JSONValue, _ rhs: JSONValue) throws -> JSONValue {
        switch step.op {
        case .equal: return .bool(ExpressionOperations.equal(lhs, rhs))
        case .notEqual: return .bool(!ExpressionOperations.equal(lhs, rhs))
        case .less: return .bool(ExpressionOperations.compare(lhs, rhs).map { $0 < 0 } ?? false)
        case .lessEqual: return .bool(ExpressionOperations.compare(lhs, rhs).map { $0 <= 0 } ?? false)
        case .greater: return .bool(ExpressionOperations.compare(lhs, rhs).map { $0 > 0 } ?? false)
        case .greaterEqual: return .bool(ExpressionOperations.compare(lhs, rhs).map { $0 >= 0 } ?? false)
        case .in: return .bool(ExpressionOperations.contains(rhs, lhs))
        case .add, .subtract, .multiply, .divide, .remainder:
            return try perform(at: step.column) { try ExpressionOperations.arithmetic(step.op, lhs, rhs) }
        }
    }

    /// Runs a value operation, placing its failure at `column` of the source.
    private func perform(at column: Int, _ operation: () throws -> JSONValue) throws -> JSONValue {
        do {
            return try operation()
        } catch let error as OperationFailure {
            throw failure(error.message, column: column)
        }
    }

    private func failure(_ message: String, column: Int) -> ExpressionError {
        ExpressionError(kind: .evaluation, message: message, source: source, column: column)
    }
}
