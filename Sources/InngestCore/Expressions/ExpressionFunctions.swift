/// The global functions an expression may call: CEL's `size(x)`, `matches(s, re)`, the
/// conversions `int(x)`, `double(x)`, `string(x)`, `bool(x)` and `dyn(x)`, the time
/// constructors `timestamp(x)` and `duration(s)`, and Inngest's own `lowercase(s)`,
/// `uppercase(s)`, `date(x)`, `now()`, `now_plus(s)` and `now_minus(s)`.
///
/// The set is closed so that an unknown name is rejected when the expression is created,
/// not when it first runs. (`has` is a macro, parsed on its own.)
enum ExpressionFunction: String, Sendable, CaseIterable {
    case size, lowercase, uppercase, matches
    case int, double, string, bool, dyn
    case timestamp, duration, date, now
    case nowPlus = "now_plus"
    case nowMinus = "now_minus"

    var arity: ClosedRange<Int> {
        switch self {
        case .matches: return 2...2
        case .now: return 0...0
        default: return 1...1
        }
    }

    /// Applies the function; `now` is the moment the evaluation started, so that every
    /// `now()` in one expression agrees, and `budget` is charged for regular expressions.
    func apply(
        _ arguments: [ExpressionValue], now: CELTimestamp, budget: EvaluationBudget
    ) throws
        -> ExpressionValue
    {
        guard arity.contains(arguments.count) else {
            throw OperationFailure(
                message: ExpressionFunctions.arityMessage(rawValue, expected: arity, got: arguments.count))
        }
        if self == .now { return .timestamp(now) }
        // Every other function takes at least one argument (checked above).
        guard let argument = arguments.first else { return .null }
        switch self {
        case .size:
            return .json(try ExpressionFunctions.size(of: try argument.requireJSON(for: "size()"), name: "size()"))
        case .lowercase:
            return .json(.string(try ExpressionFunctions.string(argument, for: "lowercase()").lowercased()))
        case .uppercase:
            return .json(.string(try ExpressionFunctions.string(argument, for: "uppercase()").uppercased()))
        case .matches:
            return try ExpressionMethod.matches.apply(to: argument, Array(arguments.dropFirst()), budget: budget)
        case .int, .double, .string, .bool:
            return try ExpressionConversions.convert(argument, with: self)
        case .dyn:
            return argument
        case .timestamp, .duration, .date, .nowPlus, .nowMinus:
            return try TimeFunctions.apply(self, argument, now: now)
        case .now:
            return .timestamp(now)
        }
    }
}

/// The methods an expression may call on a value: `x.size()`, the string tests
/// `startsWith`, `endsWith` and `contains`, `matches` (RE2 syntax, see ``RegexProgram``),
/// and the getters of timestamps and durations (``TimestampGetter``).
enum ExpressionMethod: Sendable {
    case size, startsWith, endsWith, contains, matches
    case getter(TimestampGetter)

    init?(name: String) {
        switch name {
        case "size": self = .size
        case "startsWith": self = .startsWith
        case "endsWith": self = .endsWith
        case "contains": self = .contains
        case "matches": self = .matches
        default:
            guard let getter = TimestampGetter(rawValue: name) else { return nil }
            self = .getter(getter)
        }
    }

    var name: String {
        switch self {
        case .size: return "size"
        case .startsWith: return "startsWith"
        case .endsWith: return "endsWith"
        case .contains: return "contains"
        case .matches: return "matches"
        case .getter(let getter): return getter.rawValue
        }
    }

    var arity: ClosedRange<Int> {
        switch self {
        case .size: return 0...0
        case .getter: return 0...1
        default: return 1...1
        }
    }

    /// Applies the method; a regular expression's steps are charged to `budget`.
    func apply(
        to receiver: ExpressionValue, _ arguments: [ExpressionValue], budget: EvaluationBudget
    ) throws
        -> ExpressionValue
    {
        guard arity.contains(arguments.count) else {
            throw OperationFailure(
                message: ExpressionFunctions.arityMessage(name, expected: arity, got: arguments.count))
        }
        switch self {
        case .size:
            return .json(try ExpressionFunctions.size(of: try receiver.requireJSON(for: ".size()"), name: ".size()"))
        case .startsWith:
            return .bool(try stringTest(receiver, arguments) { $0.starts(with: $1) })
        case .endsWith:
            return .bool(try stringTest(receiver, arguments) { $0.reversed().starts(with: $1.reversed()) })
        case .contains:
            return .bool(try stringTest(receiver, arguments) { $1.isEmpty || $0.firstRange(of: $1) != nil })
        case .matches:
            let text = try ExpressionFunctions.string(receiver, for: "matches()")
            let pattern = try argumentString(arguments)
            do {
                let program = try RegexProgram(pattern: pattern)
                try budget.spendRegexSteps(program.steps(for: text))
                return .bool(try program.matches(text))
            } catch let failure as RegexFailure {
                throw OperationFailure(message: "matches(): \(failure.message)")
            }
        case .getter(let getter):
            let zone = try arguments.first.map { try $0.requireJSON(for: "a time zone") }
            return .json(try getter.apply(to: receiver, timeZone: zone))
        }
    }

    private func argumentString(_ arguments: [ExpressionValue]) throws -> String {
        guard let argument = arguments.first, case .json(.string(let text)) = argument else {
            let type = arguments.first?.typeName ?? "nothing"
            throw OperationFailure(message: ".\(name)() expects a string argument, got \(type)")
        }
        return text
    }

    /// Applies `test` to the UTF-8 of the receiver and the argument: byte-wise like Go, since
    /// Swift's String methods match by Character and canonical equivalence, which the server
    /// does not.
    private func stringTest(
        _ receiver: ExpressionValue, _ arguments: [ExpressionValue], _ test: ([UInt8], [UInt8]) -> Bool
    ) throws -> Bool {
        let text = try ExpressionFunctions.string(receiver, for: ".\(name)()")
        let part = try argumentString(arguments)
        return test(Array(text.utf8), Array(part.utf8))
    }
}

enum ExpressionFunctions {
    static func arityMessage(_ name: String, expected: ClosedRange<Int>, got: Int) -> String {
        let count =
            expected.count == 1 ? "\(expected.lowerBound)" : "\(expected.lowerBound) or \(expected.upperBound)"
        return "'\(name)' expects \(count) argument\(expected == 1...1 ? "" : "s"), got \(got)"
    }

    static func arityMessage(_ name: String, expected: Int, got: Int) -> String {
        arityMessage(name, expected: expected...expected, got: got)
    }

    /// Characters of a string are counted as Unicode code points, as CEL does.
    static func size(of value: JSONValue, name: String) throws -> JSONValue {
        switch value {
        case .string(let text): return .integer(Int64(text.unicodeScalars.count))
        case .array(let elements): return .integer(Int64(elements.count))
        case .object(let members): return .integer(Int64(members.count))
        default:
            throw OperationFailure(message: "\(name) is not defined for \(ExpressionOperations.typeName(value))")
        }
    }

    static func string(_ value: ExpressionValue, for name: String) throws -> String {
        guard case .json(.string(let text)) = value else {
            throw OperationFailure(message: "\(name) expects a string, got \(value.typeName)")
        }
        return text
    }
}
