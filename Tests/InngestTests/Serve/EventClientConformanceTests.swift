import Foundation
import HTTPTypes
import Testing

@testable import Inngest

/// Conformance cases 43–44: sending events, and `step.sendEvent` in a served function.
@Suite(.tags(.conformance)) struct EventClientConformanceTests {
    static let idsReply = HTTPResponseMessage(status: 200, body: bytes(#"{"ids":["01HQID0000000000000000000A","01HQID0000000000000000000B"],"status":200}"#))

    @Test func sendTwoEvents() async throws {
        let transport = RecordingTransport { _ in Self.idsReply }
        let client = InngestClient(
            configuration: ServeFixture.devConfiguration(eventKey: Keys.eventKey), transport: transport,
            now: { Date(timeIntervalSince1970: 1_700_000_000.5) }, randomBytes: { Array(repeating: 7, count: $0) })
        let ids = try await client.send([AnyEvent(name: "app/a", data: ["x": 1]), AnyEvent(name: "app/b")])
        #expect(ids == ["01HQID0000000000000000000A", "01HQID0000000000000000000B"])
        let request = try #require(transport.requests.first)
        #expect(request.method == .post)
        #expect(request.url == "http://localhost:8288/e/test-event-key")
        #expect(request.headerFields[.contentType] == "application/json")
        #expect(request.headerFields[.inngestSDK] == "swift-inngest:v0.1.0")
        #expect(request.headerFields[.authorization] == nil)
        #expect(request.headerFields[.inngestEventIDSeed] == "1700000000500,BwcHBwcHBwcHBw==")
        let body = try JSONText.read(request.body)
        #expect(body == [["name": "app/a", "data": ["x": 1], "ts": 1_700_000_000_500], ["name": "app/b", "data": [:], "ts": 1_700_000_000_500]])
    }

    @Test func userIdsAndTimestampsAreKept() async throws {
        let transport = RecordingTransport { _ in HTTPResponseMessage(status: 200, body: bytes(#"{"ids":["x"],"status":200}"#)) }
        let client = InngestClient(configuration: ServeFixture.devConfiguration(), transport: transport)
        _ = try await client.send(AnyEvent(name: "app/a", data: [:], id: "order-1", ts: 42))
        let body = try JSONText.read(try #require(transport.requests.first).body)
        #expect(body == [["name": "app/a", "data": [:], "id": "order-1", "ts": 42]])
        #expect(transport.requests.first?.url == "http://localhost:8288/e/NO_EVENT_KEY_SET")
    }

    @Test func cloudWithoutAnEventKeyFails() async {
        let transport = RecordingTransport()
        let client = InngestClient(configuration: ServeFixture.cloudConfiguration(eventKey: nil), transport: transport)
        await #expect(throws: InngestClientError.missingEventKey) { try await client.send([AnyEvent(name: "app/a")]) }
        #expect(transport.requests.isEmpty)
    }

    @Test func reservedNamesAreRefusedBeforeSending() async {
        let transport = RecordingTransport()
        let client = InngestClient(configuration: ServeFixture.devConfiguration(), transport: transport)
        await #expect(throws: InvalidEvent(index: 0, problem: .reservedName("inngest/function.failed"))) {
            try await client.send([AnyEvent(name: "inngest/function.failed")])
        }
        await #expect(throws: InvalidEvent(index: 1, problem: .reservedName("Inngest/x"))) {
            try await client.send([AnyEvent(name: "ok"), AnyEvent(name: "Inngest/x")])
        }
        await #expect(throws: InvalidEvent(index: 0, problem: .dataNotAnObject)) { try await client.send([AnyEvent(name: "ok", data: [1, 2])]) }
        #expect(transport.requests.isEmpty)
    }

    @Test func serverRefusalIsSurfaced() async throws {
        let transport = RecordingTransport { _ in
            HTTPResponseMessage(status: 400, body: bytes(#"{"ids":[""],"status":400,"error":"event name is reserved for internal use: inngest/function.failed"}"#))
        }
        let client = InngestClient(configuration: ServeFixture.cloudConfiguration(), transport: transport)
        do {
            _ = try await client.send([AnyEvent(name: "app/ok")])
            Issue.record("expected an error")
        } catch let error as InngestClientError {
            guard case .httpStatus(400, let message) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(message.contains("event name is reserved"))
            expectNoSecrets(error.description)
        }
        #expect(transport.requests.first?.url == "https://inn.gs/e/test-event-key")
    }

    @Test func transportErrorsDoNotLeakTheEventKey() async throws {
        struct Leaky: Error, CustomStringConvertible { var description: String { "connection refused for https://inn.gs/e/test-event-key" } }
        let client = InngestClient(configuration: ServeFixture.cloudConfiguration(), transport: RecordingTransport { _ in throw Leaky() })
        do {
            _ = try await client.send([AnyEvent(name: "app/ok")])
            Issue.record("expected an error")
        } catch {
            expectNoSecrets(String(describing: error))
        }
    }

    @Test func stepSendEventInAServedFunctionPostsThroughTheClient() async throws {
        let transport = RecordingTransport { _ in HTTPResponseMessage(status: 200, body: bytes(#"{"ids":["01HQSENT"],"status":200}"#)) }
        let sender = InngestFunction(.init(id: "sender", trigger: .event("app/send"))) { (ctx: Context<JSONValue>) -> [String] in
            try await ctx.step.sendEvent("send-followup", AnyEvent(name: "app/followup", data: ["n": 7]))
        }
        let handler = ServeFixture.handler(ServeFixture.devConfiguration(eventKey: Keys.eventKey), functions: [sender], transport: transport)
        let response = await handler.handle(ServeFixture.post("swift-app-sender", body: ServeFixture.callBody(ServeFixture.event("app/send"))))
        #expect(response.status == 206)
        #expect(response.firstOp["op"] == "StepRun")
        #expect(response.firstOp["id"] == .string(StepIdentity.hash("send-followup")))
        #expect(response.firstOp["data"] == ["ids": ["01HQSENT"]], "TypeScript's memo shape")
        let request = try #require(transport.requests.first)
        #expect(request.url == "http://localhost:8288/e/test-event-key")
        #expect(try JSONText.read(request.body).arrayValue?.first?.objectValue?["name"] == "app/followup")
    }
}

/// `InngestConfiguration(environment:)`: the variables and defaults the official SDKs read.
@Suite struct ServeConfigurationTests {
    @Test func defaultsToCloud() {
        let configuration = InngestConfiguration(appID: "a", environment: [:])
        #expect(configuration.mode == .cloud)
        #expect(configuration.apiOrigin == "https://api.inngest.com/")
        #expect(configuration.eventAPIOrigin == "https://inn.gs/")
        #expect(configuration.allowInBandSync)
        #expect(configuration.effectiveEventKey == nil)
    }

    @Test(arguments: [("1", InngestConfiguration.Mode.dev), ("true", .dev), ("TRUE", .dev), ("0", .cloud), ("false", .cloud)])
    func devFlag(value: String, mode: InngestConfiguration.Mode) {
        let configuration = InngestConfiguration(appID: "a", environment: ["INNGEST_DEV": value])
        #expect(configuration.mode == mode)
        #expect(configuration.apiOrigin == (mode == .dev ? "http://localhost:8288/" : "https://api.inngest.com/"))
    }

    @Test func devURLSetsBothOrigins() {
        let configuration = InngestConfiguration(appID: "a", environment: ["INNGEST_DEV": "http://127.0.0.1:9999/some/path"])
        #expect(configuration.mode == .dev)
        #expect(configuration.apiOrigin == "http://127.0.0.1:9999/")
        #expect(configuration.eventAPIOrigin == "http://127.0.0.1:9999/")
        #expect(configuration.effectiveEventKey == "NO_EVENT_KEY_SET")
    }

    @Test func specificBaseURLsWinOverTheSharedOne() {
        let configuration = InngestConfiguration(
            appID: "a",
            environment: [
                "INNGEST_DEV": "http://dev:1", "INNGEST_BASE_URL": "https://base.example", "INNGEST_EVENT_API_BASE_URL": "https://events.example:8443",
            ])
        #expect(configuration.apiOrigin == "https://base.example/")
        #expect(configuration.eventAPIOrigin == "https://events.example:8443/")
        let api = InngestConfiguration(appID: "a", environment: ["INNGEST_BASE_URL": "https://base.example", "INNGEST_API_BASE_URL": "https://api.example"])
        #expect(api.apiOrigin == "https://api.example/")
        #expect(api.eventAPIOrigin == "https://base.example/")
    }

    @Test func everyOtherVariable() {
        let configuration = InngestConfiguration(
            appID: "a",
            environment: [
                "INNGEST_SIGNING_KEY": Keys.primary, "INNGEST_SIGNING_KEY_FALLBACK": Keys.fallback, "INNGEST_EVENT_KEY": "ek", "INNGEST_ENV": "branch-1",
                "INNGEST_SERVE_HOST": "https://old.example", "INNGEST_SERVE_PATH": "/x", "INNGEST_ALLOW_IN_BAND_SYNC": "false",
            ])
        #expect(configuration.signingKey == SigningKey(Keys.primary))
        #expect(configuration.signingKeyFallback == SigningKey(Keys.fallback))
        #expect(configuration.eventKey == "ek")
        #expect(configuration.env == "branch-1")
        #expect(configuration.serveOrigin == "https://old.example")
        #expect(configuration.servePath == "/x")
        #expect(!configuration.allowInBandSync)
        let preferred = InngestConfiguration(appID: "a", environment: ["INNGEST_SERVE_HOST": "https://old", "INNGEST_SERVE_ORIGIN": "https://new"])
        #expect(preferred.serveOrigin == "https://new")
        expectNoSecrets(configuration.description)
    }

    @Test func sdkIdentity() {
        #expect(SDKIdentity.headerValue == "swift-inngest:v0.1.0")
        #expect(SDKIdentity.headerValue.filter { $0 == ":" }.count == 1)
        #expect(SDKIdentity.registerValue == "swift:v0.1.0")
    }
}
