/// Parses the RE2 syntax that Go's `regexp` (and so CEL's `matches` on the Inngest server)
/// accepts, less the parts listed in `unsupported` messages: Unicode classes (`\p{…}`),
/// POSIX classes (`[[:alpha:]]`) and octal escapes. Anything it does not understand is an
/// error, never a different reading of the pattern.
struct RegexParser {
    /// RE2 refuses larger counts in `{n,m}` too.
    static let maximumRepeatCount = 1000
    static let maximumNesting = 100

    private struct Flags {
        var foldCase = false
        var multiLine = false
        var dotMatchesNewline = false
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var depth = 0

    init(_ pattern: String) {
        scalars = Array(pattern.unicodeScalars)
    }

    static func parse(_ pattern: String) throws -> RegexNode {
        var parser = RegexParser(pattern)
        var flags = Flags()
        let node = try parser.parseAlternation(&flags)
        if parser.position < parser.scalars.count {
            throw RegexFailure(message: "unexpected ')' in regular expression")
        }
        return node
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    private mutating func next() throws -> Unicode.Scalar {
        guard let scalar = peek() else { throw RegexFailure(message: "regular expression ends too early") }
        position += 1
        return scalar
    }

    // MARK: - Structure

    private mutating func parseAlternation(_ flags: inout Flags) throws -> RegexNode {
        var branches = [try parseConcatenation(&flags)]
        while peek() == "|" {
            position += 1
            branches.append(try parseConcatenation(&flags))
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcatenation(_ flags: inout Flags) throws -> RegexNode {
        var items: [RegexNode] = []
        while let scalar = peek(), scalar != "|", scalar != ")" {
            guard let atom = try parseAtom(&flags) else { continue }
            items.append(try parseQuantifiers(atom))
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concatenation(items))
    }

    private mutating func parseQuantifiers(_ atom: RegexNode) throws -> RegexNode {
        var node = atom
        var quantified = false
        while let scalar = peek() {
            let bounds: (Int, Int?)
            switch scalar {
            case "*": bounds = (0, nil)
            case "+": bounds = (1, nil)
            case "?": bounds = (0, 1)
            case "{":
                guard let counted = try parseCount() else { return node }
                bounds = counted
            default: return node
            }
            if scalar != "{" { position += 1 }
            if quantified { throw RegexFailure(message: "invalid nested repetition operator in regular expression") }
            if case .empty = node { throw RegexFailure(message: "missing argument to repetition operator") }
            if case .assertion = node { throw RegexFailure(message: "missing argument to repetition operator") }
            // A trailing `?` makes the quantifier lazy, which changes no yes/no answer.
            if peek() == "?" { position += 1 }
            node = .repetition(node, minimum: bounds.0, maximum: bounds.1)
            quantified = true
        }
        return node
    }

    /// `{n}`, `{n,}` or `{n,m}`; a `{` that starts none of them is a literal, as in RE2.
    private mutating func parseCount() throws -> (Int, Int?)? {
        let start = position
        position += 1
        guard let minimum = readNumber() else {
            position = start
            return nil
        }
        var maximum: Int? = minimum
        if peek() == "," {
            position += 1
            maximum = peek() == "}" ? nil : readNumber()
            if maximum == nil && peek() != "}" {
                position = start
                return nil
            }
        }
        guard peek() == "}" else {
            position = start
            return nil
        }
        position += 1
        if minimum > Self.maximumRepeatCount || (maximum ?? 0) > Self.maximumRepeatCount
            || maximum.map({ $0 < minimum }) ?? false
        {
            throw RegexFailure(message: "invalid repeat count in regular expression")
        }
        return (minimum, maximum)
    }

    private mutating func readNumber() -> Int? {
        var value = 0
        var digits = 0
        while let scalar = peek(), ("0"..."9").contains(scalar) {
            // Capped so that a long run of digits cannot overflow; anything over the cap
            // is refused as a repeat count anyway.
            value = min(value * 10 + Int(scalar.value - 48), Self.maximumRepeatCount + 1)
            digits += 1
            position += 1
        }
        return digits > 0 ? value : nil
    }

    /// One atom, or `nil` for a flag group such as `(?i)` that only changes `flags`.
    private mutating func parseAtom(_ flags: inout Flags) throws -> RegexNode? {
        let scalar = try next()
        switch scalar {
        case "(":
            return try parseGroup(&flags)
        case "[":
            return .set(try parseClass(flags))
        case ".":
            return .any(matchesNewline: flags.dotMatchesNewline)
        case "^":
            return .assertion(flags.multiLine ? .beginningOfLine : .beginningOfText)
        case "$":
            return .assertion(flags.multiLine ? .endOfLine : .endOfText)
        case "\\":
            return try parseEscape(flags)
        case "*", "+", "?":
            throw RegexFailure(message: "missing argument to repetition operator '\(scalar)'")
        default:
            return .scalar(scalar, foldCase: flags.foldCase)
        }
    }

    private mutating func parseGroup(_ flags: inout Flags) throws -> RegexNode? {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumNesting {
            throw RegexFailure(message: "regular expression nests deeper than \(Self.maximumNesting) groups")
        }
        var inner = flags
        if peek() == "?" {
            position += 1
            if peek() == "P" || peek() == "<" {
                try skipGroupName()
            } else if try parseFlags(&inner) {
                // `(?i)`: the flags hold for the rest of the enclosing group.
                flags = inner
                return nil
            }
        }
        let node = try parseAlternation(&inner)
        guard peek() == ")" else { throw RegexFailure(message: "missing ')' in regular expression") }
        position += 1
        return node
    }

    private mutating func skipGroupName() throws {
        if peek() == "P" { position += 1 }
        guard try next() == "<" else { throw RegexFailure(message: "invalid named group in regular expression") }
        var length = 0
        while let scalar = peek(), scalar != ">" {
            guard scalar == "_" || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) else {
                throw RegexFailure(message: "invalid named group in regular expression")
            }
            position += 1
            length += 1
        }
        guard length > 0, peek() == ">" else { throw RegexFailure(message: "invalid named group in regular expression") }
        position += 1
    }

    /// After `(?`: flags such as `i`, `-s` or `im-s`, ending in `)` (returns true) or `:`
    /// (returns false, and the group's body follows).
    private mutating func parseFlags(_ flags: inout Flags) throws -> Bool {
        var enable = true
        var sawFlag = false
        // `(?i-)` and `(?-)` are refused, as in RE2: a '-' must be followed by a flag.
        var flagSinceMinus = true
        while true {
            let scalar = try next()
            switch scalar {
            case "i": flags.foldCase = enable
            case "m": flags.multiLine = enable
            case "s": flags.dotMatchesNewline = enable
            case "U": break  // ungreedy: no effect on whether a match exists
            case "-" where enable:
                enable = false
                flagSinceMinus = false
                continue
            case ")" where sawFlag && flagSinceMinus:
                return true
            case ":" where flagSinceMinus:
                return false
            default:
                throw RegexFailure(message: "invalid or unsupported flags in regular expression")
            }
            sawFlag = true
            flagSinceMinus = true
        }
    }

    // MARK: - Escapes and classes

    private mutating func parseEscape(_ flags: Flags) throws -> RegexNode {
        let scalar = try next()
        switch scalar {
        case "A": return .assertion(.beginningOfText)
        case "z": return .assertion(.endOfText)
        case "b": return .assertion(.wordBoundary)
        case "B": return .assertion(.notWordBoundary)
        default:
            if var set = try classEscape(scalar) {
                set.foldCase = flags.foldCase
                return .set(set)
            }
            return .scalar(try literalEscape(scalar), foldCase: flags.foldCase)
        }
    }

    /// `\d \D \w \W \s \S`, or `nil` for another escape.
    private func classEscape(_ scalar: Unicode.Scalar) throws -> RegexCharacterSet? {
        switch scalar {
        case "d": return .digits
        case "D": return RegexCharacterSet(ranges: RegexCharacterSet.digits.ranges, negated: true)
        case "w": return .wordCharacters
        case "W": return RegexCharacterSet(ranges: RegexCharacterSet.wordCharacters.ranges, negated: true)
        case "s": return .whitespace
        case "S": return RegexCharacterSet(ranges: RegexCharacterSet.whitespace.ranges, negated: true)
        case "p", "P":
            throw RegexFailure(message: "Unicode classes (\\p, \\P) are not supported in regular expressions")
        default: return nil
        }
    }

    private mutating func literalEscape(_ scalar: Unicode.Scalar) throws -> Unicode.Scalar {
        switch scalar {
        case "t": return "\t"
        case "n": return "\n"
        case "r": return "\r"
        case "f": return "\u{0C}"
        case "v": return "\u{0B}"
        case "a": return "\u{07}"
        case "x": return try hexEscape()
        default:
            // RE2 lets any ASCII character but a letter or digit be escaped to stand for itself.
            if scalar.isASCII, !scalar.properties.isAlphabetic, !("0"..."9").contains(scalar) {
                return scalar
            }
            throw RegexFailure(message: "invalid or unsupported escape '\\\(scalar)' in regular expression")
        }
    }

    /// `\xHH` or `\x{H…}`.
    private mutating func hexEscape() throws -> Unicode.Scalar {
        var digits = ""
        if peek() == "{" {
            position += 1
            while let scalar = peek(), scalar != "}" {
                digits.unicodeScalars.append(scalar)
                position += 1
                if digits.count > 8 { break }
            }
            guard peek() == "}" else { throw RegexFailure(message: "invalid \\x escape in regular expression") }
            position += 1
        } else {
            for _ in 0..<2 { digits.unicodeScalars.append(try next()) }
        }
        guard !digits.isEmpty, let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) else {
            throw RegexFailure(message: "invalid \\x escape in regular expression")
        }
        return scalar
    }

    /// After `[`: ranges, single scalars and class escapes up to the closing `]`.
    private mutating func parseClass(_ flags: Flags) throws -> RegexCharacterSet {
        var set = RegexCharacterSet(ranges: [], foldCase: flags.foldCase)
        if peek() == "^" {
            position += 1
            set.negated = true
        }
        var first = true
        while true {
            guard let scalar = peek() else {
                throw RegexFailure(message: "missing ']' in regular expression")
            }
            if scalar == "]" && !first { break }
            first = false
            if scalar == "[", peek(1) == ":" {
                throw RegexFailure(message: "POSIX classes ([:name:]) are not supported in regular expressions")
            }
            position += 1
            var low = scalar
            if scalar == "\\" {
                let escaped = try next()
                if let inner = try classEscape(escaped) {
                    set.ranges += inner.negated ? inner.complementRanges : inner.ranges
                    continue
                }
                low = escaped == "b" ? "\u{08}" : try literalEscape(escaped)
            }
            var high = low
            if peek() == "-", let after = peek(1), after != "]" {
                position += 1
                high = try next()
                if high == "\\" { high = try literalEscape(try next()) }
                guard low.value <= high.value else {
                    throw RegexFailure(message: "invalid character class range in regular expression")
                }
            }
            set.ranges.append(low.value...high.value)
        }
        position += 1
        return set
    }
}
