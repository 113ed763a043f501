/// A recursive-descent parser for the supported CEL subset, by precedence from loosest
/// to tightest:
///
/// ```
/// expression     = or [ "?" or ":" expression ]
/// or             = and { "||" and }
/// and            = relation { "&&" relation }
/// relation       = addition { ("==" | "!=" | "<" | "<=" | ">" | ">=" | "in") addition }
/// addition       = multiplication { ("+" | "-") multiplication }
/// multiplication = unary { ("*" | "/" | "%") unary }
/// unary          = ("!" | "-") unary | postfix
/// postfix        = primary { "." IDENT [ "(" arguments ")" ] | "[" expression "]" }
/// primary        = IDENT [ "(" arguments ")" ] | literal | "(" expression ")"
///                | "[" [ expression { "," expression } [","] ] "]"
///                | "{" [ expression ":" expression { "," … } [","] ] "}"
/// ```
///
/// CEL's macros are recognised by name: `has(a.b)` as a primary, and `.all`, `.exists`,
/// `.exists_one`, `.map` and `.filter` with a variable name as their first argument as
/// postfix steps. The variable is in scope only inside the macro's own arguments.
///
/// Every nesting step (a bracket, a conditional branch, a unary operator) is counted
/// against ``CELExpression/maximumNestingDepth`` so that hostile input ends in an error
/// rather than a stack overflow.
struct ExpressionParser {
    /// CEL reserves these so that they may become syntax later; accepting them as names
    /// would let an expression through that the server rejects.
    static let reservedWords: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let",
        "loop", "package", "namespace", "return", "var", "void", "while",
    ]

    private let source: String
    private let tokens: [ExpressionToken]
    private let maximumDepth: Int
    private var position = 0
    /// The top-level expression is level 0, so `maximumDepth` brackets may nest.
    private var depth = -1
    /// The top-level variables read, gathered while parsing.
    private(set) var variables: Set<String> = []
    /// Variables bound by the macros being parsed, innermost last; a name found here is
    /// the macro's variable, not a top-level one.
    private var boundVariables: [String] = []

    init(source: String, tokens: [ExpressionToken], maximumDepth: Int) {
        self.source = source
        self.tokens = tokens
        self.maximumDepth = maximumDepth
    }

    mutating func parse() throws -> ExpressionNode {
        if current.kind == .end {
            throw error("empty expression", column: 1)
        }
        let root = try parseExpression()
        guard current.kind == .end else {
            throw error("unexpected \(current.display) after the end of the expression", at: current)
        }
        return root
    }

    // MARK: - Token helpers

    private var current: ExpressionToken {
        // The lexer always ends the list with `.end`, and the parser never moves past it.
        tokens[min(position, tokens.count - 1)]
    }

    private func peek(_ offset: Int) -> ExpressionToken {
        tokens[min(position + offset, tokens.count - 1)]
    }

    private mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    /// Consumes the current token when it is of `kind`.
    private mutating func consume(_ kind: ExpressionToken.Kind) -> ExpressionToken? {
        guard current.kind == kind else { return nil }
        let token = current
        advance()
        return token
    }

    private func error(
        _ message: String, column: Int, kind: ExpressionError.Kind = .syntax
    ) -> ExpressionError {
        ExpressionError(kind: kind, message: message, source: source, column: column)
    }

    private func error(_ message: String, at token: ExpressionToken) -> ExpressionError {
        error(message, column: token.column)
    }

    /// Expects the closing bracket of a construct opened at `opener`.
    private mutating func close(
        _ kind: ExpressionToken.Kind, _ symbol: String, opener: ExpressionToken, separator: Bool = false
    ) throws {
        if consume(kind) != nil { return }
        let opened = "the \(opener.display) opened in column \(opener.column)"
        if current.kind == .end {
            throw error("missing '\(symbol)' to close \(opened)", at: current)
        }
        let expected = separator ? "',' or '\(symbol)'" : "'\(symbol)'"
        throw error("unexpected \(current.display); expected \(expected) to close \(opened)", at: current)
    }

    /// Counts one level of nesting; callers undo it with `depth -= 1` when done.
    private mutating func enter(at column: Int) throws {
        depth += 1
        if depth > maximumDepth {
            throw error(
                "expression nests deeper than the limit of \(maximumDepth) levels", column: column,
                kind: .limitExceeded)
        }
    }

    // MARK: - Grammar

    private mutating func parseExpression() throws -> ExpressionNode {
        // A nested expression is opened by the token before it ('(', '[', ',', ':' …), which
        // is where a too-deep nesting is reported.
        try enter(at: position > 0 ? tokens[position - 1].column : current.column)
        defer { depth -= 1 }
        let condition = try parseOr()
        guard let question = consume(.question) else { return condition }
        let then = try parseOr()
        guard consume(.colon) != nil else {
            throw error(
                "unexpected \(current.display); expected ':' for the '?' in column \(question.column)", at: current)
        }
        let otherwise = try parseExpression()
        return ExpressionNode(kind: .conditional(condition, then, otherwise), column: question.column)
    }

    private mutating func parseOr() throws -> ExpressionNode {
        try parseLogical(.or, token: .or) { try $0.parseAnd() }
    }

    private mutating func parseAnd() throws -> ExpressionNode {
        try parseLogical(.and, token: .and) { try $0.parseRelation() }
    }

    private mutating func parseLogical(
        _ op: LogicalOperator, token: ExpressionToken.Kind,
        operand: (inout ExpressionParser) throws -> ExpressionNode
    ) throws -> ExpressionNode {
        let first = try operand(&self)
        var operands = [first]
        var column = first.column
        while let symbol = consume(token) {
            if operands.count == 1 { column = symbol.column }
            operands.append(try operand(&self))
        }
        return operands.count == 1 ? first : ExpressionNode(kind: .logical(op, operands), column: column)
    }

    private mutating func parseRelation() throws -> ExpressionNode {
        try parseChain(
            [
                .equal: .equal, .notEqual: .notEqual, .less: .less, .lessEqual: .lessEqual,
                .greater: .greater, .greaterEqual: .greaterEqual, .inKeyword: .in,
            ]
        ) { try $0.parseAddition() }
    }

    private mutating func parseAddition() throws -> ExpressionNode {
        try parseChain([.plus: .add, .minus: .subtract]) { try $0.parseMultiplication() }
    }

    private mutating func parseMultiplication() throws -> ExpressionNode {
        try parseChain([.star: .multiply, .slash: .divide, .percent: .remainder]) { try $0.parseUnary() }
    }

    private mutating func parseChain(
        _ operators: [TokenOperator: BinaryOperator],
        operand: (inout ExpressionParser) throws -> ExpressionNode
    ) throws -> ExpressionNode {
        let first = try operand(&self)
        var steps: [BinaryStep] = []
        while let key = TokenOperator(current.kind), let op = operators[key] {
            let column = current.column
            advance()
            steps.append(BinaryStep(op: op, column: column, operand: try operand(&self)))
        }
        return steps.isEmpty ? first : ExpressionNode(kind: .binary(first, steps), column: first.column)
    }

    private mutating func parseUnary() throws -> ExpressionNode {
        let token = current
        switch token.kind {
        case .bang:
            advance()
            try enter(at: token.column)
            defer { depth -= 1 }
            return ExpressionNode(kind: .not(try parseUnary()), column: token.column)
        case .minus:
            advance()
            if let literal = try negativeLiteral(minus: token) { return literal }
            try enter(at: token.column)
            defer { depth -= 1 }
            return ExpressionNode(kind: .negate(try parseUnary()), column: token.column)
        default:
            return try parsePostfix()
        }
    }

    /// `-9223372036854775808` has no positive counterpart, so a minus sign directly before a
    /// number is part of the literal, as in CEL; not when a member access follows, since
    /// `-1.size()` would then bind wrongly.
    private mutating func negativeLiteral(minus: ExpressionToken) throws -> ExpressionNode? {
        switch peek(1).kind {
        case .dot, .leftBracket: return nil
        default: break
        }
        switch current.kind {
        case .integer(let magnitude):
            guard magnitude <= UInt64(Int64.max) + 1 else {
                throw error("integer literal out of range", at: current)
            }
            let value = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
            advance()
            return ExpressionNode(kind: .literal(.integer(value)), column: minus.column)
        case .double(let magnitude):
            advance()
            return ExpressionNode(kind: .literal(.double(-magnitude)), column: minus.column)
        default:
            return nil
        }
    }

    private mutating func parsePostfix() throws -> ExpressionNode {
        var base = try parsePrimary()
        var steps: [PostfixStep] = []
        while true {
            if current.kind == .dot {
                advance()
                let nameToken = current
                guard case .identifier(let name) = nameToken.kind else {
                    throw error("expected a field name after '.', found \(nameToken.display)", at: nameToken)
                }
                advance()
                if let macro = ComprehensionKind(rawValue: name), let open = consume(.leftParen) {
                    let range = steps.isEmpty ? base : ExpressionNode(kind: .postfix(base, steps), column: base.column)
                    base = try parseComprehension(macro, range: range, name: nameToken, opener: open)
                    steps = []
                } else if let open = consume(.leftParen) {
                    guard let method = ExpressionMethod(name: name) else {
                        throw error("unsupported method '\(name)'", column: nameToken.column, kind: .unsupported)
                    }
                    let arguments = try parseArguments(opener: open)
                    guard method.arity.contains(arguments.count) else {
                        throw error(
                            ExpressionFunctions.arityMessage(name, expected: method.arity, got: arguments.count),
                            at: nameToken)
                    }
                    steps.append(.method(method, arguments, column: nameToken.column))
                } else {
                    steps.append(.field(name))
                }
            } else if let open = consume(.leftBracket) {
                let key = try parseExpression()
                try close(.rightBracket, "]", opener: open)
                steps.append(.index(key))
            } else {
                break
            }
        }
        return steps.isEmpty ? base : ExpressionNode(kind: .postfix(base, steps), column: base.column)
    }

    private mutating func parsePrimary() throws -> ExpressionNode {
        let token = current
        let column = token.column
        switch token.kind {
        case .identifier(let name):
            advance()
            if name == "has", let open = consume(.leftParen) {
                return try parseHas(opener: open, name: token)
            }
            if let open = consume(.leftParen) {
                guard let function = ExpressionFunction(rawValue: name) else {
                    throw error("unsupported function '\(name)'", column: column, kind: .unsupported)
                }
                let arguments = try parseArguments(opener: open)
                guard function.arity.contains(arguments.count) else {
                    throw error(
                        ExpressionFunctions.arityMessage(name, expected: function.arity, got: arguments.count),
                        at: token)
                }
                return ExpressionNode(kind: .call(function, arguments), column: column)
            }
            if Self.reservedWords.contains(name) {
                throw error("'\(name)' is a reserved word and cannot be used as a name", at: token)
            }
            if !boundVariables.contains(name) { variables.insert(name) }
            return ExpressionNode(kind: .variable(name), column: column)
        case .integer(let magnitude):
            guard let value = Int64(exactly: magnitude) else {
                throw error("integer literal out of range", at: token)
            }
            advance()
            return ExpressionNode(kind: .literal(.integer(value)), column: column)
        case .double(let value):
            advance()
            return ExpressionNode(kind: .literal(.double(value)), column: column)
        case .string(let value):
            advance()
            return ExpressionNode(kind: .literal(.string(value)), column: column)
        case .trueKeyword:
            advance()
            return ExpressionNode(kind: .literal(.bool(true)), column: column)
        case .falseKeyword:
            advance()
            return ExpressionNode(kind: .literal(.bool(false)), column: column)
        case .nullKeyword:
            advance()
            return ExpressionNode(kind: .literal(.null), column: column)
        case .leftParen:
            advance()
            let inner = try parseExpression()
            try close(.rightParen, ")", opener: token)
            return inner
        case .leftBracket:
            advance()
            return ExpressionNode(kind: .list(try parseList(opener: token)), column: column)
        case .leftBrace:
            advance()
            return ExpressionNode(kind: .map(try parseMap(opener: token)), column: column)
        case .end:
            throw error("unexpected end of expression", at: token)
        default:
            throw error("unexpected \(token.display)", at: token)
        }
    }

    /// After `has(`: a single field selection such as `event.data.x`, split into the base
    /// that is tested and the field it must hold.
    private mutating func parseHas(opener: ExpressionToken, name: ExpressionToken) throws -> ExpressionNode {
        let arguments = try parseArguments(opener: opener)
        guard arguments.count == 1, let argument = arguments.first else {
            throw error(ExpressionFunctions.arityMessage("has", expected: 1, got: arguments.count), at: name)
        }
        guard case .postfix(let base, let steps) = argument.kind, case .field(let field) = steps.last else {
            throw error(
                "has() expects a field selection such as has(event.data.x)", column: argument.column)
        }
        let tested = steps.count == 1 ? base : ExpressionNode(kind: .postfix(base, Array(steps.dropLast())), column: base.column)
        return ExpressionNode(kind: .has(tested, field: field), column: name.column)
    }

    /// After `range.name(`: the variable, then the predicate and/or transform, parsed
    /// with the variable in scope.
    private mutating func parseComprehension(
        _ kind: ComprehensionKind, range: ExpressionNode, name: ExpressionToken, opener: ExpressionToken
    ) throws -> ExpressionNode {
        guard case .identifier(let variable) = current.kind, peek(1).kind == .comma else {
            throw error(
                "the first argument of '\(kind.rawValue)' must be a variable name followed by ','", at: current)
        }
        if Self.reservedWords.contains(variable) {
            throw error("'\(variable)' is a reserved word and cannot be used as a name", at: current)
        }
        advance()
        advance()
        boundVariables.append(variable)
        defer { boundVariables.removeLast() }
        var bodies: [ExpressionNode] = []
        while true {
            bodies.append(try parseExpression())
            if consume(.comma) != nil { continue }
            try close(.rightParen, ")", opener: opener, separator: true)
            break
        }
        guard kind.acceptsBodies(bodies.count) else {
            let expected = kind == .map ? "2 or 3 arguments" : "2 arguments"
            throw error("'\(kind.rawValue)' expects \(expected), got \(bodies.count + 1)", at: name)
        }
        let predicate = kind == .map ? (bodies.count == 2 ? bodies.first : nil) : bodies.first
        let transform = kind == .map ? bodies.last : nil
        let comprehension = Comprehension(
            kind: kind, range: range, variable: variable, predicate: predicate, transform: transform,
            column: name.column)
        return ExpressionNode(kind: .comprehension(comprehension), column: name.column)
    }

    /// After the `(` of a call: arguments up to the matching `)`.
    private mutating func parseArguments(opener: ExpressionToken) throws -> [ExpressionNode] {
        var arguments: [ExpressionNode] = []
        if consume(.rightParen) != nil { return arguments }
        while true {
            arguments.append(try parseExpression())
            if consume(.comma) != nil { continue }
            try close(.rightParen, ")", opener: opener, separator: true)
            return arguments
        }
    }

    /// After the `[` of a list literal; CEL allows a trailing comma.
    private mutating func parseList(opener: ExpressionToken) throws -> [ExpressionNode] {
        var elements: [ExpressionNode] = []
        while consume(.rightBracket) == nil {
            elements.append(try parseExpression())
            if consume(.comma) != nil { continue }
            try close(.rightBracket, "]", opener: opener, separator: true)
            break
        }
        return elements
    }

    /// After the `{` of a map literal. JSON objects have string keys only, so a literal
    /// key of another type, or a repeated one, is rejected here rather than at run time.
    private mutating func parseMap(opener: ExpressionToken) throws -> [MapEntry] {
        var entries: [MapEntry] = []
        var literalKeys: Set<String> = []
        while consume(.rightBrace) == nil {
            let key = try parseExpression()
            if case .literal(let value) = key.kind {
                guard case .string(let name) = value else {
                    throw error(
                        "map keys must be strings, found \(ExpressionOperations.typeName(value))",
                        column: key.column, kind: .unsupported)
                }
                guard literalKeys.insert(name).inserted else {
                    throw error("duplicate map key '\(name)'", column: key.column)
                }
            }
            guard consume(.colon) != nil else {
                throw error("unexpected \(current.display); expected ':' after a map key", at: current)
            }
            entries.append(MapEntry(key: key, value: try parseExpression()))
            if consume(.comma) != nil { continue }
            try close(.rightBrace, "}", opener: opener, separator: true)
            break
        }
        return entries
    }
}

/// The operator tokens, hashable for the per-precedence lookup tables.
private enum TokenOperator: Hashable {
    case equal, notEqual, less, lessEqual, greater, greaterEqual, inKeyword
    case plus, minus, star, slash, percent

    init?(_ kind: ExpressionToken.Kind) {
        switch kind {
        case .equal: self = .equal
        case .notEqual: self = .notEqual
        case .less: self = .less
        case .lessEqual: self = .lessEqual
        case .greater: self = .greater
        case .greaterEqual: self = .greaterEqual
        case .inKeyword: self = .inKeyword
        case .plus: self = .plus
        case .minus: self = .minus
        case .star: self = .star
        case .slash: self = .slash
        case .percent: self = .percent
        default: return nil
        }
    }
}
