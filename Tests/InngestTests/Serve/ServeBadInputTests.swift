import Foundation
import HTTPTypes
import Testing

@testable import Inngest

/// Bad input and secrets: malformed JSON, oversized bodies, unauthenticated calls.
@Suite(.tags(.hostileInput)) struct ServeBadInputTests {
    @Test func malformedJSONIs400NamingTheProblem() async {
        let counter = Counter()
        let handler = ServeFixture.handler(functions: [ServeFixture.hello(counting: counter)])
        let response = await handler.handle(ServeFixture.post("swift-app-hello", bytes: bytes(#"{"event": {"name": "app/hello",}"#)))
        #expect(response.status == 400)
        expectSDKHeaders(response)
        let message = response.json?.objectValue?["message"]?.stringValue ?? ""
        #expect(message.contains("malformed JSON"))
        #expect(message.contains("byte"))
        #expect(counter["hello"] == 0)
    }

    @Test(arguments: [
        (#"[1,2]"#, "JSON object"),
        (#"{"event":{"name":"a"},"events":[],"steps":{}}"#, "ctx"),
        (#"{"ctx":{"attempt":0},"event":{"name":"a"}}"#, "ctx.run_id"),
        (#"{"ctx":{"run_id":"r","attempt":"zero"},"event":{"name":"a"}}"#, "ctx.attempt"),
        (#"{"ctx":{"run_id":"r"},"events":{}}"#, "events"),
        (#"{"ctx":{"run_id":"r"},"events":[{"data":{}}]}"#, "events[0]"),
        (#"{"ctx":{"run_id":"r"},"steps":[]}"#, "steps"),
        (#"{"ctx":{"run_id":"r"}}"#, "no event"),
    ])
    func invalidCallBodiesAre400NamingTheField(body: String, problem: String) async {
        let counter = Counter()
        let handler = ServeFixture.handler(functions: [ServeFixture.hello(counting: counter)])
        let response = await handler.handle(ServeFixture.post("swift-app-hello", bytes: bytes(body)))
        #expect(response.status == 400)
        #expect(response.json?.objectValue?["message"]?.stringValue?.contains(problem) == true, "\(response.bodyText)")
        #expect(counter["hello"] == 0)
    }

    @Test func emptyCallBodyIs400() async {
        let response = await ServeFixture.handler().handle(ServeFixture.post("swift-app-hello", bytes: []))
        #expect(response.status == 400)
        #expect(response.json?.objectValue?["message"]?.stringValue?.contains("empty body") == true)
    }

    @Test func oversizedBodyIs413WithAClearMessage() async {
        let counter = Counter()
        var configuration = ServeFixture.devConfiguration()
        configuration.maxRequestBodyBytes = 1_024
        let handler = ServeFixture.handler(configuration, functions: [ServeFixture.hello(counting: counter)])
        let body = bytes(#"{"pad":""# + String(repeating: "x", count: 2_000) + #""}"#)
        let response = await handler.handle(ServeFixture.post("swift-app-hello", bytes: body))
        #expect(response.status == 413)
        #expect(response.json?.objectValue?["message"]?.stringValue?.contains("at most 1024 bytes") == true)
        #expect(counter["hello"] == 0)
    }

    @Test func defaultLimitIs16MiB() async {
        #expect(ServeFixture.devConfiguration().maxRequestBodyBytes == 16 * 1_024 * 1_024)
        let response = await ServeFixture.handler().handle(ServeFixture.post("swift-app-hello", bytes: Array(repeating: 0x20, count: 16 * 1_024 * 1_024 + 1)))
        #expect(response.status == 413)
    }

    @Test func unsignedAndBadlySignedCloudCallsAre401AndRunNothing() async {
        let counter = Counter()
        let handler = ServeFixture.handler(ServeFixture.cloudConfiguration(), functions: [ServeFixture.hello(counting: counter)])
        let body = bytes(try! JSONText.write(ServeFixture.callBody(ServeFixture.event("app/hello", ["name": "Ada"]))))
        let unsigned = await handler.handle(ServeFixture.post("swift-app-hello", bytes: body))
        let wrongKey = await handler.handle(
            ServeFixture.post(
                "swift-app-hello", bytes: body,
                headers: [
                    HTTPField.Name.inngestSignature: RequestSignature.header(body: body, timestamp: 1_700_000_000, key: SigningKey("signkey-test-00ff"))
                ]))
        let otherBody = await handler.handle(
            ServeFixture.post(
                "swift-app-hello", bytes: body + bytes(" "),
                headers: [
                    HTTPField.Name.inngestSignature: RequestSignature.header(body: bytes("{}"), timestamp: 1_700_000_000, key: SigningKey(Keys.primary))
                ]))
        for response in [unsigned, wrongKey, otherBody] {
            #expect(response.status == 401)
            #expect(response.json == ["message": "Unauthorized"])
        }
        #expect(counter["hello"] == 0)
        let signed = await handler.handle(
            ServeFixture.post(
                "swift-app-hello", bytes: body,
                headers: [
                    HTTPField.Name.inngestSignature: RequestSignature.header(body: body, timestamp: 1_700_000_000, key: SigningKey(Keys.primary))
                ]))
        #expect(signed.status == 200)
        #expect(counter["hello"] == 1)
    }

    @Test func secretsNeverAppearInAnyResponse() async throws {
        struct Leaky: Error, CustomStringConvertible {
            var description: String { "upstream said: bad token \(Keys.primaryBearer) / \(Keys.fallbackBearer) key \(Keys.eventKey)" }
        }
        let clock = TestClock(1_700_000_000)
        let failing = ServeFixture.handler(ServeFixture.cloudConfiguration(fallback: true), transport: RecordingTransport { _ in throw Leaky() }, clock: clock)
        let refusing = ServeFixture.handler(
            ServeFixture.cloudConfiguration(fallback: true),
            transport: RecordingTransport { _ in
                HTTPResponseMessage(status: 401, body: bytes(#"{"error":"bad key \#(Keys.primaryBearer)","status":401}"#))
            }, clock: clock)
        let key = SigningKey(Keys.primary)
        func signed(_ method: HTTPRequest.Method, _ url: String, _ body: [UInt8] = [], _ extra: HTTPFields = [:]) -> HTTPRequestMessage {
            var headers = extra
            headers[.inngestSignature] = RequestSignature.header(body: body, timestamp: 1_700_000_000, key: key)
            return HTTPRequestMessage(method: method, url: url, headerFields: headers, body: body)
        }
        let useAPIBody = bytes(try JSONText.write(ServeFixture.callBody(ServeFixture.event("app/hello"), useAPI: true, events: [])))
        let requests: [HTTPRequestMessage] = [
            signed(.get, ServeFixture.serveURL),
            HTTPRequestMessage(method: .get, url: ServeFixture.serveURL),
            HTTPRequestMessage(method: .put, url: ServeFixture.serveURL),
            signed(.put, ServeFixture.serveURL, bytes(#"{"url":"http://127.0.0.1:3000/api/inngest"}"#), [.inngestSyncKind: "in_band"]),
            signed(.post, ServeFixture.serveURL + "?fnId=swift-app-hello&stepId=step", useAPIBody),
            signed(.post, ServeFixture.serveURL + "?fnId=swift-app-nope&stepId=step", useAPIBody),
            signed(.post, ServeFixture.serveURL + "?fnId=swift-app-hello&stepId=step", bytes("{oops")),
            signed(.post, ServeFixture.serveURL + "?probe=trust"),
            HTTPRequestMessage(method: .post, url: ServeFixture.serveURL + "?fnId=swift-app-hello&stepId=step", body: useAPIBody),
        ]
        for handler in [failing, refusing] {
            for request in requests {
                let response = await handler.handle(request)
                expectNoSecrets(response.visibleText)
            }
        }
    }
}
