/// A step's recorded result, in the shapes Inngest stores:
/// `{"data": value}` for a finished `run`/`invoke`, `{"error": error}` for a failed one,
/// and a raw value for the rest (`null` for an elapsed sleep or a timed-out wait, the
/// matching event for a wait).
package enum StepMemo: Sendable, Hashable {
    case data(JSONValue)
    case error(SerializedError)
    case value(JSONValue)

    /// Reads a memo value as it arrives in the `steps` map of a call.
    ///
    /// Follows Inngest's rule: an object whose only key is `data` is a result, whose only
    /// key is `error` (holding a valid error) is a failure, anything else is a raw value.
    /// An object whose only key is `input` is a step that has not finished: `nil`.
    package init?(wire: JSONValue) {
        guard case .object(let members) = wire, members.count == 1, let (key, value) = members.first else {
            self = .value(wire)
            return
        }
        switch key {
        case "data":
            self = .data(value)
        case "error":
            if let error = SerializedError(json: value) { self = .error(error) } else { self = .value(wire) }
        case "input":
            return nil
        default:
            self = .value(wire)
        }
    }

    /// The memo as it is stored and sent in the `steps` map.
    package var wire: JSONValue {
        switch self {
        case .data(let value): return ["data": value]
        case .error(let error): return ["error": error.json]
        case .value(let value): return value
        }
    }
}
