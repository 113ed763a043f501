/// A value while an expression runs: JSON, as events carry it, or one of CEL's time types,
/// which JSON has no place for. Time values exist only inside an evaluation; a result that
/// is one is written out as CEL's JSON form of it (see ``json``).
enum ExpressionValue: Sendable {
    case json(JSONValue)
    case timestamp(CELTimestamp)
    case duration(CELDuration)

    static let null = ExpressionValue.json(.null)

    static func bool(_ value: Bool) -> ExpressionValue { .json(.bool(value)) }

    /// The JSON form: a timestamp as RFC 3339 text (`"2026-01-02T03:04:05Z"`), a duration
    /// as seconds (`"90s"`, `"1.5s"`), as cel-go converts them to JSON.
    var json: JSONValue {
        switch self {
        case .json(let value): return value
        case .timestamp(let timestamp): return .string(timestamp.rfc3339)
        case .duration(let duration): return .string(duration.secondsText)
        }
    }

    /// CEL's name for the type, for messages.
    var typeName: String {
        switch self {
        case .json(let value): return ExpressionOperations.typeName(value)
        case .timestamp: return "timestamp"
        case .duration: return "duration"
        }
    }

    var isTrue: Bool {
        if case .json(.bool(true)) = self { return true }
        return false
    }

    /// The JSON value for an operation defined on JSON types only.
    func requireJSON(for operation: String) throws -> JSONValue {
        guard case .json(let value) = self else {
            throw OperationFailure(message: "\(operation) is not defined for \(typeName)")
        }
        return value
    }
}
