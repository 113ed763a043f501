import Foundation
import HTTPTypes
import Synchronization
import Testing

@testable import Inngest

/// A transport that records every outbound request and answers from a closure.
final class RecordingTransport: HTTPTransport {
    typealias Responder = @Sendable (HTTPRequestMessage) throws -> HTTPResponseMessage
    private let recorded = Mutex<[HTTPRequestMessage]>([])
    private let responder: Responder

    init(_ responder: @escaping Responder = { _ in HTTPResponseMessage(status: 200, body: Array(#"{"ok":true,"modified":true}"#.utf8)) }) {
        self.responder = responder
    }

    /// Answers each request with the next of `responses`, then 500.
    convenience init(responses: [HTTPResponseMessage]) {
        let queue = Mutex(responses)
        self.init { _ in
            queue.withLock { $0.isEmpty ? HTTPResponseMessage(status: 500) : $0.removeFirst() }
        }
    }

    func send(_ request: HTTPRequestMessage) async throws -> HTTPResponseMessage {
        recorded.withLock { $0.append(request) }
        return try responder(request)
    }

    var requests: [HTTPRequestMessage] { recorded.withLock { $0 } }
}

/// A clock tests can set.
final class TestClock: Sendable {
    private let seconds: Mutex<Double>
    init(_ seconds: Double) { self.seconds = Mutex(seconds) }
    func set(_ value: Double) { seconds.withLock { $0 = value } }
    var now: Date { Date(timeIntervalSince1970: seconds.withLock { $0 }) }
}

enum Keys {
    static let primary = "signkey-test-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    static let fallback = "signkey-test-fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
    static let primaryBearer = "signkey-test-4884fdaafea47c29fea7159d0daddd9c085d6200e1359e85bb81736af6b7c837"
    static let fallbackBearer = "signkey-test-8d2e4d6374b604562a5d8c04a4dfc035fa499ec7ad373bd48bd2bd62ca75c3b5"
    static let eventKey = "test-event-key"
    /// Every secret that must never be shown.
    static let secrets = [
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210",
        "4884fdaafea47c29fea7159d0daddd9c085d6200e1359e85bb81736af6b7c837",
        "8d2e4d6374b604562a5d8c04a4dfc035fa499ec7ad373bd48bd2bd62ca75c3b5",
        eventKey,
    ]
}

struct HelloData: Codable, Sendable { var name: String }

/// The conformance fixture app `swift-app` behind a serve handler.
enum ServeFixture {
    static let serveURL = "http://127.0.0.1:3000/api/inngest"
    static let runID = "01HQ8Z5R3J6W2K9T4V7X1Y0ABC"

    static let hello = InngestFunction(.init(id: "hello", trigger: .event("app/hello"))) { (ctx: Context<HelloData>) -> JSONValue in
        ["message": .string("hi " + ctx.event.data.name)]
    }

    static let empty = InngestFunction(.init(id: "empty", trigger: .event("app/empty"))) { (_: Context<JSONValue>) in }

    static func fails(_ counter: Counter, _ error: @escaping @Sendable () -> any Error) -> InngestFunction {
        InngestFunction(.init(id: "fails", trigger: .event("app/fails"))) { (_: Context<JSONValue>) in
            counter.hit("fails")
            throw error()
        }
    }

    static func hello(counting counter: Counter) -> InngestFunction {
        InngestFunction(.init(id: "hello", trigger: .event("app/hello"))) { (ctx: Context<HelloData>) -> JSONValue in
            counter.hit("hello")
            return ["message": .string("hi " + ctx.event.data.name)]
        }
    }

    static let limited = InngestFunction(
        .init(
            id: "limited", trigger: .event("app/order.created"), retries: 2,
            cancelOn: [Cancellation(event: "app/order.cancelled", match: "data.order_id", timeout: "7d")],
            concurrency: .limit(5, key: "event.data.user_id"),
            throttle: Throttle(limit: 10, period: "1m", burst: 2),
            debounce: Debounce(period: "5m", key: "event.data.id"),
            priority: Priority(run: "event.data.vip ? 120 : 0"),
            idempotency: "event.data.order_id",
            timeouts: Timeouts(start: "10m", finish: "1h"))
    ) { (_: Context<JSONValue>) in }

    /// Every fixture function (fresh counters).
    static func all(_ counter: Counter = Counter()) -> [InngestFunction] {
        [
            hello(counting: counter), empty, Fixture.copy(counter), Fixture.loop(counter), Fixture.sequence(counter), Fixture.parallel(counter),
            Fixture.nap, Fixture.until, Fixture.wait, Fixture.invoker, Fixture.cube, Fixture.risky(counter), Fixture.shared, Fixture.unicode,
        ]
    }

    static func devConfiguration(eventKey: String? = nil) -> InngestConfiguration {
        InngestConfiguration(appID: Fixture.appID, environment: ["INNGEST_DEV": "1"].merging(eventKey.map { ["INNGEST_EVENT_KEY": $0] } ?? [:]) { a, _ in a })
    }

    static func cloudConfiguration(fallback: Bool = false, eventKey: String? = Keys.eventKey, inBand: Bool = true) -> InngestConfiguration {
        var environment = ["INNGEST_DEV": "0", "INNGEST_SIGNING_KEY": Keys.primary]
        if fallback { environment["INNGEST_SIGNING_KEY_FALLBACK"] = Keys.fallback }
        if let eventKey { environment["INNGEST_EVENT_KEY"] = eventKey }
        if !inBand { environment["INNGEST_ALLOW_IN_BAND_SYNC"] = "false" }
        return InngestConfiguration(appID: Fixture.appID, environment: environment)
    }

    static func handler(
        _ configuration: InngestConfiguration = devConfiguration(), functions: [InngestFunction] = all(),
        transport: RecordingTransport = RecordingTransport(), clock: TestClock = TestClock(1_700_000_000)
    ) -> InngestServeHandler {
        InngestServeHandler(client: InngestClient(configuration: configuration, transport: transport, now: { clock.now }), functions: functions)
    }

    static func event(_ name: String, _ data: JSONValue = [:]) -> JSONValue {
        ["name": .string(name), "data": data, "id": "01HQ8Z5R3J6W2K9T4V7X1Y0EVT", "ts": 1_700_000_000_000, "user": [:]]
    }

    /// The call-body template of the conformance cases.
    static func callBody(
        _ event: JSONValue, steps: [String: JSONValue] = [:], stack: [String]? = nil, attempt: Int = 0, maxAttempts: Int = 4,
        disableImmediateExecution: Bool = false, useAPI: Bool = false, events: [JSONValue]? = nil
    ) -> JSONValue {
        let stack = stack ?? Array(steps.keys)
        return [
            "event": event,
            "events": .array(events ?? [event]),
            "steps": .object(steps),
            "ctx": [
                "run_id": .string(runID),
                "attempt": .integer(Int64(attempt)),
                "max_attempts": .integer(Int64(maxAttempts)),
                "disable_immediate_execution": .bool(disableImmediateExecution),
                "use_api": .bool(useAPI),
                "stack": ["stack": .array(stack.map(JSONValue.string)), "current": .integer(Int64(stack.count))],
            ],
            "version": -1,
        ]
    }

    static func post(_ fnID: String, stepID: String = "step", body: JSONValue, headers: HTTPFields = [:]) -> HTTPRequestMessage {
        post(fnID, stepID: stepID, bytes: Array(try! JSONText.write(body).utf8), headers: headers)
    }

    static func post(_ fnID: String, stepID: String = "step", bytes: [UInt8], headers: HTTPFields = [:]) -> HTTPRequestMessage {
        var all: HTTPFields = [.contentType: "application/json"]
        if stepID != "step" { all[.inngestStepID] = stepID }
        for field in headers { all[field.name] = field.value }
        return HTTPRequestMessage(method: .post, url: "\(serveURL)?fnId=\(fnID)&stepId=\(stepID)", headerFields: all, body: bytes)
    }
}

extension HTTPResponseMessage {
    var ops: [JSONValue] { json?.arrayValue ?? [] }
    var firstOp: [String: JSONValue] { ops.first?.objectValue ?? [:] }

    /// Everything a reader could see, for the no-secrets checks.
    var visibleText: String {
        bodyText + " " + headerFields.filter { $0.name != .inngestSignature }.map { "\($0.name): \($0.value)" }.joined(separator: " ")
    }
}

/// The headers every SDK response must carry (Inngest's SDK spec: docs/SDK_SPEC.md in inngest/inngest).
func expectSDKHeaders(_ response: HTTPResponseMessage, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(response.headerFields[.inngestSDK] == "swift-inngest:v0.1.0", sourceLocation: sourceLocation)
    #expect(response.headerFields[.inngestRequestVersion] == "2", sourceLocation: sourceLocation)
    #expect(response.headerFields[.contentType] == "application/json", sourceLocation: sourceLocation)
}

func expectNoSecrets(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for secret in Keys.secrets {
        #expect(!text.contains(secret), "a secret leaked: \(text.prefix(200))", sourceLocation: sourceLocation)
    }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
