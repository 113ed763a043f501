import Foundation
import HTTPTypes
import Inngest

/// What an app answered to one call, read the way the Inngest server reads it.
enum AppAnswer: Sendable {
    /// `200`: the function returned this value.
    case completed(JSONValue)
    /// `206`: ops, each a raw op object (decoded by ``RemoteOp``).
    case ops([JSONValue])
    /// Anything else: the attempt failed, with the app's error and its retry decision.
    case failed(SerializedError, Retriability)
}

/// Calls functions of an app served over HTTP: builds the request body Inngest sends
/// (JCS-canonical, signed when a signing key is set) and reads the answer.
struct AppCaller: Sendable {
    let transport: any HTTPTransport
    /// Shared by every function of the app: calls wait here, not inside the transport.
    let gate: AppCallGate
    let signingKey: SigningKey?
    let serverKind: String
    let now: @Sendable () -> Date
    /// The largest body sent whole; a bigger one is sent with `use_api` and the app fetches
    /// the events and steps from the API (`/v0/runs/{id}/batch`, `/v0/runs/{id}/actions`).
    var maxBodyBytes = InngestLimits.maxCallBodyBytes
    /// Carries the trace context of the run's execution to the app (`traceparent`, …), as
    /// the Inngest server does, so the app's spans join the run's trace.
    var tracer: ExecutionTracer?
    /// Where calls open for checkpoints are kept; `nil` when the engine does not offer
    /// checkpointing (calls then carry no `ctx.fn_id`, and apps answer one step per call).
    var checkpoints: CheckpointCalls?

    /// The wire fields of one call.
    struct Call: Sendable {
        /// The function's composite id: the gate takes each function's calls in turn.
        var functionID: String
        var url: String
        var stepID: String
        var runID: String
        var events: [AnyEvent]
        var steps: [String: JSONValue]
        var stack: [String]
        var attempt: Int
        var maxAttempts: Int
        var disableImmediateExecution: Bool
        /// `ctx.fn_id` and `ctx.qi_id`, set on a call open for checkpoints.
        var serverFunctionID: String?
        var queueItemID: String?
    }

    func call(_ call: Call) async -> AppAnswer {
        let traceHeaders = tracer?.currentHeaders
        // The body is built once the call has its place: a burst of runs waiting for the app
        // costs no work until their turn.
        return await gate.withPlace(function: call.functionID) {
            var request: HTTPRequestMessage
            do {
                request = try self.request(for: call)
                traceHeaders?.add(to: &request.headerFields)
            } catch {
                return .failed(SerializedError(name: "InvalidRequest", message: "the call could not be encoded: \(error)"), .nonRetriable)
            }
            do {
                let response = try await transport.send(request)
                return Self.answer(status: response.status.code, headers: response.headerFields, body: response.body)
            } catch {
                return .failed(
                    SerializedError(name: "AppUnreachable", message: "could not reach the app at \(Self.redactedURL(call.url)): \(error)"),
                    .retriable(nil))
            }
        }
    }

    func request(for call: Call) throws -> HTTPRequestMessage {
        let context = CallRequest.Context(
            runID: call.runID, stepID: call.stepID, attempt: call.attempt, maxAttempts: call.maxAttempts, stack: call.stack,
            disableImmediateExecution: call.disableImmediateExecution, serverFunctionID: call.serverFunctionID, queueItemID: call.queueItemID)
        let whole = CallRequest(events: call.events, steps: call.steps, context: context)
        var bytes = try JSONCanonicalization.canonicalBytes(whole.jsonTree())
        if bytes.count > maxBodyBytes {
            bytes = try JSONCanonicalization.canonicalBytes(whole.trimmed().jsonTree())
        }
        var headers: HTTPFields = [
            HTTPField.Name.contentType: "application/json",
            HTTPField.Name.inngestRunID: call.runID,
            HTTPField.Name.inngestStepID: call.stepID,
            HTTPField.Name.inngestRequestVersion: SDKIdentity.executionVersion,
            HTTPField.Name.inngestServerKind: serverKind,
            HTTPField.Name.userAgent: "swift-inngest-engine:v\(SDKIdentity.version)",
        ]
        if let signingKey {
            let seconds = Int64(now().timeIntervalSince1970.rounded(.down))
            headers[.inngestSignature] = RequestSignature.header(body: bytes, timestamp: seconds, key: signingKey)
        }
        return HTTPRequestMessage(method: .post, url: Self.url(call.url, stepID: call.stepID), headerFields: headers, body: bytes)
    }

    /// The registered URL with `stepId` set to the step to run (`step` for discovery).
    static func url(_ registered: String, stepID: String) -> String {
        guard var components = URLComponents(string: registered) else { return registered }
        var items = (components.queryItems ?? []).filter { $0.name != "stepId" }
        items.append(URLQueryItem(name: "stepId", value: stepID))
        components.queryItems = items
        return components.string ?? registered
    }

    /// Reads an answer: status, `X-Inngest-SDK`, streaming envelopes, ops, errors and retry headers.
    static func answer(status: Int, headers: HTTPFields, body: [UInt8], unwrapped: Bool = false) -> AppAnswer {
        // The server takes only answers carrying X-Inngest-SDK as an SDK's (anything else is a
        // proxy or a crashed app).
        guard headers.contains(.inngestSDK) || unwrapped else {
            return .failed(
                SerializedError(
                    name: "NotAnSDKResponse",
                    message: "the app answered \(status) without an X-Inngest-SDK header: \(preview(body))"), .retriable(nil))
        }
        let json: JSONValue?
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            json = nil
        } else {
            do {
                json = try JSONText.read(body)
            } catch {
                return .failed(
                    SerializedError(name: "InvalidResponse", message: "the app answered \(status) with a body that is not JSON (\(error)): \(preview(body))"),
                    .retriable(nil))
            }
        }
        switch status {
        case 201 where !unwrapped:
            return streamed(json)
        case 200:
            return .completed(json ?? .null)
        case 206:
            switch json {
            case .array(let ops)?: return .ops(ops)
            case .object?: return .ops([json!])
            default:
                return .failed(SerializedError(name: "InvalidResponse", message: "a 206 answer must carry a JSON array of ops: \(preview(body))"), .retriable(nil))
            }
        default:
            let error =
                json.flatMap(SerializedError.init(json:))
                ?? SerializedError(name: "Error", message: "the app answered \(status): \(preview(body))")
            return .failed(error, retriability(headers: headers))
        }
    }

    /// A streamed answer: keep-alive whitespace, then `{"status", "body", "headers"}`; the body
    /// may itself be JSON text.
    private static func streamed(_ json: JSONValue?) -> AppAnswer {
        guard let envelope = json?.objectValue, let status = envelope["status"]?.integerValue else {
            return .failed(SerializedError(name: "InvalidResponse", message: "a streamed (201) answer has no {\"status\", \"body\"} envelope"), .retriable(nil))
        }
        // Only the retry fields are read from an unwrapped answer; taking just those keeps an
        // envelope with any number of odd members from reaching the fields' own limits.
        var headers = HTTPFields()
        for (name, value) in envelope["headers"]?.objectValue ?? [:] {
            guard let text = value.stringValue, let fieldName = HTTPField.Name(name) else { continue }
            if fieldName == .inngestNoRetry || fieldName == .retryAfter { headers[fieldName] = text }
        }
        var inner: JSONValue = envelope["body"] ?? .null
        if case .string(let text) = inner, let parsed = try? JSONText.read(text) { inner = parsed }
        let bytes = Array(((try? JSONText.write(inner)) ?? "null").utf8)
        return answer(status: Int(status), headers: headers, body: bytes, unwrapped: true)
    }

    /// `X-Inngest-No-Retry` wins; then `Retry-After` (seconds, or a date); else retry.
    static func retriability(headers: HTTPFields) -> Retriability {
        if headers[.inngestNoRetry]?.lowercased() == "true" { return .nonRetriable }
        guard let value = headers[.retryAfter]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            return .retriable(nil)
        }
        if value.count <= 7, let seconds = Int64(value), seconds >= 0 { return .retriable(.delay(.seconds(seconds))) }
        if let date = ISO8601Timestamp.date(from: value) ?? httpDate(value) { return .retriable(.date(date)) }
        return .retriable(nil)
    }

    private static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    /// The start of a body, for error messages.
    static func preview(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return body.count > 200 ? text + "…" : (text.isEmpty ? "(empty body)" : text)
    }

    /// A URL without its query (which may carry tokens), for messages.
    static func redactedURL(_ url: String) -> String {
        url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
    }
}
