import Foundation
import HTTPTypes
import Testing

@testable import Inngest

/// Conformance cases 1–8: introspection and sync, through the serve handler.
@Suite(.tags(.conformance)) struct ServeSyncConformanceTests {
    @Test func devIntrospectionIsUnauthenticated() async throws {
        let handler = ServeFixture.handler()
        let response = await handler.handle(HTTPRequestMessage(method: .get, url: ServeFixture.serveURL))
        #expect(response.status == 200)
        expectSDKHeaders(response)
        let body = try #require(response.json?.objectValue)
        #expect(body["schema_version"] == "2024-05-24")
        #expect(body["mode"] == "dev")
        #expect(body["function_count"] == .integer(Int64(ServeFixture.all().count)))
        #expect(body["has_event_key"] == false)
        #expect(body["has_signing_key"] == false)
        #expect(body["has_signing_key_fallback"] == false)
        for field in ["app_id", "api_origin", "event_api_origin", "signing_key_hash", "event_key_hash", "authentication_succeeded", "env"] {
            #expect(body[field] == nil, "unauthenticated introspection shows \(field)")
        }
        #expect(response.headerFields[.inngestSignature] == nil)
    }

    @Test func functionCountIncludesFailureHandlersLikeTypeScript() async throws {
        let withFailure = InngestFunction(.init(id: "f", trigger: .event("a/b")), onFailure: { _ in }) { (_: Context<JSONValue>) in }
        let handler = ServeFixture.handler(functions: [withFailure, ServeFixture.empty])
        let response = await handler.handle(HTTPRequestMessage(method: .get, url: ServeFixture.serveURL))
        #expect(response.json?.objectValue?["function_count"] == 3)
    }

    @Test func signedCloudIntrospectionIsAuthenticated() async throws {
        #expect(
            RequestSignature.mac(body: [], timestamp: 1_700_000_000, key: SigningKey(Keys.primary))
                == "a5b3848cf54a129e782a682980081eaa0fea9734d52e1e52f1eca244b671e009")
        let handler = ServeFixture.handler(ServeFixture.cloudConfiguration())
        let response = await handler.handle(
            HTTPRequestMessage(
                method: .get, url: ServeFixture.serveURL,
                headerFields: [
                    HTTPField.Name.inngestSignature: "t=1700000000&s=a5b3848cf54a129e782a682980081eaa0fea9734d52e1e52f1eca244b671e009"
                ]))
        #expect(response.status == 200)
        expectSDKHeaders(response)
        let body = try #require(response.json?.objectValue)
        #expect(body["authentication_succeeded"] == true)
        #expect(body["mode"] == "cloud")
        #expect(body["app_id"] == "swift-app")
        #expect(body["schema_version"] == "2024-05-24")
        #expect(body["event_key_hash"] == "5d0ef16ddc80ea26888cd520cffb7b3c118e5c0ddddc278673cfe69e203a093e")
        #expect(body["signing_key_hash"] == "4884fdaafea4", "TypeScript's 12-character form (Python sends the full hash)")
        #expect(body["signing_key_fallback_hash"] == .null)
        #expect(body["api_origin"] == "https://api.inngest.com/")
        #expect(body["event_api_origin"] == "https://inn.gs/")
        #expect(body["sdk_language"] == "swift")
        #expect(body["sdk_version"] == "0.1.0")
        let allowed: Set<String> = [
            "schema_version", "authentication_succeeded", "mode", "app_id", "api_origin", "event_api_origin", "env",
            "framework", "function_count", "has_event_key", "has_signing_key", "has_signing_key_fallback",
            "event_key_hash", "signing_key_hash", "signing_key_fallback_hash", "sdk_language", "sdk_version",
            "serve_origin", "serve_path", "capabilities", "extra",
        ]
        #expect(Set(body.keys).isSubset(of: allowed))
        #expect(Set(body.keys).isSuperset(of: allowed.subtracting(["extra", "capabilities"])))
        let signature = try #require(response.headerFields[.inngestSignature])
        #expect(
            RequestSignature.verify(header: signature, body: response.body, keys: [SigningKey(Keys.primary)], now: Date(timeIntervalSince1970: 1_700_000_000)) == .success(SigningKey(Keys.primary)))
        expectNoSecrets(response.visibleText)
    }

    @Test func unsignedCloudIntrospectionIs401LikeTypeScript() async throws {
        let handler = ServeFixture.handler(ServeFixture.cloudConfiguration())
        let response = await handler.handle(HTTPRequestMessage(method: .get, url: ServeFixture.serveURL))
        #expect(response.status == 401)
        #expect(response.json == ["message": "Unauthorized"])
        #expect(!response.bodyText.contains("swift-app"))
        #expect(response.headerFields[.inngestSDKHandled] == "true")
        #expect(response.headerFields[.inngestSDK] == nil, "TypeScript strips x-inngest-* headers from unauthenticated answers")
    }

    @Test func outOfBandSyncPostsTheRegisterPayload() async throws {
        let transport = RecordingTransport()
        let handler = ServeFixture.handler(transport: transport)
        let response = await handler.handle(
            HTTPRequestMessage(
                method: .put, url: ServeFixture.serveURL,
                headerFields: [
                    .inngestServerKind: "dev", .contentType: "application/json",
                ], body: bytes(#"{"url":"http://127.0.0.1:3000/api/inngest"}"#)))
        #expect(response.status == 200)
        expectSDKHeaders(response)
        #expect(response.headerFields[.inngestSyncKind] == "out_of_band")
        #expect(response.json?.objectValue?["modified"] == true)
        #expect(response.json?.objectValue?["message"]?.stringValue != nil)

        let register = try #require(transport.requests.first)
        #expect(transport.requests.count == 1)
        #expect(register.method == .post)
        #expect(register.url == "http://localhost:8288/fn/register")
        #expect(register.headerFields[.inngestSDK] == "swift-inngest:v0.1.0")
        #expect(register.headerFields[.inngestExpectedServerKind] == "dev")
        #expect(register.headerFields[.inngestSyncKind] == "out_of_band")
        #expect(register.headerFields[.contentType] == "application/json")
        #expect(register.headerFields[.authorization] == nil)
        let body = try #require(try JSONText.read(register.body).objectValue)
        #expect(body["url"] == "http://127.0.0.1:3000/api/inngest")
        #expect(body["deployType"] == "ping")
        #expect(body["appName"] == "swift-app")
        #expect(body["sdk"] == "swift:v0.1.0")
        #expect(body["v"] == "0.1")
        #expect(!containsNull(.object(body)))
        let functions = try #require(body["functions"]?.arrayValue)
        #expect(functions.count == ServeFixture.all().count)
        let hello = try #require(functions.first?.objectValue)
        #expect(hello["id"] == "swift-app-hello")
        #expect(hello["name"] == "hello")
        #expect(hello["triggers"] == [["event": "app/hello"]])
        #expect(
            hello["steps"] == [
                "step": [
                    "id": "step", "name": "step",
                    "runtime": ["type": "http", "url": "http://127.0.0.1:3000/api/inngest?fnId=swift-app-hello&stepId=step"],
                    "retries": ["attempts": 4],
                ]
            ])
        for function in functions {
            let id = try #require(function.objectValue?["id"]?.stringValue)
            #expect(id.hasPrefix("swift-app-"))
            let url = try #require(function.objectValue?["steps"]?.objectValue?["step"]?.objectValue?["runtime"]?.objectValue?["url"]?.stringValue)
            let query = URLComponents(string: url)?.queryItems ?? []
            #expect(query.contains(URLQueryItem(name: "fnId", value: id)))
            #expect(query.contains(URLQueryItem(name: "stepId", value: "step")))
        }
    }

    @Test func serveOriginAndPathOverrideTheAdvertisedURL() async throws {
        let transport = RecordingTransport()
        let configuration = InngestConfiguration(
            appID: "swift-app",
            environment: [
                "INNGEST_DEV": "1", "INNGEST_SERVE_ORIGIN": "https://example.com/", "INNGEST_SERVE_PATH": "/inngest",
            ])
        let handler = ServeFixture.handler(configuration, functions: [ServeFixture.empty], transport: transport)
        _ = await handler.handle(HTTPRequestMessage(method: .put, url: ServeFixture.serveURL))
        let body = try JSONText.read(try #require(transport.requests.first).body)
        #expect(body.objectValue?["url"] == "https://example.com/inngest")
    }

    @Test func deployIdIsForwardedButNotInTheURL() async throws {
        let transport = RecordingTransport()
        let handler = ServeFixture.handler(transport: transport)
        _ = await handler.handle(
            HTTPRequestMessage(
                method: .put, url: ServeFixture.serveURL + "?deployId=01HQDEPLOY0000000000000000",
                headerFields: [.inngestServerKind: "dev"]))
        let register = try #require(transport.requests.first)
        #expect(register.url == "http://localhost:8288/fn/register?deployId=01HQDEPLOY0000000000000000")
        #expect(!String(decoding: register.body, as: UTF8.self).contains("deployId"))
    }

    @Test func literalUndefinedDeployIdIsAbsentLikeTypeScript() async throws {
        let transport = RecordingTransport()
        let handler = ServeFixture.handler(transport: transport)
        _ = await handler.handle(HTTPRequestMessage(method: .put, url: ServeFixture.serveURL + "?deployId=undefined"))
        #expect(transport.requests.first?.url == "http://localhost:8288/fn/register")
    }

    @Test func syncFailureRelaysTheServersStatusLikeTypeScript() async throws {
        let transport = RecordingTransport { _ in HTTPResponseMessage(status: 400, body: bytes(#"{"error":"Invalid cron","status":400}"#)) }
        let handler = ServeFixture.handler(transport: transport)
        let response = await handler.handle(HTTPRequestMessage(method: .put, url: ServeFixture.serveURL))
        #expect(response.status == 400)
        #expect(response.headerFields[.inngestSyncKind] == "out_of_band")
        #expect(response.json?.objectValue?["message"]?.stringValue?.contains("Invalid cron") == true)
        #expect(response.json?.objectValue?["modified"] == false)
    }

    @Test func networkFailureIs500() async throws {
        struct Down: Error {}
        let handler = ServeFixture.handler(transport: RecordingTransport { _ in throw Down() })
        let response = await handler.handle(HTTPRequestMessage(method: .put, url: ServeFixture.serveURL))
        #expect(response.status == 500)
        #expect(response.json?.objectValue?["modified"] == false)
    }

    @Test func cloudSyncSendsTheBearerAndFallsBackOn401() async throws {
        let transport = RecordingTransport { request in
            request.headerFields[.authorization] == "Bearer \(Keys.fallbackBearer)"
                ? HTTPResponseMessage(status: 200, body: bytes(#"{"ok":true,"modified":false}"#))
                : HTTPResponseMessage(status: 401, body: bytes(#"{"error":"unauthorized"}"#))
        }
        let handler = ServeFixture.handler(ServeFixture.cloudConfiguration(fallback: true), transport: transport)
        let response = await handler.handle(HTTPRequestMessage(method: .put, url: ServeFixture.serveURL, headerFields: [.inngestServerKind: "cloud"]))
        #expect(response.status == 200)
        #expect(transport.requests.map { $0.headerFields[.authorization] } == ["Bearer \(Keys.primaryBearer)", "Bearer \(Keys.fallbackBearer)"])
        #expect(transport.requests.first?.url == "https://api.inngest.com/fn/register")
    }

    static let inBandBody = #"{"url":"http://127.0.0.1:3000/api/inngest"}"#

    @Test func inBandSyncAnswersWithTheConfiguration() async throws {
        #expect(
            RequestSignature.mac(body: bytes(Self.inBandBody), timestamp: 1_700_000_000, key: SigningKey(Keys.primary))
                == "99fad635dd8cca6868dfd03330a137a9f867c05f06dc84f51c0d3c1f5fb15ca2")
        let transport = RecordingTransport()
        let handler = ServeFixture.handler(ServeFixture.cloudConfiguration(), transport: transport)
        let response = await handler.handle(
            HTTPRequestMessage(
                method: .put, url: ServeFixture.serveURL,
                headerFields: [
                    HTTPField.Name.inngestSyncKind: "in_band", .inngestServerKind: "cloud",
                    HTTPField.Name.inngestSignature: "t=1700000000&s=99fad635dd8cca6868dfd03330a137a9f867c05f06dc84f51c0d3c1f5fb15ca2",
                ], body: bytes(Self.inBandBody)))
        #expect(response.status == 200)
        expectSDKHeaders(response)
        #expect(response.headerFields[.inngestSyncKind] == "in_band")
        #expect(transport.requests.isEmpty)
        let body = try #require(response.json?.objectValue)
        #expect(body["app_id"] == "swift-app")
        #expect(body["url"] == "http://127.0.0.1:3000/api/inngest")
        #expect(body["sdk_language"] == "swift")
        #expect(body["sdk_version"] == "0.1.0")
        for key in ["framework", "env", "platform", "sdk_author"] { #expect(body[key] != nil, "missing \(key)") }
        #expect(body["inspection"]?.objectValue?["authentication_succeeded"] == true)
        #expect(body["inspection"]?.objectValue?["app_id"] == "swift-app")
        let functions = try #require(body["functions"]?.arrayValue)
        #expect(
            functions.first?.objectValue?["steps"]?.objectValue?["step"]?.objectValue?["runtime"]?.objectValue?["url"]
                == "http://127.0.0.1:3000/api/inngest?fnId=swift-app-hello&stepId=step")
        #expect(response.headerFields[.inngestSignature] != nil)
        expectNoSecrets(response.visibleText)
    }

    @Test func inBandWithAnExtraKeyIs400() async throws {
        let body = #"{"url":"http://127.0.0.1:3000/api/inngest","extra":1}"#
        let handler = ServeFixture.handler(ServeFixture.cloudConfiguration())
        let response = await handler.handle(
            HTTPRequestMessage(
                method: .put, url: ServeFixture.serveURL,
                headerFields: [
                    HTTPField.Name.inngestSyncKind: "in_band",
                    HTTPField.Name.inngestSignature: RequestSignature.header(body: bytes(body), timestamp: 1_700_000_000, key: SigningKey(Keys.primary)),
                ], body: bytes(body)))
        #expect(response.status == 400)
        #expect(response.json?.objectValue?["code"] == "invalid_request")
    }

    @Test func inBandWithABadSignatureIs401() async throws {
        let transport = RecordingTransport()
        let handler = ServeFixture.handler(ServeFixture.cloudConfiguration(), transport: transport)
        let response = await handler.handle(
            HTTPRequestMessage(
                method: .put, url: ServeFixture.serveURL,
                headerFields: [
                    HTTPField.Name.inngestSyncKind: "in_band",
                    HTTPField.Name.inngestSignature: "t=1700000000&s=" + String(repeating: "0", count: 64),
                ], body: bytes(Self.inBandBody)))
        #expect(response.status == 401)
        #expect(transport.requests.isEmpty)
    }

    @Test func inBandDisabledFallsBackToOutOfBand() async throws {
        let transport = RecordingTransport()
        let handler = ServeFixture.handler(ServeFixture.cloudConfiguration(inBand: false), transport: transport)
        let response = await handler.handle(
            HTTPRequestMessage(
                method: .put, url: ServeFixture.serveURL,
                headerFields: [
                    HTTPField.Name.inngestSyncKind: "in_band",
                    HTTPField.Name.inngestSignature: "t=1700000000&s=99fad635dd8cca6868dfd03330a137a9f867c05f06dc84f51c0d3c1f5fb15ca2",
                ], body: bytes(Self.inBandBody)))
        #expect(response.status == 200)
        #expect(response.headerFields[.inngestSyncKind] == "out_of_band")
        #expect(transport.requests.count == 1)
        let capabilities = try JSONText.read(try #require(transport.requests.first).body).objectValue?["capabilities"]
        #expect(capabilities == ["trust_probe": "v1"])
    }

    @Test func functionConfigurationEncoding() throws {
        let object = try RegisteredFunction(ServeFixture.limited.configuration, appURL: ServeFixture.serveURL, appID: "swift-app").jsonValue()
        let expected: JSONValue = [
            "id": "swift-app-limited",
            "name": "limited",
            "triggers": [["event": "app/order.created"]],
            "steps": [
                "step": [
                    "id": "step", "name": "step",
                    "runtime": ["type": "http", "url": "http://127.0.0.1:3000/api/inngest?fnId=swift-app-limited&stepId=step"],
                    "retries": ["attempts": 2],
                ]
            ],
            "concurrency": [["limit": 5, "key": "event.data.user_id"]],
            "throttle": ["limit": 10, "period": "1m", "burst": 2],
            "debounce": ["period": "5m", "key": "event.data.id"],
            "cancel": [["event": "app/order.cancelled", "if": "event.data.order_id == async.data.order_id", "timeout": "7d"]],
            "timeouts": ["start": "10m", "finish": "1h"],
            "priority": ["run": "event.data.vip ? 120 : 0"],
            "idempotency": "event.data.order_id",
        ]
        #expect(object == expected)
    }

    @Test func everyOtherOptionAndFailureHandlers() throws {
        let function = InngestFunction(
            .init(
                id: "batched", name: "Batched", triggers: [.event("a/b", if: "event.data.x == 1"), .cron("TZ=Europe/Paris 0 9 * * 1", jitter: "5m")],
                retries: 0, concurrency: [.limit(2, key: "event.data.a", scope: .env), .limit(1)],
                rateLimit: RateLimit(limit: 1, period: "4h", key: "event.data.c"),
                batchEvents: BatchEvents(maxSize: 100, timeout: "5s", key: "event.data.t", if: "event.data.b == true"),
                singleton: Singleton(key: "event.data.u", mode: .skip)), onFailure: { _ in }
        ) { (_: Context<JSONValue>) in }
        let objects = try RegisteredFunction.all(of: [function], appURL: ServeFixture.serveURL, appID: "swift-app").map { try $0.jsonValue() }
        #expect(objects.count == 2)
        let main = try #require(objects.first?.objectValue)
        #expect(main["name"] == "Batched")
        #expect(main["triggers"] == [["event": "a/b", "expression": "event.data.x == 1"], ["cron": "TZ=Europe/Paris 0 9 * * 1", "jitter": "5m"]])
        #expect(main["concurrency"] == [["limit": 2, "key": "event.data.a", "scope": "env"], ["limit": 1]])
        #expect(main["rateLimit"] == ["limit": 1, "period": "4h", "key": "event.data.c"])
        #expect(main["batchEvents"] == ["maxSize": 100, "timeout": "5s", "key": "event.data.t", "if": "event.data.b == true"])
        #expect(main["singleton"] == ["key": "event.data.u", "mode": "skip"])
        #expect(main["steps"]?.objectValue?["step"]?.objectValue?["retries"] == ["attempts": 0])
        let failure = try #require(objects.last?.objectValue)
        #expect(failure["id"] == "swift-app-batched-failure")
        #expect(failure["name"] == "Batched (failure)")
        #expect(failure["triggers"] == [["event": "inngest/function.failed", "expression": "event.data.function_id == 'swift-app-batched'"]])
        #expect(!containsNull(.array(objects)))
    }

    @Test func serverKindMismatchIsNotRejectedLikeTypeScript() async throws {
        // Python answers 403 (GET) / 400 (PUT) when X-Inngest-Server-Kind differs from its mode; TypeScript proceeds.
        let transport = RecordingTransport()
        let handler = ServeFixture.handler(transport: transport)
        let get = await handler.handle(HTTPRequestMessage(method: .get, url: ServeFixture.serveURL, headerFields: [.inngestServerKind: "cloud"]))
        #expect(get.status == 200)
        let put = await handler.handle(HTTPRequestMessage(method: .put, url: ServeFixture.serveURL, headerFields: [.inngestServerKind: "cloud"]))
        #expect(put.status == 200)
        #expect(transport.requests.first?.headerFields[.inngestExpectedServerKind] == "cloud")
    }

    @Test func otherMethodsAre405() async {
        let response = await ServeFixture.handler().handle(HTTPRequestMessage(method: .delete, url: ServeFixture.serveURL))
        #expect(response.status == 405)
        #expect(response.json == ["message": "Method not allowed"])
    }
}

func containsNull(_ value: JSONValue) -> Bool {
    switch value {
    case .null: return true
    case .array(let elements): return elements.contains(where: containsNull)
    case .object(let members): return members.values.contains(where: containsNull)
    default: return false
    }
}
