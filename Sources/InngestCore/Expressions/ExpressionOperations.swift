/// An operation with no value, before the evaluator adds the source and column.
struct OperationFailure: Error {
    let message: String
}

/// The value semantics of expressions, following CEL as the Inngest server runs it,
/// adapted to JSON where an event payload has no static types:
/// - equality across types is `false`, not an error; integers and doubles compare by value;
/// - ordering across types (or of types with no order) is `false`;
/// - strings compare by Unicode code points, like Go, not by Swift's canonical equivalence,
///   so that the SDK and the server agree on every string;
/// - integer arithmetic is checked, and any double in an operation makes it a double one.
enum ExpressionOperations {
    // MARK: - Names

    /// CEL's names for the types, for messages.
    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "bool"
        case .integer: return "int"
        case .double: return "double"
        case .string: return "string"
        case .array: return "list"
        case .object: return "map"
        }
    }

    // MARK: - Comparison

    static func isTrue(_ value: JSONValue) -> Bool {
        if case .bool(true) = value { return true }
        return false
    }

    static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null):
            return true
        case (.bool(let a), .bool(let b)):
            return a == b
        case (.integer, .integer), (.integer, .double), (.double, .integer), (.double, .double):
            return compareNumbers(lhs, rhs) == 0
        case (.string(let a), .string(let b)):
            return a.utf8.elementsEqual(b.utf8)
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            return a.allSatisfy { key, value in b[key].map { equal(value, $0) } ?? false }
        default:
            return false
        }
    }

    /// The ordering of two values, or `nil` when they have none (different types, NaN,
    /// lists, maps, null).
    static func compare(_ lhs: JSONValue, _ rhs: JSONValue) -> Int? {
        switch (lhs, rhs) {
        case (.integer, .integer), (.integer, .double), (.double, .integer), (.double, .double):
            return compareNumbers(lhs, rhs)
        case (.string(let a), .string(let b)):
            if a.utf8.elementsEqual(b.utf8) { return 0 }
            return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
        case (.bool(let a), .bool(let b)):
            return a == b ? 0 : (!a ? -1 : 1)
        default:
            return nil
        }
    }

    /// Exact comparison of numbers: converting a large integer to a double would round it,
    /// so an integer is compared with a double through the double's integral part.
    static func compareNumbers(_ lhs: JSONValue, _ rhs: JSONValue) -> Int? {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)):
            return a == b ? 0 : (a < b ? -1 : 1)
        case (.double(let a), .double(let b)):
            if a.isNaN || b.isNaN { return nil }
            return a == b ? 0 : (a < b ? -1 : 1)
        case (.integer(let a), .double(let b)):
            return compare(integer: a, double: b)
        case (.double(let a), .integer(let b)):
            return compare(integer: b, double: a).map { -$0 }
        default:
            return nil
        }
    }

    private static func compare(integer: Int64, double: Double) -> Int? {
        if double.isNaN { return nil }
        // 2^63 is exactly representable; everything at or above it exceeds every Int64.
        if double >= 9_223_372_036_854_775_808.0 { return -1 }
        if double < -9_223_372_036_854_775_808.0 { return 1 }
        let whole = double.rounded(.towardZero)
        guard let integral = Int64(exactly: whole) else { return nil }
        if integer != integral { return integer < integral ? -1 : 1 }
        let fraction = double - whole
        return fraction == 0 ? 0 : (fraction > 0 ? -1 : 1)
    }

    // MARK: - Membership and access

    /// `element in collection`: an equal element of a list, or a key of a map.
    static func contains(_ collection: JSONValue, _ element: JSONValue) -> Bool {
        switch collection {
        case .array(let elements):
            return elements.contains { equal($0, element) }
        case .object(let members):
            guard case .string(let key) = element else { return false }
            return members[key] != nil
        default:
            return false
        }
    }

    /// `base[key]`: anything missing or out of range reads as `null`, like a missing field.
    static func index(_ base: JSONValue, _ key: JSONValue) -> JSONValue {
        switch (base, key) {
        case (.object(let members), .string(let name)):
            return members[name] ?? .null
        case (.array(let elements), .integer), (.array(let elements), .double):
            guard let position = key.integerValue, let offset = Int(exactly: position),
                elements.indices.contains(offset)
            else { return .null }
            return elements[offset]
        default:
            return .null
        }
    }

    // MARK: - Arithmetic

    static func negate(_ value: JSONValue) throws -> JSONValue {
        switch value {
        case .integer(let a):
            let (result, overflow) = Int64(0).subtractingReportingOverflow(a)
            if overflow { throw OperationFailure(message: "integer overflow in '-'") }
            return .integer(result)
        case .double(let a):
            return .double(-a)
        default:
            throw OperationFailure(message: "cannot negate \(typeName(value))")
        }
    }

    static func arithmetic(_ op: BinaryOperator, _ lhs: JSONValue, _ rhs: JSONValue) throws -> JSONValue {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)):
            return .integer(try integerArithmetic(op, a, b))
        case (.integer, .double), (.double, .integer), (.double, .double):
            guard let a = lhs.doubleValue, let b = rhs.doubleValue else { break }
            return .double(try doubleArithmetic(op, a, b))
        case (.string(let a), .string(let b)) where op == .add:
            return .string(a + b)
        case (.array(let a), .array(let b)) where op == .add:
            return .array(a + b)
        default:
            break
        }
        throw OperationFailure(message: "cannot apply '\(op.rawValue)' to \(typeName(lhs)) and \(typeName(rhs))")
    }

    private static func integerArithmetic(_ op: BinaryOperator, _ a: Int64, _ b: Int64) throws -> Int64 {
        let result: (partialValue: Int64, overflow: Bool)
        switch op {
        case .add: result = a.addingReportingOverflow(b)
        case .subtract: result = a.subtractingReportingOverflow(b)
        case .multiply: result = a.multipliedReportingOverflow(by: b)
        case .divide:
            if b == 0 { throw OperationFailure(message: "division by zero") }
            result = a.dividedReportingOverflow(by: b)
        case .remainder:
            if b == 0 { throw OperationFailure(message: "modulus by zero") }
            // Int64.min % -1 is reported as overflow, as CEL does.
            result = a.remainderReportingOverflow(dividingBy: b)
        default:
            throw OperationFailure(message: "'\(op.rawValue)' is not an arithmetic operator")
        }
        if result.overflow { throw OperationFailure(message: "integer overflow in '\(op.rawValue)'") }
        return result.partialValue
    }

    /// Doubles stay finite: a result of infinity or NaN could not be written back as JSON,
    /// so division by zero and overflow are errors here too.
    private static func doubleArithmetic(_ op: BinaryOperator, _ a: Double, _ b: Double) throws -> Double {
        let result: Double
        switch op {
        case .add: result = a + b
        case .subtract: result = a - b
        case .multiply: result = a * b
        case .divide:
            if b == 0 { throw OperationFailure(message: "division by zero") }
            result = a / b
        case .remainder:
            if b == 0 { throw OperationFailure(message: "modulus by zero") }
            result = a.truncatingRemainder(dividingBy: b)
        default:
            throw OperationFailure(message: "'\(op.rawValue)' is not an arithmetic operator")
        }
        guard result.isFinite else {
            throw OperationFailure(message: "double overflow in '\(op.rawValue)'")
        }
        return result
    }
}
