/// The body of a call (`POST ?fnId=…&stepId=…`), read leniently: unknown fields are ignored,
/// as the protocol requires (`defers`, `qi_id`, `request_id`, `fn_id`, … come and go).
struct CallPayload {
    var events: [AnyEvent]
    var steps: [String: JSONValue]
    var runID: String
    var attempt: Int
    var maxAttempts: Int?
    var disableImmediateExecution: Bool
    /// The server trimmed `events`/`steps`; fetch them from the API.
    var useAPI: Bool

    /// A body that is JSON but not a call; the message names the problem.
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    init(_ json: JSONValue) throws(Invalid) {
        guard case .object(let root) = json else { throw Invalid(description: "the call body must be a JSON object") }
        let ctx: [String: JSONValue]
        switch root["ctx"] {
        case .object(let members)?: ctx = members
        case nil, .null?: throw Invalid(description: "the call body has no \"ctx\" object")
        default: throw Invalid(description: "\"ctx\" must be a JSON object")
        }
        guard let runID = ctx["run_id"]?.stringValue, !runID.isEmpty else {
            throw Invalid(description: "\"ctx.run_id\" is missing or not a string")
        }
        self.runID = runID
        attempt = try Self.integer(ctx["attempt"], "ctx.attempt") ?? 0
        maxAttempts = try Self.integer(ctx["max_attempts"], "ctx.max_attempts")
        disableImmediateExecution = try Self.bool(ctx["disable_immediate_execution"], "ctx.disable_immediate_execution") ?? false
        let ctxUseAPI = try Self.bool(ctx["use_api"], "ctx.use_api") ?? false
        let topUseAPI = try Self.bool(root["use_api"], "use_api") ?? false
        useAPI = ctxUseAPI || topUseAPI

        switch root["steps"] {
        case .object(let members)?: steps = members
        case nil, .null?: steps = [:]
        default: throw Invalid(description: "\"steps\" must be a JSON object")
        }

        var rawEvents: [JSONValue]
        switch root["events"] {
        case .array(let elements)?: rawEvents = elements
        case nil, .null?: rawEvents = []
        default: throw Invalid(description: "\"events\" must be a JSON array")
        }
        if rawEvents.isEmpty, let event = root["event"], case .object = event { rawEvents = [event] }
        events = []
        for (index, raw) in rawEvents.enumerated() {
            guard case .object(let members) = raw, members["name"]?.stringValue != nil else {
                throw Invalid(description: "\"events[\(index)]\" is not an event object with a \"name\"")
            }
            do {
                events.append(try JSONCodec.shared.decode(AnyEvent.self, from: raw))
            } catch {
                throw Invalid(description: "\"events[\(index)]\" is not a valid event: \(error)")
            }
        }
        if events.isEmpty && !useAPI { throw Invalid(description: "the call has no event (\"event\" and \"events\" are both missing or empty)") }
    }

    private static func integer(_ value: JSONValue?, _ field: String) throws(Invalid) -> Int? {
        switch value {
        case nil, .null?: return nil
        case .integer(let number)?: return Int(number)
        case .double(let number)? where number.rounded() == number && abs(number) < 1e15: return Int(number)
        default: throw Invalid(description: "\"\(field)\" must be an integer")
        }
    }

    private static func bool(_ value: JSONValue?, _ field: String) throws(Invalid) -> Bool? {
        switch value {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        default: throw Invalid(description: "\"\(field)\" must be true or false")
        }
    }
}
