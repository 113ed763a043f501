import Foundation
import HTTPTypes
import Tracing

/// The SDK's side of the Inngest APIs: sends events to the event API and makes the calls a
/// served app needs (register, trimmed-payload fetches), through an ``HTTPTransport``.
///
/// It is an ``EventSender``, so a serve handler hands it to the executor and `step.sendEvent`
/// posts through it.
///
/// ```swift
/// let inngest = InngestClient(configuration: .init(appID: "my-app"), transport: myTransport)
/// let ids = try await inngest.send([AnyEvent(name: "app/user.created", data: ["id": "u_1"])])
/// ```
public struct InngestClient: EventSender {
    /// The app's id, mode, keys and server URLs.
    public let configuration: InngestConfiguration
    /// Carries the client's requests.
    public let transport: any HTTPTransport
    /// Hooks around the app's runs and steps, and its sends (see ``InngestMiddleware``).
    public let middleware: [any InngestMiddleware]
    /// Where the spans of served calls go; `nil`: the `InstrumentationSystem`'s tracer.
    public let tracer: (any Tracer)?
    let now: @Sendable () -> Date
    let randomBytes: @Sendable (Int) -> [UInt8]

    /// A client of the Inngest server the configuration names.
    ///
    /// - Parameters:
    ///   - configuration: The app's id, mode, keys and server URLs (by default from the
    ///     `INNGEST_*` environment variables).
    ///   - transport: Carries the client's requests, e.g. `AsyncHTTPClientTransport`.
    ///   - middleware: applied to the functions a serve handler runs with this client, and to its sends.
    ///   - tracer: traces served calls and carries the trace context of sends (`traceparent`).
    ///   - now: the clock, for signatures, event timestamps and id seeds (tests freeze it).
    ///   - randomBytes: random source for the `X-Inngest-Event-Id-Seed` header.
    public init(
        configuration: InngestConfiguration, transport: any HTTPTransport,
        middleware: [any InngestMiddleware] = [], tracer: (any Tracer)? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        randomBytes: @escaping @Sendable (Int) -> [UInt8] = InngestClient.systemRandomBytes
    ) {
        self.configuration = configuration
        self.transport = transport
        self.middleware = middleware
        self.tracer = tracer
        self.now = now
        self.randomBytes = randomBytes
    }

    /// `count` bytes from the system's random number generator: the default random source.
    ///
    /// - Parameter count: How many bytes.
    /// - Returns: The bytes.
    public static func systemRandomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    // MARK: Events

    /// Sends one event and returns the id Inngest gave it.
    ///
    /// - Parameter event: The event to send.
    /// - Returns: The event's id.
    /// - Throws: ``InngestClientError`` when the event API refuses the event or cannot be
    ///   reached, `InvalidEvent` when the event breaks Inngest's rules.
    @discardableResult
    public func send<Payload: Codable & Sendable>(_ event: Event<Payload>) async throws -> String {
        let ids = try await send([try event.erased()])
        guard let id = ids.first else { throw InngestClientError.invalidResponse("the event API returned no id") }
        return id
    }

    /// `step.sendEvent`'s send: the event API assigns the ids, so the origin is not needed.
    ///
    /// - Parameters:
    ///   - events: The events to send.
    ///   - origin: The step that sends them; not used.
    /// - Returns: The events' ids, in order.
    /// - Throws: As ``send(_:)-([AnyEvent])``.
    public func send(_ events: [AnyEvent], from origin: EventSendOrigin) async throws -> [String] {
        try await send(events)
    }

    /// Posts the events to `<event API>/e/<event key>` and returns their ids, in order.
    ///
    /// Events are checked by the same rules as the engine's (`InvalidEvent`) before anything is sent. In dev
    /// mode without an event key the placeholder `NO_EVENT_KEY_SET` is used, as the other SDKs do.
    ///
    /// - Parameter events: The events to send.
    /// - Returns: The events' ids, in order.
    /// - Throws: ``InngestClientError`` when the event API refuses them or cannot be reached,
    ///   or there is no event key outside dev mode; `InvalidEvent` when an event breaks
    ///   Inngest's rules.
    public func send(_ events: [AnyEvent]) async throws -> [String] {
        guard !events.isEmpty else { return [] }
        let events = middleware.isEmpty ? events : try await MiddlewareStack(middleware).transformSentEvents(events)
        try AnyEvent.check(events)
        guard let key = configuration.effectiveEventKey else { throw InngestClientError.missingEventKey }
        let millis = Int64(saturating: (now().timeIntervalSince1970 * 1_000).rounded(.down))
        let payload: [JSONValue] = try events.map { event in
            var object = try JSONCodec.shared.jsonValue(of: event).objectValue ?? [:]
            if object["data"] == nil || object["data"] == .null { object["data"] = [:] }
            if event.ts == nil || event.ts == 0 { object["ts"] = .integer(millis) }
            return .object(object)
        }
        var headers = baseHeaders()
        headers[.inngestEventIDSeed] = "\(millis),\(Data(randomBytes(10)).base64EncodedString())"
        // The runs these events start continue the sender's trace.
        ExecutionTracer(tracer)?.currentHeaders.add(to: &headers)
        let url = configuration.eventAPIOrigin.joiningPath("/e/" + (key.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? key))
        let response: HTTPResponseMessage
        do {
            response = try await transport.send(HTTPRequestMessage(method: .post, url: url, headerFields: headers, body: Array(try JSONText.write(.array(payload)).utf8)))
        } catch {
            throw InngestClientError.transport("could not reach the event API at \(configuration.eventAPIOrigin): \(redacted(String(describing: error)))")
        }
        let json = try? JSONText.read(response.body)
        guard response.status.kind == .successful else {
            let reason = json?.objectValue?["error"]?.stringValue ?? json?.objectValue?["message"]?.stringValue ?? "no error message"
            throw InngestClientError.httpStatus(response.status.code, "the event API refused \(events.count) event(s): \(redacted(reason))")
        }
        guard let ids = json?.objectValue?["ids"]?.arrayValue?.compactMap(\.stringValue), ids.count == events.count else {
            throw InngestClientError.invalidResponse("the event API answered without one id per event")
        }
        return ids
    }

    // MARK: Server API

    /// Headers on every outbound request.
    func baseHeaders() -> HTTPFields {
        var headers: HTTPFields = [
            HTTPField.Name.contentType: "application/json",
            HTTPField.Name.inngestSDK: SDKIdentity.headerValue,
            HTTPField.Name.userAgent: SDKIdentity.headerValue,
        ]
        if let framework = configuration.framework { headers[.inngestFramework] = framework }
        if let env = configuration.env { headers[.inngestEnv] = env }
        return headers
    }

    /// A call to the server API with `Authorization: Bearer <hashed key>`, retried once with the
    /// fallback key when the primary gets `401`/`403`.
    func apiRequest(method: HTTPRequest.Method, path: String, query: [URLQueryItem] = [], body: [UInt8] = [], headers extra: HTTPFields = [:]) async throws -> HTTPResponseMessage {
        var url = configuration.apiOrigin.joiningPath(path)
        if !query.isEmpty {
            var components = URLComponents()
            components.queryItems = query
            url += "?" + (components.percentEncodedQuery ?? "")
        }
        var headers = baseHeaders()
        for field in extra { headers[field.name] = field.value }
        let keys = configuration.signingKeys
        for (index, key) in keys.enumerated() {
            headers[.authorization] = "Bearer \(key.bearerToken)"
            let response = try await transport.send(HTTPRequestMessage(method: method, url: url, headerFields: headers, body: body))
            let refused = response.status == .unauthorized || response.status == .forbidden
            if !refused || index == keys.count - 1 { return response }
        }
        return try await transport.send(HTTPRequestMessage(method: method, url: url, headerFields: headers, body: body))
    }

    /// `GET /v0/runs/{id}/batch`: the run's events, when the call was trimmed (`use_api`).
    public func fetchRunEvents(runID: String) async throws -> [AnyEvent] {
        let json = try await fetchRunJSON(runID: runID, what: "batch")
        guard case .array(let elements) = json else { throw InngestClientError.invalidResponse("the run's batch is not a JSON array") }
        return try elements.map { try JSONCodec.shared.decode(AnyEvent.self, from: $0) }
    }

    /// `GET /v0/runs/{id}/actions`: the run's memoized steps, when the call was trimmed.
    public func fetchRunSteps(runID: String) async throws -> [String: JSONValue] {
        let json = try await fetchRunJSON(runID: runID, what: "actions")
        guard case .object(let steps) = json else { throw InngestClientError.invalidResponse("the run's actions are not a JSON object") }
        return steps
    }

    private func fetchRunJSON(runID: String, what: String) async throws -> JSONValue {
        let escaped = runID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? runID
        let response: HTTPResponseMessage
        do {
            response = try await apiRequest(method: .get, path: "/v0/runs/\(escaped)/\(what)", headers: [.contentType: "application/json"])
        } catch {
            throw InngestClientError.transport("could not reach the Inngest API at \(configuration.apiOrigin): \(redacted(String(describing: error)))")
        }
        guard response.status == .ok else {
            throw InngestClientError.httpStatus(response.status.code, "fetching the run's \(what) failed")
        }
        do {
            return try JSONText.read(response.body)
        } catch {
            throw InngestClientError.invalidResponse("the run's \(what) is not JSON: \(error)")
        }
    }

    /// Removes anything secret that an error text from elsewhere might echo.
    func redacted(_ text: String) -> String {
        var text = configuration.signingKeys.reduce(text) { $1.redacting($0) }
        if let eventKey = configuration.eventKey, !eventKey.isEmpty {
            text = text.replacingOccurrences(of: eventKey, with: "<redacted>")
        }
        return text
    }
}

extension SigningKey {
    /// `text` with this key's secret (and its bearer form) replaced.
    func redacting(_ text: String) -> String {
        var text = text
        for secret in [secretText, bearerToken, hashedSecret] where !secret.isEmpty {
            text = text.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return text
    }
}

/// Why ``InngestClient`` could not send or fetch. Messages never contain keys.
public enum InngestClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Cloud mode needs `INNGEST_EVENT_KEY` to send events.
    case missingEventKey
    case httpStatus(Int, String)
    case invalidResponse(String)
    case transport(String)

    public var description: String {
        switch self {
        case .missingEventKey: return "no event key is configured; set INNGEST_EVENT_KEY (or INNGEST_DEV=1 for a local dev server)"
        case .httpStatus(let status, let message): return "HTTP \(status): \(message)"
        case .invalidResponse(let message): return message
        case .transport(let message): return message
        }
    }
}
