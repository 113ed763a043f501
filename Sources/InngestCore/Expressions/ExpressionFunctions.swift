/// The global functions an expression may call: `size(x)`, and Inngest's
/// `lowercase(x)` and `uppercase(x)`.
///
/// The set is closed so that an unknown name (including CEL macros such as `has`) is
/// rejected when the expression is created, not when it first runs.
enum ExpressionFunction: String, Sendable, CaseIterable {
    case size, lowercase, uppercase

    var arity: Int { 1 }

    func apply(_ arguments: [JSONValue]) throws -> JSONValue {
        guard let argument = arguments.first, arguments.count == arity else {
            throw OperationFailure(
                message: ExpressionFunctions.arityMessage(rawValue, expected: arity, got: arguments.count))
        }
        switch self {
        case .size:
            return try ExpressionFunctions.size(of: argument, name: "size()")
        case .lowercase:
            return .string(try ExpressionFunctions.string(argument, for: "lowercase()").lowercased())
        case .uppercase:
            return .string(try ExpressionFunctions.string(argument, for: "uppercase()").uppercased())
        }
    }
}

/// The methods an expression may call on a value: `x.size()` and the string tests
/// `startsWith`, `endsWith` and `contains`.
enum ExpressionMethod: String, Sendable, CaseIterable {
    case size, startsWith, endsWith, contains

    var arity: Int { self == .size ? 0 : 1 }

    func apply(to receiver: JSONValue, _ arguments: [JSONValue]) throws -> JSONValue {
        guard arguments.count == arity else {
            throw OperationFailure(
                message: ExpressionFunctions.arityMessage(rawValue, expected: arity, got: arguments.count))
        }
        switch self {
        case .size:
            return try ExpressionFunctions.size(of: receiver, name: ".size()")
        case .startsWith:
            return .bool(try stringTest(receiver, arguments) { $0.starts(with: $1) })
        case .endsWith:
            return .bool(try stringTest(receiver, arguments) { $0.reversed().starts(with: $1.reversed()) })
        case .contains:
            return .bool(try stringTest(receiver, arguments) { $1.isEmpty || $0.firstRange(of: $1) != nil })
        }
    }

    /// Applies `test` to the UTF-8 of the receiver and the argument: byte-wise like Go, since
    /// Swift's String methods match by Character and canonical equivalence, which the server
    /// does not.
    private func stringTest(
        _ receiver: JSONValue, _ arguments: [JSONValue], _ test: ([UInt8], [UInt8]) -> Bool
    ) throws -> Bool {
        let name = ".\(rawValue)()"
        let text = try ExpressionFunctions.string(receiver, for: name)
        guard let argument = arguments.first, case .string(let part) = argument else {
            let type = arguments.first.map(ExpressionOperations.typeName) ?? "nothing"
            throw OperationFailure(message: "\(name) expects a string argument, got \(type)")
        }
        return test(Array(text.utf8), Array(part.utf8))
    }
}

enum ExpressionFunctions {
    static func arityMessage(_ name: String, expected: Int, got: Int) -> String {
        "'\(name)' expects \(expected) argument\(expected == 1 ? "" : "s"), got \(got)"
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

    static func string(_ value: JSONValue, for name: String) throws -> String {
        guard case .string(let text) = value else {
            throw OperationFailure(message: "\(name) expects a string, got \(ExpressionOperations.typeName(value))")
        }
        return text
    }
}
