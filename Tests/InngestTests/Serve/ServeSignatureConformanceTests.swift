import Foundation
import HTTPTypes
import Testing

@testable import Inngest

/// Conformance cases 34–42: signatures and auth, SDK in cloud mode, clock frozen at t = 1700000000.
@Suite(.tags(.conformance)) struct ServeSignatureConformanceTests {
    /// The exact 500 bytes of section F.
    static let signedBody =
        #"{"ctx":{"attempt":0,"disable_immediate_execution":false,"fn_id":"3f1c2a8e-0000-4000-8000-000000000001","max_attempts":5,"run_id":"01HQ8Z5R3J6W2K9T4V7X1Y0ABC","stack":{"current":0,"stack":[]},"step_id":"step","use_api":false},"event":{"data":{"user_id":"u_1"},"id":"01HQ8Z5R3J6W2K9T4V7X1Y0EVT","name":"app/user.created","ts":1700000000000,"user":{}},"events":[{"data":{"user_id":"u_1"},"id":"01HQ8Z5R3J6W2K9T4V7X1Y0EVT","name":"app/user.created","ts":1700000000000,"user":{}}],"steps":{},"version":-1}"#
    static let primaryHeader = "t=1700000000&s=6e9a29c4a4211107210f7cc268680f93a0bb0e31b47d496fa4f61090b74a0a64"
    static let fallbackHeader = "t=1700000000&s=b18797acd1e8d7ef61cb21e8db4757b84dd3f537298cbbf6b596f5b77f3a9386"

    func post(
        _ body: String = signedBody, signature: String?, fallback: Bool = false, clock: TestClock = TestClock(1_700_000_000),
        configuration: InngestConfiguration? = nil, counter: Counter = Counter()
    ) async -> HTTPResponseMessage {
        let handler = ServeFixture.handler(configuration ?? ServeFixture.cloudConfiguration(fallback: fallback), functions: [Fixture.sequence(counter)], clock: clock)
        var headers: HTTPFields = [:]
        if let signature { headers[.inngestSignature] = signature }
        return await handler.handle(ServeFixture.post("swift-app-seq", bytes: bytes(body), headers: headers))
    }

    @Test func theSignedBodyIsExactlyTheDocumentedBytes() throws {
        #expect(Self.signedBody.utf8.count == 500)
        #expect(try JSONCanonicalization.canonicalString(JSONText.read(Self.signedBody)) == Self.signedBody)
    }

    @Test func macVectors() {
        let body = bytes(Self.signedBody)
        #expect(RequestSignature.mac(body: body, timestamp: 1_700_000_000, key: SigningKey(Keys.primary)) == "6e9a29c4a4211107210f7cc268680f93a0bb0e31b47d496fa4f61090b74a0a64")
        #expect(RequestSignature.mac(body: body, timestamp: 1_700_000_000, key: SigningKey(Keys.fallback)) == "b18797acd1e8d7ef61cb21e8db4757b84dd3f537298cbbf6b596f5b77f3a9386")
        let tampered = bytes(Self.signedBody.replacingOccurrences(of: "u_1", with: "u_2"))
        #expect(RequestSignature.mac(body: tampered, timestamp: 1_700_000_000, key: SigningKey(Keys.primary)).hasPrefix("2d91df75"))
        #expect(RequestSignature.mac(body: body, timestamp: 1_700_000_000, key: SigningKey(Keys.primary)) != "38468dc4225d13c3fed9b989481a128ca23da09af83ba0345adc65e13f6e9779")
    }

    @Test func bearerTokens() {
        #expect(SigningKey(Keys.primary).bearerToken == Keys.primaryBearer)
        #expect(SigningKey(Keys.fallback).bearerToken == Keys.fallbackBearer)
        #expect(SigningKey("signkey-prod-12345678").bearerToken == "signkey-prod-b2ed992186a5cb19f6668aade821f502c1d00970dfd0e35128d51bac4649916c")
        #expect(SigningKey("12345678").bearerToken == "b2ed992186a5cb19f6668aade821f502c1d00970dfd0e35128d51bac4649916c")
        #expect(!String(describing: SigningKey(Keys.primary)).contains("0123456789abcdef"))
    }

    @Test func validSignatureIsProcessedAndTheResponseSigned() async throws {
        let counter = Counter()
        let response = await post(signature: Self.primaryHeader, counter: counter)
        #expect(response.status == 206)
        #expect(response.firstOp["op"] == "StepRun")
        #expect(response.firstOp["id"] == .string(Hash.fetchUser))
        #expect(counter["fetch-user"] == 1)
        let signature = try #require(response.headerFields[.inngestSignature])
        #expect(RequestSignature.verify(header: signature, body: response.body, keys: [SigningKey(Keys.primary)], now: Date(timeIntervalSince1970: 1_700_000_000)).isSuccess)
    }

    @Test func fallbackKeyIsAcceptedAndSignsTheResponse() async throws {
        let response = await post(signature: Self.fallbackHeader, fallback: true)
        #expect(response.status == 206)
        let signature = try #require(response.headerFields[.inngestSignature])
        #expect(RequestSignature.verify(header: signature, body: response.body, keys: [SigningKey(Keys.fallback)], now: Date(timeIntervalSince1970: 1_700_000_000)).isSuccess)
        #expect(!RequestSignature.verify(header: signature, body: response.body, keys: [SigningKey(Keys.primary)], now: Date(timeIntervalSince1970: 1_700_000_000)).isSuccess)
    }

    @Test func fallbackSignatureWithoutAFallbackKeyIsRejected() async {
        let counter = Counter()
        let response = await post(signature: Self.fallbackHeader, counter: counter)
        #expect(response.status == 401)
        #expect(counter["fetch-user"] == 0)
    }

    @Test func tamperedBodyIsRejected() async {
        let counter = Counter()
        let response = await post(Self.signedBody.replacingOccurrences(of: "u_1", with: "u_2"), signature: Self.primaryHeader, counter: counter)
        #expect(response.status == 401)
        #expect(response.json == ["message": "Unauthorized"])
        #expect(counter["fetch-user"] == 0)
    }

    @Test func wrongMacIsRejected() async {
        let counter = Counter()
        let response = await post(signature: "t=1700000000&s=38468dc4225d13c3fed9b989481a128ca23da09af83ba0345adc65e13f6e9779", counter: counter)
        #expect(response.status == 401)
        #expect(counter["fetch-user"] == 0)
    }

    @Test func missingHeaderIsRejected() async {
        let counter = Counter()
        let response = await post(signature: nil, counter: counter)
        #expect(response.status == 401)
        #expect(counter["fetch-user"] == 0)
    }

    @Test func malformedHeaderIsRejected() async {
        for header in ["garbage", "t=abc&s=00", "s=6e9a29c4a4211107210f7cc268680f93a0bb0e31b47d496fa4f61090b74a0a64", "t=1700000000"] {
            let response = await post(signature: header)
            #expect(response.status == 401, "\(header)")
        }
    }

    @Test func cloudModeWithoutAKeyIs500LikeTypeScript() async {
        let counter = Counter()
        let configuration = InngestConfiguration(appID: "swift-app", environment: ["INNGEST_DEV": "0"])
        let response = await post(signature: Self.primaryHeader, configuration: configuration, counter: counter)
        #expect(response.status == 500)
        #expect(response.json?.objectValue?["code"] == "internal_server_error")
        #expect(counter["fetch-user"] == 0)
    }

    @Test func staleTimestampIsRejectedLikeTypeScript() async {
        let counter = Counter()
        let response = await post(signature: Self.primaryHeader, clock: TestClock(1_700_000_600), counter: counter)
        #expect(response.status == 401)
        #expect(counter["fetch-user"] == 0)
    }

    @Test func futureTimestampIsRejectedToo() async {
        let response = await post(signature: Self.primaryHeader, clock: TestClock(1_700_000_000 - 301))
        #expect(response.status == 401)
        let withinWindow = await post(signature: Self.primaryHeader, clock: TestClock(1_700_000_000 + 299))
        #expect(withinWindow.status == 206)
    }

    /// A captured signed request replayed later is refused once its timestamp is more than
    /// five minutes from the app's clock, either way; within the window it is accepted (the
    /// protocol has no nonce: the window is the replay bound).
    @Test(arguments: [(300, 206), (301, 401), (-300, 206), (-301, 401), (86_400, 401), (-86_400, 401)])
    func aReplayedSignatureIsAcceptedWithinFiveMinutesOfItsTimestampAndNotASecondMore(offset: Int, status: Int) async {
        let counter = Counter()
        let response = await post(signature: Self.primaryHeader, clock: TestClock(TimeInterval(1_700_000_000 + offset)), counter: counter)
        #expect(response.status.code == status, "\(offset) s: \(response.bodyText)")
        #expect(counter["fetch-user"] == (status == 206 ? 1 : 0), "a refused call runs no step")
    }

    @Test func nonCanonicalBodyIsAcceptedThroughJCS() async throws {
        let parsed = try JSONText.read(Self.signedBody)
        let pretty = String(decoding: try JSONSerialization.data(withJSONObject: JSONSerialization.jsonObject(with: Data(Self.signedBody.utf8)), options: [.prettyPrinted]), as: UTF8.self)
        #expect(pretty != Self.signedBody)
        #expect(try JSONText.read(pretty) == parsed)
        let response = await post(pretty, signature: Self.primaryHeader)
        #expect(response.status == 206)
    }

    @Test func trustProbe() async throws {
        let handler = ServeFixture.handler(ServeFixture.cloudConfiguration())
        let signature = RequestSignature.header(body: [], timestamp: 1_700_000_000, key: SigningKey(Keys.primary))
        let probe = await handler.handle(HTTPRequestMessage(method: .post, url: ServeFixture.serveURL + "?probe=trust", headerFields: [.inngestSignature: signature]))
        #expect(probe.status == 200)
        #expect(probe.body.isEmpty, "TypeScript answers an empty body (Python answers null)")
        expectSDKHeaders(probe)
        let responseSignature = try #require(probe.headerFields[.inngestSignature])
        #expect(RequestSignature.verify(header: responseSignature, body: [], keys: [SigningKey(Keys.primary)], now: Date(timeIntervalSince1970: 1_700_000_000)).isSuccess)

        let bogus = await handler.handle(HTTPRequestMessage(method: .post, url: ServeFixture.serveURL + "?probe=bogus", headerFields: [.inngestSignature: signature]))
        #expect(bogus.status == 400)
        let unsigned = await handler.handle(HTTPRequestMessage(method: .post, url: ServeFixture.serveURL + "?probe=trust"))
        #expect(unsigned.status == 401)
    }

    @Test func responseSigningVector() async throws {
        #expect(
            RequestSignature.header(body: bytes(#"{"message":"hi Ada"}"#), timestamp: 1_700_000_005, key: SigningKey(Keys.primary))
                == "t=1700000005&s=23d93d152d4d2cce18729ee1dc1a5994096a3d7f633bc14a8bf35bca7fb72164")
        let clock = TestClock(1_700_000_005)
        let handler = ServeFixture.handler(ServeFixture.cloudConfiguration(), clock: clock)
        let body = bytes(try JSONText.write(ServeFixture.callBody(ServeFixture.event("app/hello", ["name": "Ada"]))))
        let response = await handler.handle(
            ServeFixture.post(
                "swift-app-hello", bytes: body,
                headers: [
                    HTTPField.Name.inngestSignature: RequestSignature.header(body: body, timestamp: 1_700_000_000, key: SigningKey(Keys.primary))
                ]))
        #expect(response.status == 200)
        #expect(response.bodyText == #"{"message":"hi Ada"}"#)
        #expect(response.headerFields[.inngestSignature] == "t=1700000005&s=23d93d152d4d2cce18729ee1dc1a5994096a3d7f633bc14a8bf35bca7fb72164")
    }

    @Test func devModeDoesNotSignResponses() async {
        let handler = ServeFixture.handler()
        let response = await handler.handle(ServeFixture.post("swift-app-hello", body: ServeFixture.callBody(ServeFixture.event("app/hello", ["name": "Ada"]))))
        #expect(response.status == 200)
        #expect(response.headerFields[.inngestSignature] == nil)
    }

    @Test func devModeIgnoresSignatures() async {
        let handler = ServeFixture.handler(InngestConfiguration(appID: "swift-app", environment: ["INNGEST_DEV": "1", "INNGEST_SIGNING_KEY": Keys.primary]))
        let body = ServeFixture.callBody(ServeFixture.event("app/hello", ["name": "Ada"]))
        let none = await handler.handle(ServeFixture.post("swift-app-hello", body: body))
        #expect(none.status == 200)
        let garbage = await handler.handle(ServeFixture.post("swift-app-hello", body: body, headers: [.inngestSignature: "t=1&s=zz"]))
        #expect(garbage.status == 200)
    }

    @Test func useAPIFetchesTheTrimmedPayload() async throws {
        let event = ServeFixture.event("app/user.created", ["user_id": "u_1"])
        let transport = RecordingTransport { request in
            if request.url.hasSuffix("/batch") { return HTTPResponseMessage(status: 200, body: bytes(try JSONText.write([event]))) }
            return HTTPResponseMessage(status: 200, body: bytes(try JSONText.write([Hash.fetchUser: ["data": ["id": "u_1"]]])))
        }
        let counter = Counter()
        let handler = ServeFixture.handler(ServeFixture.cloudConfiguration(), functions: [Fixture.sequence(counter)], transport: transport)
        let body = bytes(try JSONText.write(ServeFixture.callBody(event, useAPI: true, events: [])))
        let response = await handler.handle(
            ServeFixture.post(
                "swift-app-seq", bytes: body,
                headers: [
                    HTTPField.Name.inngestSignature: RequestSignature.header(body: body, timestamp: 1_700_000_000, key: SigningKey(Keys.primary))
                ]))
        #expect(response.status == 206)
        #expect(response.firstOp["id"] == .string(Hash.sendEmail), "the fetched memo was used")
        #expect(counter["fetch-user"] == 0)
        let urls = Set(transport.requests.map(\.url))
        #expect(urls == ["https://api.inngest.com/v0/runs/01HQ8Z5R3J6W2K9T4V7X1Y0ABC/batch", "https://api.inngest.com/v0/runs/01HQ8Z5R3J6W2K9T4V7X1Y0ABC/actions"])
        #expect(transport.requests.allSatisfy { $0.method == .get && $0.headerFields[.authorization] == "Bearer \(Keys.primaryBearer)" })
    }

    @Test func failedFetchAfterFallbackIs500() async throws {
        let transport = RecordingTransport { _ in HTTPResponseMessage(status: 401) }
        let counter = Counter()
        let handler = ServeFixture.handler(ServeFixture.cloudConfiguration(fallback: true), functions: [Fixture.sequence(counter)], transport: transport)
        let body = bytes(try JSONText.write(ServeFixture.callBody(ServeFixture.event("app/user.created"), useAPI: true, events: [])))
        let response = await handler.handle(
            ServeFixture.post(
                "swift-app-seq", bytes: body,
                headers: [
                    HTTPField.Name.inngestSignature: RequestSignature.header(body: body, timestamp: 1_700_000_000, key: SigningKey(Keys.primary))
                ]))
        #expect(response.status == 500)
        #expect(counter["fetch-user"] == 0)
        let tokens = transport.requests.map { $0.headerFields[.authorization] ?? "" }
        #expect(tokens.contains("Bearer \(Keys.primaryBearer)") && tokens.contains("Bearer \(Keys.fallbackBearer)"))
        expectNoSecrets(response.visibleText)
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
