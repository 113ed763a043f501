import Foundation
import HTTPTypes
import Inngest
import InngestDevServer
import InngestEngine
import InngestVapor
import Synchronization
import Testing
import Vapor

struct Order: Codable, Sendable {
    var id: String
    var prices: [Int]
}

/// A Vapor app serving functions with `addInngest` on 127.0.0.1, driven over loopback by
/// `inngest dev` running in this process (``DevServerOnLoopback``): sync, a run of several
/// steps, signatures, the body limit.
@Suite struct VaporServeTests {
    /// Three steps, each one call from the dev server to the app; the output needs all three.
    static let checkout = InngestFunction(.init(id: "checkout", trigger: .event("shop/checkout"))) { (ctx: Context<Order>) -> String in
        let subtotal = try await ctx.step.run("subtotal") { ctx.event.data.prices.reduce(0, +) }
        let shipping = try await ctx.step.run("shipping") { subtotal >= 100 ? 0 : 5 }
        return try await ctx.step.run("receipt") { "\(ctx.event.data.id): \(subtotal + shipping)" }
    }

    @Test func aSyncRegistersTheAppsFunctionsWithTheDevServer() async throws {
        try await DevServerOnLoopback.with { dev in
            try await VaporApp.with(functions: [Self.checkout], environment: ["INNGEST_DEV": dev.origin]) { app in
                // What `curl -X PUT` (or the dev server's sync button) does: the app posts its
                // functions to the dev server's `/fn/register` through its transport.
                let sync = try await dev.transport.send(HTTPRequestMessage(method: .put, url: app.url))
                #expect(sync.status == 200, "\(sync.bodyText)")
                #expect(sync.json?["message"] == "Successfully registered")
                #expect(sync.headerFields[.inngestFramework] == "vapor")

                let apps = try await dev.transport.send(HTTPRequestMessage(method: .get, url: dev.origin + "/dev"))
                let synced = try #require(apps.json?["apps"]?.arrayValue?.first, "\(apps.bodyText)")
                #expect(synced["app_id"] == "vapor-app")
                #expect(synced["url"] == .string(app.url))
                #expect(synced["functions"] == ["vapor-app-checkout"])
                #expect(synced["synced"] == true)
            }
        }
    }

    @Test func aRunOfSeveralStepsCompletesThroughTheDevServer() async throws {
        try await DevServerOnLoopback.with { dev in
            try await VaporApp.with(functions: [Self.checkout], environment: ["INNGEST_DEV": dev.origin]) { app in
                try await dev.server.syncApp(at: app.url)
                // Sent through the app's own client, over Vapor's HTTP client, to the event API.
                let eventID = try await app.client.send(Event(name: "shop/checkout", data: Order(id: "o-7", prices: [20, 40])))
                let detail = try await dev.finishedRun(startedBy: eventID)
                #expect(detail.run.status == .completed, "\(String(describing: detail.run.error))")
                #expect(detail.run.output == "o-7: 65")
                #expect(detail.steps.map(\.userID) == ["subtotal", "shipping", "receipt"])
                #expect(detail.steps.map(\.status) == [.completed, .completed, .completed])
            }
        }
    }

    @Test func withTheSameSigningKeyTheSignedSyncAndCallsAreAccepted() async throws {
        let key = "signkey-test-5a1e0c9d8b7f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918f7e6d5c"
        try await DevServerOnLoopback.with(signingKey: SigningKey(key)) { dev in
            let environment = ["INNGEST_SIGNING_KEY": key, "INNGEST_BASE_URL": dev.origin]
            try await VaporApp.with(functions: [Self.checkout], environment: environment) { app in
                try await dev.server.syncApp(at: app.url)
                let eventID = try await dev.send(name: "shop/checkout", data: ["id": "o-8", "prices": [100]])
                let detail = try await dev.finishedRun(startedBy: eventID)
                #expect(detail.run.status == .completed, "\(String(describing: detail.run.error))")
                #expect(detail.run.output == "o-8: 100")
            }
        }
    }

    @Test func aCallSignedWithAnotherKeyIsRefusedAndRunsNothing() async throws {
        let ran = Mutex(false)
        let guarded = InngestFunction(.init(id: "guarded", trigger: .event("shop/guarded"), retries: 0)) { (ctx: Context<JSONValue>) -> String in
            try await ctx.step.run("side-effect") {
                ran.withLock { $0 = true }
                return "ran"
            }
        }
        let serverKey = SigningKey("signkey-test-aaaa1111")
        try await DevServerOnLoopback.with(signingKey: serverKey) { dev in
            let environment = ["INNGEST_SIGNING_KEY": "signkey-test-bbbb2222", "INNGEST_BASE_URL": dev.origin]
            try await VaporApp.with(functions: [guarded], environment: environment) { app in
                // The app would not trust this server's sync either: register it directly.
                let registration = try RegisterRequest(appURL: app.url, functions: [guarded], configuration: app.handler.configuration)
                try await dev.engine.sync(registration: try JSONCodec.shared.jsonValue(of: registration))

                let eventID = try await dev.send(name: "shop/guarded", data: [:])
                let detail = try await dev.finishedRun(startedBy: eventID)
                #expect(detail.run.status == .failed)
                #expect(detail.run.error?.message.contains("401") == true, "\(String(describing: detail.run.error))")
                #expect(ran.withLock { $0 } == false)

                // The same call straight to the app, signed with the server's key: refused before any user code.
                let body = Array(#"{"event":{"name":"shop/guarded","data":{}},"events":[],"steps":{},"ctx":{"run_id":"r","attempt":0}}"#.utf8)
                let signature = RequestSignature.header(body: body, timestamp: Int64(Date().timeIntervalSince1970), key: serverKey)
                let refused = try await dev.transport.send(
                    HTTPRequestMessage(
                        method: .post, url: app.url + "?fnId=vapor-app-guarded&stepId=step",
                        headerFields: [.contentType: "application/json", .inngestSignature: signature], body: body))
                #expect(refused.status == .unauthorized)
                #expect(refused.json?["message"] == "Unauthorized")
                #expect(ran.withLock { $0 } == false)
            }
        }
    }

    @Test func aBodyOverTheLimitIsRefusedWith413NamingTheLimit() async throws {
        try await VaporApp.with(functions: [Self.checkout], environment: ["INNGEST_DEV": "1"], maxBodyBytes: 1_024) { app in
            let path = "/api/inngest?fnId=vapor-app-checkout&stepId=step"
            // Vapor hands over a body that came with its head in one read (its own limit does
            // not apply then) and streams a chunked one: both are held to the limit, and a body
            // of exactly the limit reaches the handler (which finds no JSON in it).
            for chunked in [false, true] {
                let over = try RawExchange(port: app.port, post: path, body: Array(repeating: UInt8(ascii: " "), count: 1_500), chunked: chunked)
                #expect(over.status == 413, "chunked: \(chunked)")
                #expect(over.json?["message"] == "request body exceeds the limit of 1024 bytes", "chunked: \(chunked), \(over.body)")
                let atLimit = try RawExchange(port: app.port, post: path, body: Array(repeating: UInt8(ascii: " "), count: 1_024), chunked: chunked)
                #expect(atLimit.status == 400, "chunked: \(chunked), \(atLimit.body)")
                #expect(atLimit.body.lowercased().contains("json"), "chunked: \(chunked), \(atLimit.body)")
            }
            // A large body from an HTTP client: refused before it is read whole.
            let large = try await AsyncHTTPClientTransport().send(
                HTTPRequestMessage(
                    method: .post, url: app.url + "?fnId=vapor-app-checkout&stepId=step", headerFields: [.contentType: "application/json"],
                    body: Array(repeating: UInt8(ascii: " "), count: 4 * 1_024 * 1_024)))
            #expect(large.status == 413)
            #expect(large.json?["message"] == "request body exceeds the limit of 1024 bytes")
            #expect(large.headerFields[.inngestSDK] == SDKIdentity.headerValue)
        }
    }

    @Test func theDefaultLimitIsTheServeConfigurations() async throws {
        try await VaporApp.with(functions: [Self.checkout], environment: ["INNGEST_DEV": "1"], configurationLimit: 2_048) { app in
            let response = try await AsyncHTTPClientTransport().send(
                HTTPRequestMessage(method: .post, url: app.url + "?fnId=vapor-app-checkout&stepId=step", body: Array(repeating: UInt8(ascii: " "), count: 2_049)))
            #expect(response.status == 413)
            #expect(response.json?["message"] == "request body exceeds the limit of 2048 bytes")
        }
    }

    @Test func introspectionAndAWrongMethodAnswerAsTheHandlerDoes() async throws {
        try await VaporApp.with(functions: [Self.checkout], environment: ["INNGEST_DEV": "1"]) { app in
            let transport = AsyncHTTPClientTransport()
            let introspection = try await transport.send(HTTPRequestMessage(method: .get, url: app.url))
            #expect(introspection.status == 200)
            #expect(introspection.json?["mode"] == "dev")
            #expect(introspection.json?["function_count"] == 1)
            #expect(introspection.headerFields[.contentType] == "application/json")
            let deleted = try await transport.send(HTTPRequestMessage(method: .delete, url: app.url))
            #expect(deleted.status == .methodNotAllowed)
            #expect(deleted.json?["message"] == "Method not allowed")
        }
    }
}
