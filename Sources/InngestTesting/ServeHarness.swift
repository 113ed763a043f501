import Foundation
import HTTPTypes
import Inngest
import Synchronization

/// Calls an app's serve handler as the Inngest server does, without a server: it writes the
/// call document (the event, the step results recorded so far, the run's context), signs it
/// when the handler checks signatures, and reads the answer into the ops the server would
/// act on. Use it to test a served function against recorded memo states.
///
/// ```swift
/// let harness = ServeHarness(functions: [Functions.activationEmail])
/// let first = try await harness.call(Functions.activationEmail, event: signup)
/// #expect(first.ops.map(\.op) == ["StepRun"])
/// let second = try await harness.call(
///     Functions.activationEmail, event: signup, steps: ServeHarness.memo(["send-welcome-email": .result("welcome sent")]))
/// #expect(second.ops.first?.op == "WaitForEvent")
/// ```
public struct ServeHarness: Sendable {
    /// The serve handler under test.
    public let handler: InngestServeHandler
    /// The app's id.
    public let appID: String
    /// Where the handler is served, as the server calls it.
    public let serveURL: String
    private let signingKey: SigningKey?
    private let transport: CapturingTransport

    /// A harness around the app's own handler. Give `signingKey` when the handler is in cloud
    /// mode, so calls are signed as the server signs them.
    public init(handler: InngestServeHandler, appID: String, signingKey: SigningKey? = nil, serveURL: String = "http://127.0.0.1:3000/api/inngest") {
        self.handler = handler
        self.appID = appID
        self.signingKey = signingKey
        self.serveURL = serveURL
        self.transport = CapturingTransport()
    }

    /// A harness around a handler in dev mode serving `functions`. Events the functions send
    /// are captured (``sentEvents``), not sent anywhere.
    public init(appID: String = "test-app", functions: [InngestFunction]) {
        let transport = CapturingTransport()
        let configuration = InngestConfiguration(appID: appID, environment: ["INNGEST_DEV": "1"])
        self.handler = InngestServeHandler(client: InngestClient(configuration: configuration, transport: transport), functions: functions)
        self.appID = appID
        self.signingKey = nil
        self.serveURL = "http://127.0.0.1:3000/api/inngest"
        self.transport = transport
    }

    /// A recorded result for ``memo(_:)``: a step's value, or its final error.
    public enum RecordedStep: Sendable {
        case result(JSONValue)
        case error(SerializedError)
    }

    /// The `steps` member of a call from results by step id (first use of each id), in the
    /// wire shape: keys are the hashed step ids.
    public static func memo(_ results: [String: RecordedStep]) -> [String: JSONValue] {
        var steps: [String: JSONValue] = [:]
        for (id, result) in results {
            let hashedID = StepIdentity(userID: id, index: 0).hashedID
            switch result {
            case .result(let value): steps[hashedID] = ["data": value]
            case .error(let error): steps[hashedID] = ["error": (try? JSONCodec.shared.jsonValue(of: error)) ?? .null]
            }
        }
        return steps
    }

    /// Calls `function` with `event` and the recorded `steps` (by hashed id, as a server
    /// sends them), as the server's request for `stepID` (`"step"`: run until a new step).
    public func call(
        _ function: InngestFunction, event: AnyEvent, steps: [String: JSONValue] = [:], stepID: String = "step",
        attempt: Int = 0, runID: String = "01JTESTRUN0000000000000000", disableImmediateExecution: Bool = false
    ) async throws -> ServedCall {
        let context = CallRequest.Context(
            runID: runID, stepID: stepID, attempt: attempt, maxAttempts: function.configuration.maxAttempts,
            stack: steps.keys.sorted(), disableImmediateExecution: disableImmediateExecution)
        let body = Array(try JSONText.write(try CallRequest(events: [event], steps: steps, context: context).jsonTree()).utf8)
        var fields: HTTPFields = [.contentType: "application/json"]
        if let signingKey {
            fields[.inngestSignature] = RequestSignature.header(body: body, timestamp: Int64(Date().timeIntervalSince1970), key: signingKey)
        }
        let compositeID = function.configuration.compositeID(appID: appID)
        let query = "fnId=\(Self.queryValue(compositeID))&stepId=\(Self.queryValue(stepID))"
        let request = HTTPRequestMessage(method: .post, url: "\(serveURL)?\(query)", headerFields: fields, body: body)
        return ServedCall(response: await handler.handle(request))
    }

    private static func queryValue(_ value: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// Events the functions sent through the harness's own client, oldest first.
    public var sentEvents: [AnyEvent] { transport.events }
}

/// What a serve handler answered to one call, read as the Inngest server reads it.
public struct ServedCall: Sendable {
    /// The handler's response, as it answered.
    public let response: HTTPResponseMessage
    /// The HTTP status: 206 with ops, 200 with the function's output, 4xx/5xx for errors.
    public var status: Int { response.status.code }
    /// The ops of a `206` answer; empty otherwise.
    public let ops: [ServedOp]
    /// The function's output, when it finished (`200`).
    public var output: JSONValue? {
        // (Not a `?:`: JSONValue is `ExpressibleByNilLiteral`, so its `nil` branch would be `.null`.)
        guard status == 200 else { return nil }
        return response.json ?? .null
    }
    /// The error of a failed call, and whether the server would retry it (`X-Inngest-No-Retry`).
    public var error: (error: SerializedError, retriable: Bool)? {
        guard status >= 400, let json = response.json, let error = SerializedError(json: json) else { return nil }
        return (error, response.headerFields[.inngestNoRetry] != "true")
    }

    init(response: HTTPResponseMessage) {
        self.response = response
        if response.status.code == 206, let ops = response.json?.arrayValue {
            self.ops = ops.map(ServedOp.init(json:))
        } else {
            self.ops = []
        }
    }
}

/// One op of a `206` answer.
public struct ServedOp: Sendable, Hashable {
    /// The op's name: `StepRun`, `StepError`, `StepPlanned`, `Sleep`, `WaitForEvent`, `InvokeFunction`, …
    public let op: String
    /// The hashed step id.
    public let id: String
    /// The step id the function gave.
    public let userID: String?
    /// The step's display name.
    public let displayName: String?
    /// A `StepRun`'s result.
    public let data: JSONValue?
    /// A `StepError`'s error.
    public let error: SerializedError?
    /// The op's options: a sleep's duration, a wait's event and timeout, an invoke's function.
    public let opts: JSONValue?
    /// The op as sent.
    public let json: JSONValue

    init(json: JSONValue) {
        let members = json.objectValue ?? [:]
        op = members["op"]?.stringValue ?? ""
        id = members["id"]?.stringValue ?? ""
        userID = members["userland"]?["id"]?.stringValue ?? members["name"]?.stringValue
        displayName = members["displayName"]?.stringValue
        data = members["data"]
        error = members["error"].flatMap(SerializedError.init(json:))
        opts = members["opts"]
        self.json = json
    }
}

/// Answers the client's event posts as an event API would, keeping the events.
private final class CapturingTransport: HTTPTransport {
    private let captured = Mutex<[AnyEvent]>([])

    func send(_ request: HTTPRequestMessage) async throws -> HTTPResponseMessage {
        let sent = (try? JSONText.read(request.body).arrayValue) ?? []
        let events = sent.compactMap { try? JSONCodec.shared.decode(AnyEvent.self, from: $0) }
        captured.withLock { $0 += events }
        let ids = events.indices.map { JSONValue.string("01JTESTEVENT\(String(format: "%014d", $0))") }
        let answer: JSONValue = ["ids": .array(ids), "status": 200]
        return HTTPResponseMessage(status: 200, body: Array(try JSONText.write(answer).utf8))
    }

    var events: [AnyEvent] { captured.withLock { $0 } }
}
