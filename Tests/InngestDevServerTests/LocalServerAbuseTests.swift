import Foundation
import HTTPTypes
import Inngest
import InngestDevServer
import InngestEngine
import InngestTesting
import Testing

/// `inngest dev` is a server on a developer's machine that any web page the developer opens
/// can reach: it answers only its own host names on every route (DNS rebinding), takes no
/// action a page of another site sends, and shows its secrets nowhere.
@Suite(.tags(.hostileInput)) struct LocalServerAbuseTests {
    private static let echo = InngestFunction(.init(id: "echo", trigger: .event("app/echo"))) { (ctx: Context<JSONValue>) -> JSONValue in
        try await ctx.step.run("copy") { ctx.event.data }
    }

    private func request(
        _ server: DevServer, _ method: HTTPRequest.Method, _ url: String, _ body: String = "", headers: HTTPFields = [:]
    ) async -> HTTPResponseMessage {
        await server.handle(HTTPRequestMessage(method: method, url: url, headerFields: headers, body: Array(body.utf8)))
    }

    private static let event = #"{"name": "app/echo", "data": {"n": 1}}"#
    private static let register = #"{"url": "http://evil.test/api/inngest", "appName": "evil", "functions": [], "framework": "x", "sdk": "x", "v": "0.1"}"#

    @Test func everyRouteButHealthRefusesAHostNameTheServerDoesNotAnswerTo() async throws {
        let dev = try await DevHarness()
        _ = try await dev.serve("app", [Self.echo])
        let eventID = try await dev.send("app/echo")
        let runID = try await dev.run(startedBy: eventID).run.id
        let rebound = "http://rebound.example:8288"
        let routes: [(HTTPRequest.Method, String, String)] = [
            (.post, "/e/key", Self.event), (.post, "/fn/register", Self.register), (.get, "/dev", ""),
            (.get, "/v0/runs/\(runID)/actions", ""), (.get, "/v0/runs/\(runID)/batch", ""), (.get, "/v1/runs", ""),
            (.get, "/runs/\(runID)", ""), (.get, "/", ""),
        ]
        for (method, path, body) in routes {
            let response = await request(dev.server, method, rebound + path, body, headers: [.contentType: "application/json"])
            #expect(response.status == 403, "\(method) \(path): \(response.status)")
            #expect(response.bodyText.contains("rebound.example"), "\(method) \(path) names the host: \(response.bodyText)")
            #expect(!response.bodyText.contains(runID), "\(method) \(path) shows nothing of the state")
        }
        #expect(await request(dev.server, .get, rebound + "/health").status == 200, "the health check tells nothing")
        await dev.engine.settle()
        #expect(try await dev.engine.events(named: "app/echo").count == 1, "the refused send stored nothing")
        #expect(dev.engine.functionListings.map(\.compositeID) == ["app-echo"], "the refused sync added no app")

        for host in ["localhost", "127.0.0.1", "[::1]"] {
            let accepted = await request(dev.server, .post, "http://\(host):8288/e/key", Self.event)
            #expect(accepted.status == 200, "\(host): \(accepted.bodyText)")
        }
    }

    @Test func aHostNameGivenWithAllowHostIsAnswered() async throws {
        let dev = try await DevHarness()
        let server = DevServer(engine: dev.engine, configuration: .init(allowedHosts: ["inngest.internal"]), transport: dev.network)
        #expect(await request(server, .post, "http://inngest.internal:8288/e/key", Self.event).status == 200)
        #expect(await request(server, .get, "http://inngest.internal:8288/dev").status == 200)
        #expect(await request(server, .post, "http://other.internal:8288/e/key", Self.event).status == 403)
    }

    @Test func aPageOfAnotherSiteCannotSendEventsOrRegisterAnApp() async throws {
        let dev = try await DevHarness()
        _ = try await dev.serve("app", [Self.echo])
        // What a form or `fetch` without preflight on another site's page sends.
        let crossSite: [HTTPFields] = [
            [.contentType: "text/plain", .origin: "https://evil.example"],
            [.contentType: "text/plain", .origin: "null"],
            [.contentType: "text/plain", .origin: "http://localhost.evil.example:8288"],
            [.contentType: "text/plain", HTTPField.Name("Sec-Fetch-Site")!: "cross-site"],
        ]
        for headers in crossSite {
            let sent = await request(dev.server, .post, DevHarness.devOrigin + "/e/key", Self.event, headers: headers)
            #expect(sent.status == 403, "\(headers): \(sent.bodyText)")
            #expect(sent.json?["error"]?.stringValue?.contains("another site") == true || sent.bodyText.contains("cross-site"))
            let registered = await request(dev.server, .post, DevHarness.devOrigin + "/fn/register", Self.register, headers: headers)
            #expect(registered.status == 403, "\(headers): \(registered.bodyText)")
        }
        await dev.engine.settle()
        #expect(try await dev.engine.events(named: "app/echo").isEmpty)
        #expect(dev.engine.functionListings.map(\.compositeID) == ["app-echo"])

        // An SDK sends no Origin; an app's own front end on another loopback port may send events.
        #expect(await request(dev.server, .post, DevHarness.devOrigin + "/e/key", Self.event).status == 200)
        let frontEnd = await request(
            dev.server, .post, DevHarness.devOrigin + "/e/key", Self.event, headers: [.contentType: "text/plain", .origin: "http://localhost:3000"])
        #expect(frontEnd.status == 200, "\(frontEnd.bodyText)")
        // Reads are not actions: a page cannot read the answer without CORS, which the server never grants.
        let read = await request(dev.server, .get, DevHarness.devOrigin + "/dev", headers: [.origin: "https://evil.example"])
        #expect(read.status == 200)
        #expect(read.headerFields[.accessControlAllowOrigin] == nil)
    }

    @Test func secretsAppearInNoLogResponseOrPage() async throws {
        let log = CapturedLog()
        let signingKey = SigningKey("signkey-test-8f4a1c0d2b3e4f5061728394a5b6c7d8e9f00112233445566778899aabbccddee")
        let eventKey = "evtkey-3a9c5e7f1b2d4c6e8f0a1b2c3d4e5f60"
        let secrets = [
            "8f4a1c0d2b3e4f5061728394a5b6c7d8e9f00112233445566778899aabbccddee", signingKey.hashedSecret, eventKey,
        ]
        let network = InProcessNetwork()
        let clock = DevHarness.wallClock()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-secrets-\(UUID().uuidString)")
        let options = Engine.Options(
            clock: clock, backoff: Backoff(base: .seconds(10), jitter: 0), logger: log.logger("inngest.engine"), appTransport: network,
            signingKey: signingKey)
        let engine = try Engine(appID: "inngest-dev", databasePath: directory.appendingPathComponent("dev.sqlite").path, functions: [], options: options)
        try await engine.start()
        let server = DevServer(
            engine: engine, configuration: .init(eventKeys: [eventKey], signingKey: signingKey), transport: network, logger: log.logger("inngest.dev"))
        network.route(DevHarness.devOrigin) { await server.handle($0) }

        // Two apps synced with the right key; then one of them is served with another key
        // (rotated without telling the server), so the server's calls to it are refused.
        let otherKey = "signkey-test-00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
        func handler(_ appID: String, key: String) -> InngestServeHandler {
            let environment = ["INNGEST_SIGNING_KEY": key, "INNGEST_BASE_URL": DevHarness.devOrigin, "INNGEST_EVENT_KEY": eventKey]
            let function = InngestFunction(.init(id: "echo", trigger: .event("\(appID)/echo"))) { (ctx: Context<JSONValue>) -> JSONValue in
                try await ctx.step.run("copy") { ctx.event.data }
            }
            return InngestServeHandler(
                client: InngestClient(configuration: InngestConfiguration(appID: appID, environment: environment), transport: network), functions: [function],
                logger: log.logger("inngest.serve"))
        }
        for appID in ["good", "rotated"] {
            let served = handler(appID, key: "signkey-test-\(secrets[0])")
            network.route("http://\(appID).test") { await served.handle($0) }
            try await server.syncApp(at: "http://\(appID).test/api/inngest")
        }
        let rotated = handler("rotated", key: otherKey)
        network.route("http://rotated.test") { await rotated.handle($0) }
        // An app with another key cannot sync.
        let stranger = handler("stranger", key: otherKey)
        network.route("http://stranger.test") { await stranger.handle($0) }
        await #expect(throws: (any Error).self) { try await server.syncApp(at: "http://stranger.test/api/inngest") }
        var responses: [HTTPResponseMessage] = []
        func call(_ method: HTTPRequest.Method, _ path: String, _ body: String = "", bearer: String? = nil) async -> HTTPResponseMessage {
            var headers: HTTPFields = [.contentType: "application/json"]
            if let bearer { headers[.authorization] = "Bearer \(bearer)" }
            let response = await request(server, method, DevHarness.devOrigin + path, body, headers: headers)
            responses.append(response)
            return response
        }
        let good = await call(.post, "/e/\(eventKey)", #"[{"name": "good/echo"}, {"name": "rotated/echo"}]"#)
        #expect(good.status == 200)
        await engine.settle()
        #expect(await call(.post, "/e/wrong-key", Self.event).status == 401)
        #expect(await call(.get, "/v0/runs/01NOPE/actions", bearer: "signkey-test-deadbeef").status == 401)
        #expect(await call(.get, "/v1/runs", bearer: "not-the-key").status == 401)
        #expect(await call(.post, "/fn/register", "{", bearer: signingKey.bearerToken).status.code >= 400)
        for path in ["/runs", "/apps", "/functions", "/events", "/v1/runs", "/v1/apps", "/v1/functions", "/dev"] {
            #expect(await call(.get, path, bearer: signingKey.bearerToken).status == 200, "\(path)")
        }
        for run in try await engine.runs() {
            #expect(await call(.get, "/runs/\(run.id)", bearer: signingKey.bearerToken).status == 200)
            #expect(await call(.get, "/v1/runs/\(run.id)", bearer: signingKey.bearerToken).status == 200)
        }
        let runs = try await engine.runs()
        #expect(runs.count == 2)
        #expect(runs.filter { $0.status == .completed }.count == 1, "the app with the right key ran; the rotated one refused the call")
        await engine.shutdown()

        let logged = log.text
        // The failures whose messages could carry a key were logged.
        #expect(logged.contains("registration failed"), "\(logged)")
        #expect(logged.contains("signature"), "\(logged)")
        for secret in secrets {
            #expect(!logged.contains(secret), "the log holds a secret")
            for response in responses {
                let headers = response.headerFields.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
                #expect(!response.bodyText.contains(secret) && !headers.contains(secret), "a response holds a secret: \(response.bodyText.prefix(300))")
            }
        }
    }
}
