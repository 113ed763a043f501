import Foundation
import HTTPTypes
import Logging
import Tracing

/// Serves an app's functions to an Inngest server over HTTP, framework-neutral: an adapter
/// turns its request into a ``HTTPRequestMessage``, calls ``handle(_:)`` and writes out the
/// ``HTTPResponseMessage``.
///
/// - `GET`: introspection; `GET ?probe=health`: a health check for load
///   balancers and orchestrators, unauthenticated and without user code (see ``healthCheck``).
/// - `PUT`: sync — out-of-band (the SDK posts its config to `<api>/fn/register`) or, when a
///   signed request asks for it and it is allowed, in-band (the config is the answer).
/// - `POST`: a call (`?fnId=<app>-<fn>&stepId=step|<hash>`) or a trust probe (`?probe=trust`).
/// - anything else: `405`.
///
/// In cloud mode every call, probe, in-band sync and introspection must carry a valid
/// `X-Inngest-Signature` (HMAC-SHA256, ±5 minutes, fallback key); a request that does not is
/// answered `401` before any user code runs, and responses to verified requests are signed.
/// Where the official SDKs differ, this handler does what the TypeScript SDK does.
///
/// ```swift
/// let client = InngestClient(configuration: InngestConfiguration(appID: "my-app", framework: "hummingbird"),
///                            transport: myHTTPTransport)
/// let handler = InngestServeHandler(client: client, functions: [hello, importImages])
/// // in the route for /api/inngest (GET, PUT, POST):
/// let response = await handler.handle(HTTPRequestMessage(head: request, body: bodyBytes))
/// // write out response.head (status and header fields) and response.body
/// ```
///
/// Adapters should stop reading a body past ``InngestConfiguration/maxRequestBodyBytes`` and
/// answer ``bodyTooLarge(limit:)`` (or hand over what they have: the handler then answers `413`).
public final class InngestServeHandler: Sendable {
    /// The client the handler registers and sends events with.
    public let client: InngestClient
    /// The functions it serves, as given.
    public let functions: [InngestFunction]
    private let functionsByID: [String: InngestFunction]
    private let logger: Logger
    /// What `GET ?probe=health` asks besides whether the handler answers: `nil` when the app
    /// is healthy, else the reason (answered `503`), e.g. a database the functions need.
    public let healthCheck: @Sendable () async -> String?

    /// The client's configuration: the app's id, mode, keys and limits.
    public var configuration: InngestConfiguration { client.configuration }

    /// A handler serving `functions` with `client`.
    ///
    /// - Parameters:
    ///   - client: Registers the app and sends events; its configuration sets the mode, keys
    ///     and limits.
    ///   - functions: The functions to serve, usually `Functions.all`; of two with the same
    ///     id, the first is served and a warning logged.
    ///   - logger: Where the handler logs refused requests and failed calls.
    ///   - healthCheck: The app's own check for `GET ?probe=health`: `nil` when healthy, else
    ///     the reason, answered with `503`.
    public init(
        client: InngestClient, functions: [InngestFunction], logger: Logger = Logger(label: "inngest.serve"),
        healthCheck: @escaping @Sendable () async -> String? = { nil }
    ) {
        self.client = client
        self.functions = functions
        self.logger = logger
        self.healthCheck = healthCheck
        var byID: [String: InngestFunction] = [:]
        let appID = client.configuration.appID
        for function in functions {
            for served in [function] + [function.failureFunction(appID: appID)].compactMap({ $0 }) {
                let id = served.configuration.compositeID(appID: appID)
                if byID[id] == nil { byID[id] = served } else { logger.warning("two functions have the id \(id); the first one is served") }
            }
        }
        functionsByID = byID
    }

    /// Functions as registered, failure handlers included (what `function_count` reports, as TypeScript counts).
    public var servedFunctionCount: Int { functionsByID.count }

    /// The answer to a request whose body an adapter stopped reading past `limit` bytes: `413`
    /// with `{"message":"request body exceeds the limit of <limit> bytes"}` and the SDK's headers.
    /// Every web framework adapter answers this, so an oversized call reads the same whichever serves it.
    ///
    /// - Parameter limit: The limit in bytes the body went past.
    /// - Returns: The `413` response.
    ///
    /// ```swift
    /// guard let body = try? await request.body.collect(upTo: limit) else { return handler.bodyTooLarge(limit: limit) }
    /// ```
    public func bodyTooLarge(limit: Int) -> HTTPResponseMessage {
        respond(413, json: ["message": .string("request body exceeds the limit of \(limit) bytes")])
    }

    /// Answers one request of the Inngest server (or of a load balancer's health probe).
    ///
    /// Never throws: a refused request, a failed function and a bad body each become the
    /// response the Inngest server expects for them.
    ///
    /// - Parameter request: The request, with its whole body.
    /// - Returns: The response to write out.
    public func handle(_ request: HTTPRequestMessage) async -> HTTPResponseMessage {
        let limit = configuration.maxRequestBodyBytes
        if request.body.count > limit {
            return respond(413, json: ["message": .string("the request body is \(request.body.count) bytes; this endpoint accepts at most \(limit) bytes")])
        }
        switch request.method {
        case .get where request.query("probe") == "health": return await health()
        case .get: return introspect(request)
        case .put: return await sync(request)
        case .post: return await call(request)
        default: return respond(405, json: ["message": "Method not allowed"])
        }
    }

    // MARK: Authentication

    private enum Verification {
        /// Dev mode: nothing to verify, nothing to sign with.
        case notRequired
        case verified(SigningKey)
        case rejected(HTTPResponseMessage)
    }

    private func verify(_ request: HTTPRequestMessage, body: [UInt8]) -> Verification {
        guard configuration.mode == .cloud else { return .notRequired }
        guard !configuration.signingKeys.isEmpty else {
            logger.error("cloud mode without a signing key: set INNGEST_SIGNING_KEY (or INNGEST_DEV=1 for local development)")
            return .rejected(
                respond(
                    500,
                    json: [
                        "code": "internal_server_error",
                        "message": "the app is in cloud mode but has no signing key configured",
                    ]))
        }
        switch RequestSignature.verify(header: request.headerFields[.inngestSignature], body: body, keys: configuration.signingKeys, now: client.now()) {
        case .success(let key):
            return .verified(key)
        case .failure(let failure):
            logger.warning("refused an unauthenticated \(request.method) request: \(failure)")
            return .rejected(unauthorized())
        }
    }

    /// TypeScript's answer to an unauthenticated request: no `x-inngest-*` headers but `x-inngest-sdk-handled`.
    private func unauthorized() -> HTTPResponseMessage {
        HTTPResponseMessage(
            status: .unauthorized, headerFields: [.contentType: "application/json", .inngestSDKHandled: "true"],
            body: Array(#"{"message":"Unauthorized"}"#.utf8))
    }

    // MARK: GET

    /// Says only whether the app can serve (no ids, keys or counts an outsider could use).
    private func health() async -> HTTPResponseMessage {
        if let problem = await healthCheck() {
            return respond(503, json: ["status": "failing", "message": .string(problem)])
        }
        return respond(200, json: ["status": "ok"])
    }

    private func introspect(_ request: HTTPRequestMessage) -> HTTPResponseMessage {
        switch verify(request, body: []) {
        case .notRequired:
            return respond(200, encoding: Introspection.unauthenticated(configuration: configuration, functionCount: servedFunctionCount))
        case .verified(let key):
            return respond(200, encoding: Introspection.authenticated(configuration: configuration, functionCount: servedFunctionCount), signingKey: key)
        case .rejected(let response):
            return response
        }
    }

    // MARK: PUT

    private func sync(_ request: HTTPRequestMessage) async -> HTTPResponseMessage {
        if request.headerFields[.inngestSyncKind]?.lowercased() == "in_band", configuration.allowInBandSync {
            return inBandSync(request)
        }
        return await outOfBandSync(request)
    }

    private func inBandSync(_ request: HTTPRequestMessage) -> HTTPResponseMessage {
        let key: SigningKey?
        switch verify(request, body: request.body) {
        case .notRequired: key = nil
        case .verified(let verified): key = verified
        case .rejected(let response): return response
        }
        let requestedURL: String
        switch try? JSONText.read(request.body) {
        case .object(let members)? where members.count == 1 && members["url"]?.stringValue != nil:
            requestedURL = members["url"]!.stringValue!
        default:
            return respond(
                400,
                json: [
                    "code": "invalid_request",
                    "message": #"an in-band sync body must be exactly {"url": "<the URL the server used>"}"#,
                ], signingKey: key)
        }
        let appURL = self.appURL(forURL: requestedURL)
        var inspection = Introspection.authenticated(configuration: configuration, functionCount: servedFunctionCount)
        // Dev mode: nothing was authenticated.
        if key == nil { inspection.details?.authenticationSucceeded = nil }
        let answer = InBandSyncAnswer(
            appID: configuration.appID, appVersion: configuration.appVersion, env: configuration.env, framework: configuration.framework,
            functions: RegisteredFunction.all(of: functions, appURL: appURL, appID: configuration.appID), inspection: inspection, url: appURL)
        let body: JSONValue
        do {
            body = try JSONCodec.shared.jsonValue(of: answer)
        } catch {
            return respond(500, json: ["message": .string("could not encode the function configuration: \(error)")], signingKey: key)
        }
        return respond(200, json: body, headers: [.inngestSyncKind: "in_band"], signingKey: key)
    }

    private func outOfBandSync(_ request: HTTPRequestMessage) async -> HTTPResponseMessage {
        let syncHeaders: HTTPFields = [.inngestSyncKind: "out_of_band"]
        let appURL = self.appURL(for: request)
        let payload: [UInt8]
        do {
            payload = try RegisterRequest(appURL: appURL, functions: functions, configuration: configuration).jsonBytes()
        } catch {
            return respond(500, json: ["message": .string("could not encode the function configuration: \(error)"), "modified": false], headers: syncHeaders)
        }
        var query: [URLQueryItem] = []
        if let deployID = request.query("deployId"), !deployID.isEmpty, deployID != "undefined" {
            query.append(URLQueryItem(name: "deployId", value: deployID))
        }
        var headers: HTTPFields = [.inngestSyncKind: "out_of_band"]
        if let kind = request.headerFields[.inngestServerKind] { headers[.inngestExpectedServerKind] = kind }
        let reply: HTTPResponseMessage
        do {
            reply = try await client.apiRequest(method: .post, path: "/fn/register", query: query, body: payload, headers: headers)
        } catch {
            let message = "could not reach the Inngest API at \(configuration.apiOrigin) to register: \(client.redacted(String(describing: error)))"
            logger.error("\(message)")
            return respond(500, json: ["message": .string(message), "modified": false], headers: syncHeaders)
        }
        let json = (try? JSONText.read(reply.body))?.objectValue
        if reply.status.kind == .successful {
            let modified = json?["modified"]?.boolValue ?? false
            return respond(200, json: ["message": "Successfully registered", "modified": .bool(modified)], headers: syncHeaders)
        }
        // TypeScript relays the `status` the server put in its error body.
        var status = reply.status.code >= 400 ? reply.status.code : 500
        if let relayed = json?["status"]?.integerValue, (400...599).contains(relayed) { status = Int(relayed) }
        let reason = json?["error"]?.stringValue ?? json?["message"]?.stringValue ?? "HTTP \(reply.status.code)"
        let message = "registration failed: \(client.redacted(reason))"
        logger.error("\(message)")
        return respond(HTTPResponse.Status(code: status), json: ["message": .string(message), "modified": false], headers: syncHeaders)
    }

    /// The public app URL: the request's (or the in-band body's) URL without its query, with
    /// `INNGEST_SERVE_ORIGIN` / `INNGEST_SERVE_PATH` applied. The host is the head's authority
    /// (or a `Host` field); the scheme is the head's (or the first `X-Forwarded-Proto`), else `http`.
    private func appURL(for request: HTTPRequestMessage) -> String {
        guard let host = request.head.authority ?? request.headerFields[.hostField] else {
            return overriding(origin: "http://localhost", path: request.path)
        }
        let forwarded = request.headerFields[.forwardedProto]?.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
        let scheme = request.head.scheme ?? forwarded ?? "http"
        return overriding(origin: "\(scheme)://\(host)", path: request.path)
    }

    private func appURL(forURL text: String) -> String {
        guard let components = URLComponents(string: text), let scheme = components.scheme, let host = components.host else { return text }
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let origin = "\(scheme)://\(hostPart)\(components.port.map { ":\($0)" } ?? "")"
        return overriding(origin: origin, path: components.percentEncodedPath)
    }

    private func overriding(origin: String, path: String) -> String {
        var origin = configuration.serveOrigin ?? origin
        while origin.hasSuffix("/") { origin.removeLast() }
        if !origin.contains("://") { origin = "https://" + origin }
        var path = configuration.servePath ?? path
        if !path.hasPrefix("/") { path = "/" + path }
        return origin + path
    }

    // MARK: POST

    private func call(_ request: HTTPRequestMessage) async -> HTTPResponseMessage {
        let (arrivedAt, arrived) = (Date(), ContinuousClock.now)
        let key: SigningKey?
        switch verify(request, body: request.body) {
        case .notRequired: key = nil
        case .verified(let verified): key = verified
        case .rejected(let response): return response
        }
        if let probe = request.query("probe") {
            guard probe == "trust" else {
                return respond(400, json: ["message": .string("unknown probe \"\(probe)\"")], signingKey: key)
            }
            return respond(200, body: [], signingKey: key)
        }
        func invalid(_ message: String) -> HTTPResponseMessage {
            respond(
                400, json: ["name": "InvalidCallRequest", "message": .string(message), "code": "invalid_request"],
                headers: [.inngestNoRetry: "false"], signingKey: key)
        }
        guard !request.body.isEmpty else { return invalid("the call has an empty body; expected the JSON call payload") }
        let json: JSONValue
        do {
            json = try JSONText.read(request.body)
        } catch {
            return invalid("malformed JSON in the call body: \(error)")
        }
        guard let fnID = request.query("fnId"), !fnID.isEmpty else {
            return respond(
                500, json: ["name": "FunctionNotFound", "message": "the call has no fnId query parameter", "code": "function_not_found"],
                headers: [.inngestNoRetry: "false"], signingKey: key)
        }
        guard let function = functionsByID[fnID] else {
            let message = "function \"\(fnID)\" is not served by app \"\(configuration.appID)\" (ids are \"<app id>-<function id>\")"
            return respond(
                500, json: ["name": "FunctionNotFound", "message": .string(message), "code": "function_not_found"],
                headers: [.inngestNoRetry: "false"], signingKey: key)
        }
        var payload: CallRequest
        do {
            payload = try CallRequest(json: json)
        } catch {
            return invalid(error.description)
        }
        if payload.useAPI {
            do {
                let runID = payload.context.runID
                async let events = client.fetchRunEvents(runID: runID)
                async let steps = client.fetchRunSteps(runID: runID)
                let (fetchedEvents, fetchedSteps) = try await (events, steps)
                if !fetchedEvents.isEmpty { payload.events = fetchedEvents }
                payload.steps = fetchedSteps
            } catch {
                let message = "could not fetch the run's trimmed payload: \(client.redacted(String(describing: error)))"
                logger.error("\(message)")
                return respond(500, json: ["name": "Error", "message": .string(message)], headers: [.inngestNoRetry: "false"], signingKey: key)
            }
            guard !payload.events.isEmpty else {
                return respond(500, json: ["name": "Error", "message": "the run's batch has no event"], headers: [.inngestNoRetry: "false"], signingKey: key)
            }
        }
        let execution = ExecutionRequest(
            events: payload.events, steps: payload.steps, runID: payload.context.runID, attempt: payload.context.attempt,
            maxAttempts: payload.context.maxAttempts, targetStepID: request.query("stepId"),
            disableImmediateExecution: payload.context.disableImmediateExecution)
        let executor = Executor(appID: configuration.appID, eventSender: client, logger: logger, middleware: client.middleware, tracer: client.tracer)
        // The call's span continues the trace the server sent (`traceparent`, `tracestate`).
        let parent = executor.tracer.map { TraceHeaders(request.headerFields).context(with: $0.tracer) }
        let checkpointing = checkpointSession(for: payload.context, request: request, arrivedAt: arrivedAt, arrived: arrived)
        let outcome = await ServiceContext.withValue(parent ?? ServiceContext.current) {
            await executor.execute(function, execution, checkpointing: checkpointing)
        }
        return response(for: outcome, signingKey: key)
    }

    /// A checkpointing session when the server offers it (`ctx.fn_id` and `ctx.qi_id` in a
    /// discovery call that may run steps) and the configuration allows it.
    private func checkpointSession(
        for context: CallRequest.Context, request: HTTPRequestMessage, arrivedAt: Date, arrived: ContinuousClock.Instant
    ) -> CheckpointSession? {
        let options = configuration.checkpointing
        guard options.isEnabled, let functionID = context.serverFunctionID, let queueItemID = context.queueItemID,
            request.query("stepId").map({ $0 == "step" || $0.isEmpty }) ?? true, !context.disableImmediateExecution
        else { return nil }
        let generation = request.headerFields[.inngestGenerationID].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
        let target = CheckpointTarget(
            functionID: functionID, queueItemID: queueItemID, requestID: request.headerFields[.requestID], generationID: generation,
            requestStartedAt: Int64((arrivedAt.timeIntervalSince1970 * 1000).rounded(.down)))
        return CheckpointSession(
            checkpointer: APICheckpointer(client: client, runID: context.runID, target: target), options: options,
            elapsed: { ContinuousClock.now - arrived })
    }

    /// Maps an execution outcome to the status, body and retry headers the Inngest server
    /// reads (where the official SDKs differ, as the TypeScript SDK answers).
    func response(for outcome: ExecutionOutcome, signingKey key: SigningKey?) -> HTTPResponseMessage {
        switch outcome {
        case .completed(let value):
            return respond(200, json: value, signingKey: key)
        case .steps(let ops):
            var headers: HTTPFields = [:]
            if ops.contains(where: { $0.op == .stepFailed }) {
                headers[.inngestNoRetry] = "true"
            } else if let failed = ops.first(where: { $0.op == .stepError }) {
                headers[.inngestNoRetry] = "false"
                if let retryAt = failed.retryAt { headers[.retryAfter] = retryAfter(retryAt) }
            }
            let body: [UInt8]
            do {
                body = Array(try JSONCodec.shared.encode(ops))
            } catch {
                return respond(500, json: SerializedError(error).json, headers: [.inngestNoRetry: "false"], signingKey: key)
            }
            return respond(206, body: body, headers: headers, signingKey: key)
        case .failed(let error, .nonRetriable):
            return respond(400, json: error.json, headers: [.inngestNoRetry: "true"], signingKey: key)
        case .failed(let error, .retriable(let retryAt)):
            var headers: HTTPFields = [.inngestNoRetry: "false"]
            if let retryAt { headers[.retryAfter] = retryAfter(retryAt) }
            return respond(500, json: error.json, headers: headers, signingKey: key)
        case .stepNotFound(let requested, let found):
            return respond(
                500,
                json: [
                    "error": .string("Could not find step \"\(requested)\" to run; the function reached \(found.count) other new step(s)"),
                    "requestedStep": .string(requested),
                    "foundSteps": .array(found.map(JSONValue.string)),
                    "totalFoundSteps": .integer(Int64(found.count)),
                ], headers: [.inngestNoRetry: "false"], signingKey: key)
        }
    }

    /// Integer seconds for a delay (rounded up, at least 1), an ISO-8601 UTC time for a date.
    private func retryAfter(_ retryAt: RetryAfterError.RetryAt) -> String {
        switch retryAt {
        case .delay(let duration):
            let (seconds, attoseconds) = duration.components
            return String(max(1, seconds + (attoseconds > 0 ? 1 : 0)))
        case .date(let date):
            return ISO8601Timestamp.string(from: date)
        }
    }

    // MARK: Responses

    /// A wire document as the JSON body.
    private func respond(_ status: HTTPResponse.Status, encoding document: some Encodable, signingKey: SigningKey? = nil) -> HTTPResponseMessage {
        do {
            return respond(status, json: try JSONCodec.shared.jsonValue(of: document), signingKey: signingKey)
        } catch {
            return respond(500, json: ["message": .string("could not encode the answer: \(error)")], signingKey: signingKey)
        }
    }

    private func respond(_ status: HTTPResponse.Status, json: JSONValue, headers: HTTPFields = [:], signingKey: SigningKey? = nil) -> HTTPResponseMessage {
        let body: [UInt8]
        do {
            body = Array(try JSONText.write(json).utf8)
        } catch {
            return respond(500, body: Array(#"{"name":"Error","message":"the result is not valid JSON"}"#.utf8), signingKey: signingKey)
        }
        return respond(status, body: body, headers: headers, signingKey: signingKey)
    }

    private func respond(_ status: HTTPResponse.Status, body: [UInt8], headers extra: HTTPFields = [:], signingKey: SigningKey? = nil) -> HTTPResponseMessage {
        var headers: HTTPFields = [
            HTTPField.Name.contentType: "application/json",
            HTTPField.Name.inngestSDK: SDKIdentity.headerValue,
            HTTPField.Name.inngestRequestVersion: SDKIdentity.executionVersion,
            HTTPField.Name.inngestSDKHandled: "true",
        ]
        if let framework = configuration.framework { headers[.inngestFramework] = framework }
        if let env = configuration.env { headers[.inngestEnv] = env }
        for field in extra { headers[field.name] = field.value }
        if let signingKey {
            let timestamp = Int64(client.now().timeIntervalSince1970.rounded(.down))
            headers[.inngestSignature] = RequestSignature.header(body: body, timestamp: timestamp, key: signingKey)
        }
        return HTTPResponseMessage(status: status, headerFields: headers, body: body)
    }
}
