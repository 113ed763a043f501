/// The body of a call (`POST ?fnId=…&stepId=…`): the server asks an app to run a function
/// for one request, with the run's events, the steps memoized so far and the run's context.
///
/// The engine writes it and the serve handler reads it, so both sides agree on one shape.
/// It works on the JSON tree rather than through `Codable`: it is read on every call an app
/// serves, and it is read leniently, as the protocol requires (members such as `defers`,
/// `qi_id`, `request_id` or `fn_id` come and go; unknown ones are ignored).
package struct CallRequest: Sendable {
    /// The events of the run: one, or a batch.
    package var events: [AnyEvent]
    /// Memoized step results by hashed step id.
    package var steps: [String: JSONValue]
    package var context: Context
    /// Set when the server trimmed `events` and `steps` (the body would pass the call-body
    /// limit); the app fetches them from the API. Written both here and in `ctx`.
    package var useAPI: Bool

    /// The `ctx` member: the run and the attempt the call belongs to.
    package struct Context: Sendable {
        package var runID: String
        /// The step the call is for (`step` when the server asks for discovery).
        package var stepID: String
        /// Zero-based.
        package var attempt: Int
        package var maxAttempts: Int?
        /// The step ids of the run's completed steps, in completion order.
        package var stack: [String]
        /// Set when a step ran in parallel with others: the SDK must report each step and
        /// not run the next one in the same request.
        package var disableImmediateExecution: Bool
        /// The server's id of the function (`fn_id`). A server sends it when it takes
        /// checkpoints (`POST /v1/checkpoint/{runId}/async`), which name it.
        package var serverFunctionID: String?
        /// The queue item the call runs for (`qi_id`); a checkpoint names it, so the server
        /// can refuse one from a call it has moved on from.
        package var queueItemID: String?

        package init(
            runID: String, stepID: String, attempt: Int, maxAttempts: Int?, stack: [String] = [],
            disableImmediateExecution: Bool = false, serverFunctionID: String? = nil, queueItemID: String? = nil
        ) {
            self.runID = runID
            self.stepID = stepID
            self.attempt = attempt
            self.maxAttempts = maxAttempts
            self.stack = stack
            self.disableImmediateExecution = disableImmediateExecution
            self.serverFunctionID = serverFunctionID
            self.queueItemID = queueItemID
        }
    }

    /// The wire version of the call document.
    package static let version: Int64 = 2

    package init(events: [AnyEvent], steps: [String: JSONValue], context: Context, useAPI: Bool = false) {
        self.events = events
        self.steps = steps
        self.context = context
        self.useAPI = useAPI
    }

    /// The same call with `events` and `steps` left for the app to fetch (the first event
    /// stays in `event`, as the server sends it).
    package func trimmed() -> CallRequest {
        var call = self
        call.useAPI = true
        call.events = Array(events.prefix(1))
        call.steps = [:]
        return call
    }

    // MARK: Writing

    /// The document as the server writes it: `event` (the first event), `events`, `steps`,
    /// `ctx`, `version` and `use_api`.
    ///
    /// `fn_id` and `qi_id` are written when set: with them an SDK that checkpoints (TypeScript,
    /// this one) runs consecutive steps in one call; without them it answers one step per call.
    package func jsonTree() throws -> JSONValue {
        let eventTrees = try events.map { try JSONCodec.shared.jsonValue(of: $0) }
        var ctx: [String: JSONValue] = [
            "run_id": .string(context.runID),
            "env": "",
            "step_id": .string(context.stepID),
            "attempt": .integer(Int64(context.attempt)),
            "max_attempts": context.maxAttempts.map { .integer(Int64($0)) } ?? .null,
            "stack": ["stack": .array(context.stack.map(JSONValue.string)), "current": .integer(Int64(context.stack.count))],
            "disable_immediate_execution": .bool(context.disableImmediateExecution),
            "use_api": .bool(useAPI),
        ]
        if let serverFunctionID = context.serverFunctionID { ctx["fn_id"] = .string(serverFunctionID) }
        if let queueItemID = context.queueItemID { ctx["qi_id"] = .string(queueItemID) }
        return [
            "event": eventTrees.first ?? [:],
            "events": useAPI ? [] : .array(eventTrees),
            "steps": .object(steps),
            "ctx": .object(ctx),
            "version": .integer(Self.version),
            "use_api": .bool(useAPI),
        ]
    }

    // MARK: Reading

    /// A body that is JSON but not a call; the message names the member and the problem.
    package struct Invalid: Error, CustomStringConvertible {
        package var description: String
    }

    /// Reads a call body. A trimmed call (`use_api`) may come without events; any other
    /// call needs at least one.
    package init(json: JSONValue) throws(Invalid) {
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
        context = Context(
            runID: runID,
            stepID: ctx["step_id"]?.stringValue ?? "",
            attempt: try Self.integer(ctx["attempt"], "ctx.attempt") ?? 0,
            maxAttempts: try Self.integer(ctx["max_attempts"], "ctx.max_attempts"),
            stack: Self.stack(ctx["stack"]),
            disableImmediateExecution: try Self.bool(ctx["disable_immediate_execution"], "ctx.disable_immediate_execution") ?? false,
            serverFunctionID: ctx["fn_id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
            queueItemID: ctx["qi_id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 })
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
        if events.isEmpty && !useAPI {
            throw Invalid(description: "the call has no event (\"event\" and \"events\" are both missing or empty)")
        }
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

    /// The SDKs do not act on the stack, so a malformed one is read as empty rather than
    /// refused.
    private static func stack(_ value: JSONValue?) -> [String] {
        guard case .object(let members)? = value, case .array(let ids)? = members["stack"] else { return [] }
        return ids.compactMap(\.stringValue)
    }
}
