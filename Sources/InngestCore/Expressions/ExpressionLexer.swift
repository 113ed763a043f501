/// One token of expression text.
struct ExpressionToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        /// The magnitude only: the sign is a separate token, and keeping the magnitude
        /// unsigned lets the parser accept `-9223372036854775808`.
        case integer(UInt64)
        case double(Double)
        case string(String)
        case trueKeyword, falseKeyword, nullKeyword, inKeyword
        case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
        case dot, comma, colon, question
        case bang, equal, notEqual, less, lessEqual, greater, greaterEqual
        case and, or
        case plus, minus, star, slash, percent
        case end
    }

    let kind: Kind
    /// 1-based, in Unicode scalars.
    let column: Int

    /// How the token reads in an error message.
    var display: String {
        switch kind {
        case .identifier(let name): return "identifier '\(name)'"
        case .integer(let value): return "number \(value)"
        case .double(let value): return "number \(value)"
        case .string: return "string literal"
        case .trueKeyword: return "'true'"
        case .falseKeyword: return "'false'"
        case .nullKeyword: return "'null'"
        case .inKeyword: return "'in'"
        case .leftParen: return "'('"
        case .rightParen: return "')'"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .leftBrace: return "'{'"
        case .rightBrace: return "'}'"
        case .dot: return "'.'"
        case .comma: return "','"
        case .colon: return "':'"
        case .question: return "'?'"
        case .bang: return "'!'"
        case .equal: return "'=='"
        case .notEqual: return "'!='"
        case .less: return "'<'"
        case .lessEqual: return "'<='"
        case .greater: return "'>'"
        case .greaterEqual: return "'>='"
        case .and: return "'&&'"
        case .or: return "'||'"
        case .plus: return "'+'"
        case .minus: return "'-'"
        case .star: return "'*'"
        case .slash: return "'/'"
        case .percent: return "'%'"
        case .end: return "end of expression"
        }
    }

    /// Whether a `.` right after this token selects a member rather than starting a
    /// number such as `.5`.
    var endsOperand: Bool {
        switch kind {
        case .identifier, .integer, .double, .string, .trueKeyword, .falseKeyword, .nullKeyword,
            .rightParen, .rightBracket, .rightBrace:
            return true
        default:
            return false
        }
    }
}

/// Splits expression text into tokens.
///
/// Works on Unicode scalars rather than `Character`s: a combining mark after a quote
/// would otherwise merge with it into one character and hide the quote.
struct ExpressionLexer {
    private let source: String
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var tokens: [ExpressionToken] = []

    init(_ source: String) {
        self.source = source
        self.scalars = Array(source.unicodeScalars)
    }

    static func tokenize(_ source: String) throws -> [ExpressionToken] {
        var lexer = ExpressionLexer(source)
        return try lexer.run()
    }

    private mutating func run() throws -> [ExpressionToken] {
        while true {
            skipWhitespaceAndComments()
            guard let scalar = peek() else { break }
            let column = position + 1
            if isIdentifierStart(scalar) {
                if let prefixed = try stringWithPrefix(column: column) {
                    tokens.append(prefixed)
                } else {
                    tokens.append(identifierOrKeyword(column: column))
                }
            } else if isDigit(scalar) {
                tokens.append(try number(column: column))
            } else if scalar == ".", let next = peek(1), isDigit(next), !(tokens.last?.endsOperand ?? false) {
                tokens.append(try number(column: column))
            } else if scalar == "\"" || scalar == "'" {
                tokens.append(try string(column: column, raw: false))
            } else {
                tokens.append(try punctuation(scalar, column: column))
            }
        }
        tokens.append(ExpressionToken(kind: .end, column: scalars.count + 1))
        return tokens
    }

    // MARK: - Scanning helpers

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let index = position + offset
        return index < scalars.count ? scalars[index] : nil
    }

    private func error(_ message: String, column: Int, kind: ExpressionError.Kind = .syntax) -> ExpressionError {
        ExpressionError(kind: kind, message: message, source: source, column: column)
    }

    private func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private func isHexDigit(_ scalar: Unicode.Scalar) -> Bool {
        isDigit(scalar) || ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar)
    }

    private func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || isDigit(scalar)
    }

    private mutating func skipWhitespaceAndComments() {
        while let scalar = peek() {
            switch scalar {
            case " ", "\t", "\n", "\r", "\u{0C}":
                position += 1
            case "/" where peek(1) == "/":
                // CEL line comment, to the end of the line.
                while let next = peek(), next != "\n" { position += 1 }
            default:
                return
            }
        }
    }

    // MARK: - Tokens

    private mutating func identifierOrKeyword(column: Int) -> ExpressionToken {
        let start = position
        while let scalar = peek(), isIdentifierPart(scalar) { position += 1 }
        let name = String(String.UnicodeScalarView(scalars[start..<position]))
        let kind: ExpressionToken.Kind
        switch name {
        case "true": kind = .trueKeyword
        case "false": kind = .falseKeyword
        case "null": kind = .nullKeyword
        case "in": kind = .inKeyword
        default: kind = .identifier(name)
        }
        return ExpressionToken(kind: kind, column: column)
    }

    /// `r'…'` raw strings; `b'…'` bytes literals are rejected since JSON has no bytes.
    private mutating func stringWithPrefix(column: Int) throws -> ExpressionToken? {
        for length in 1...2 {
            guard let quote = peek(length), quote == "\"" || quote == "'" else { continue }
            let prefix = String(String.UnicodeScalarView(scalars[position..<position + length])).lowercased()
            guard ["r", "b", "rb", "br"].contains(prefix) else { return nil }
            if prefix.contains("b") {
                throw error("unsupported bytes literal", column: column, kind: .unsupported)
            }
            position += length
            return try string(column: column, raw: true)
        }
        return nil
    }

    private mutating func number(column: Int) throws -> ExpressionToken {
        let start = position
        // CEL's grammar writes hexadecimal with a lowercase `0x` only.
        if peek() == "0", peek(1) == "x", let digit = peek(2), isHexDigit(digit) {
            position += 2
            let digitsStart = position
            while let scalar = peek(), isHexDigit(scalar) { position += 1 }
            let digits = String(String.UnicodeScalarView(scalars[digitsStart..<position]))
            try rejectNumberSuffix(column: column)
            guard let value = UInt64(digits, radix: 16) else {
                throw error("integer literal out of range", column: column)
            }
            return ExpressionToken(kind: .integer(value), column: column)
        }

        var isDouble = false
        while let scalar = peek(), isDigit(scalar) { position += 1 }
        if peek() == ".", let next = peek(1), isDigit(next) {
            isDouble = true
            position += 1
            while let scalar = peek(), isDigit(scalar) { position += 1 }
        }
        if let e = peek(), e == "e" || e == "E" {
            var offset = 1
            if let sign = peek(1), sign == "+" || sign == "-" { offset = 2 }
            if let digit = peek(offset), isDigit(digit) {
                isDouble = true
                position += offset
                while let scalar = peek(), isDigit(scalar) { position += 1 }
            }
        }
        try rejectNumberSuffix(column: column)
        let text = String(String.UnicodeScalarView(scalars[start..<position]))
        if isDouble {
            guard let value = Double(text), value.isFinite else {
                throw error("number literal out of range", column: column)
            }
            return ExpressionToken(kind: .double(value), column: column)
        }
        guard let value = UInt64(text) else {
            throw error("integer literal out of range", column: column)
        }
        return ExpressionToken(kind: .integer(value), column: column)
    }

    /// `1u`, `2abc`: CEL's unsigned literals have no JSON counterpart, and letters glued to a
    /// number are a typo rather than two tokens.
    private func rejectNumberSuffix(column: Int) throws {
        guard let scalar = peek(), isIdentifierPart(scalar) else { return }
        if scalar == "u" || scalar == "U", !(peek(1).map(isIdentifierPart) ?? false) {
            throw error("unsupported unsigned integer literal", column: column, kind: .unsupported)
        }
        throw error("invalid number literal", column: column)
    }

    private mutating func string(column: Int, raw: Bool) throws -> ExpressionToken {
        guard let quote = peek() else { throw error("unterminated string literal", column: column) }
        let triple = peek(1) == quote && peek(2) == quote
        position += triple ? 3 : 1
        var value = String.UnicodeScalarView()
        while true {
            guard let scalar = peek() else {
                throw error("unterminated string literal", column: column)
            }
            if scalar == quote, !triple || (peek(1) == quote && peek(2) == quote) {
                position += triple ? 3 : 1
                return ExpressionToken(kind: .string(String(value)), column: column)
            }
            if !triple, scalar == "\n" || scalar == "\r" {
                throw error(
                    "unterminated string literal (use '\\n' or a triple-quoted string for new lines)", column: column)
            }
            if scalar == "\\", !raw {
                value.append(try escape())
            } else {
                value.append(scalar)
                position += 1
            }
        }
    }

    /// Reads one escape sequence starting at the backslash.
    private mutating func escape() throws -> Unicode.Scalar {
        let column = position + 1
        guard let letter = peek(1) else { throw error("unterminated string literal", column: column) }
        position += 2
        switch letter {
        case "a": return "\u{07}"
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "v": return "\u{0B}"
        case "\\", "'", "\"", "`", "?": return letter
        case "x", "X": return try codePoint(digits: 2, radix: 16, column: column)
        case "u": return try codePoint(digits: 4, radix: 16, column: column)
        case "U": return try codePoint(digits: 8, radix: 16, column: column)
        case "0"..."3":
            position -= 1
            return try codePoint(digits: 3, radix: 8, column: column)
        default:
            throw error("invalid escape sequence '\\\(letter.escaped(asASCII: true))'", column: column)
        }
    }

    private mutating func codePoint(digits: Int, radix: Int, column: Int) throws -> Unicode.Scalar {
        var text = ""
        for _ in 0..<digits {
            guard let scalar = peek(), let digit = Int(String(scalar), radix: radix), digit < radix else {
                let base = radix == 8 ? "octal" : "hex"
                throw error("invalid escape sequence: expected \(digits) \(base) digits", column: column)
            }
            text.unicodeScalars.append(scalar)
            position += 1
        }
        guard let value = UInt32(text, radix: radix), let scalar = Unicode.Scalar(value) else {
            throw error("invalid Unicode code point in escape sequence", column: column)
        }
        return scalar
    }

    private mutating func punctuation(_ scalar: Unicode.Scalar, column: Int) throws -> ExpressionToken {
        let next = peek(1)
        let kind: ExpressionToken.Kind
        var length = 1
        switch scalar {
        case "(": kind = .leftParen
        case ")": kind = .rightParen
        case "[": kind = .leftBracket
        case "]": kind = .rightBracket
        case "{": kind = .leftBrace
        case "}": kind = .rightBrace
        case ".": kind = .dot
        case ",": kind = .comma
        case ":": kind = .colon
        case "?": kind = .question
        case "+": kind = .plus
        case "-": kind = .minus
        case "*": kind = .star
        case "/": kind = .slash
        case "%": kind = .percent
        case "!":
            if next == "=" {
                kind = .notEqual
                length = 2
            } else {
                kind = .bang
            }
        case "<":
            if next == "=" {
                kind = .lessEqual
                length = 2
            } else {
                kind = .less
            }
        case ">":
            if next == "=" {
                kind = .greaterEqual
                length = 2
            } else {
                kind = .greater
            }
        case "=":
            guard next == "=" else { throw error("unexpected '='; use '==' to compare", column: column) }
            kind = .equal
            length = 2
        case "&":
            guard next == "&" else { throw error("unexpected '&'; use '&&' for logical and", column: column) }
            kind = .and
            length = 2
        case "|":
            guard next == "|" else { throw error("unexpected '|'; use '||' for logical or", column: column) }
            kind = .or
            length = 2
        default:
            throw error("unexpected character '\(scalar.escaped(asASCII: true))'", column: column)
        }
        position += length
        return ExpressionToken(kind: kind, column: column)
    }
}
