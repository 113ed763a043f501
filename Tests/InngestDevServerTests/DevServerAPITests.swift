import Foundation
import HTTPTypes
import Inngest
import InngestDevServer
import InngestEngine
import Testing

/// The dev server's HTTP API: shapes, status codes, keys and bad input. Bad input gets a
/// clear error naming the problem, and never costs what was accepted before.
@Suite struct DevServerAPITests {
    private func post(_ dev: DevHarness, _ path: String, _ body: String, headers: HTTPFields = [:]) async -> HTTPResponseMessage {
        await dev.server.handle(HTTPRequestMessage(method: .post, url: DevHarness.devOrigin + path, headerFields: headers, body: Array(body.utf8)))
    }

    private func get(_ dev: DevHarness, _ path: String, headers: HTTPFields = [:]) async -> HTTPResponseMessage {
        await dev.server.handle(HTTPRequestMessage(method: .get, url: DevHarness.devOrigin + path, headerFields: headers))
    }

    private static let echo = InngestFunction(.init(id: "echo", trigger: .event("app/echo"))) { (ctx: Context<JSONValue>) in
        ctx.event.data
    }

    @Test func theEventAPIAnswersWithIdsAndTheRESTAPIWithInngestsRunShape() async throws {
        let dev = try await DevHarness()
        try await dev.serve("app", [Self.echo])
        let response = await post(dev, "/e/any-key", #"[{"name":"app/echo","data":{"n":1}},{"name":"app/other","data":{}}]"#)
        #expect(response.status == 200)
        #expect(response.json?["status"] == 200)
        let ids = (response.json?["ids"]?.arrayValue ?? []).compactMap { $0.stringValue }
        #expect(ids.count == 2)
        await dev.engine.settle()

        let runs = await get(dev, "/v1/events/\(ids[0])/runs")
        #expect(runs.status == 200)
        let run = try #require(runs.json?["data"]?[0])
        #expect(run["function_id"] == "app-echo")
        #expect(run["status"] == "Completed")
        #expect(run["output"] == ["n": 1])
        #expect(run["event_id"] == .string(ids[0]))
        #expect(run["run_started_at"]?.stringValue?.hasSuffix("Z") == true)
        #expect(run["ended_at"]?.stringValue != nil)
        let runID = try #require(run["run_id"]?.stringValue)

        let one = await get(dev, "/v1/runs/\(runID)")
        #expect(one.status == 200)
        #expect(one.json?["data"]?["run_id"] == .string(runID))
        #expect(await get(dev, "/v1/events/\(ids[1])/runs").json?["data"] == [])
        #expect(await get(dev, "/v1/runs/01NOPE").status == 404)

        // What SDKs fetch for a trimmed call.
        let batch = await get(dev, "/v0/runs/\(runID)/batch")
        #expect(batch.json?[0]?["name"] == "app/echo")
        #expect(await get(dev, "/v0/runs/\(runID)/actions").json == [:])
        let apps = await get(dev, "/dev")
        #expect(apps.json?["apps"]?[0]?["app_id"] == "app")
        #expect(apps.json?["apps"]?[0]?["functions"] == ["app-echo"])
    }

    @Test func cancellingARunThroughTheAPI() async throws {
        let sleeper = InngestFunction(.init(id: "sleeper", trigger: .event("app/sleep"))) { (ctx: Context<JSONValue>) -> String in
            try await ctx.step.sleep("long", "7d")
            return "done"
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [sleeper])
        let event = try await dev.send("app/sleep")
        let run = try await dev.run(startedBy: event)
        let cancelled = await post(dev, "/v1/runs/\(run.run.id)/cancel", "")
        #expect(cancelled.status == 200)
        #expect(cancelled.json?["data"]?["status"] == "Cancelled")
        await dev.advance(by: .seconds(7 * 86_400))
        #expect(try await dev.run(startedBy: event).run.status == .cancelled)
        #expect(await post(dev, "/v1/runs/01NOPE/cancel", "").status == 404)
    }

    @Test func badEventsAreRefusedNamingTheProblemAndNothingIsStored() async throws {
        let dev = try await DevHarness()
        try await dev.serve("app", [Self.echo])
        let accepted = try await dev.send("app/echo", ["kept": true])

        let cases: [(body: String, status: Int, mentions: String)] = [
            ("", 400, "empty"),
            (#"{"name": "app/echo", "data": {"#, 400, "not valid JSON"),
            ("42", 400, "event object or an array"),
            (#"[{"name":"app/echo"}, {"data":{}}]"#, 400, "event [1] is not a valid event: \"name\" is missing"),
            (#"[{"name":"app/echo","ts":"yesterday"}]"#, 400, "\"ts\" must be an integer"),
            (#"[{"name":"app/echo"},{"name":"inngest/function.failed"}]"#, 400, "reserved"),
            (#"[{"name":"app/echo","data":[1,2]}]"#, 400, "\"data\" must be a JSON object"),
        ]
        for (body, status, mentions) in cases {
            let response = await post(dev, "/e/key", body)
            #expect(response.status.code == status, "\(body)")
            #expect(response.json?["error"]?.stringValue?.contains(mentions) == true, "\(body): \(response.bodyText)")
            #expect(response.json?["ids"] == [])
        }
        let large = String(repeating: "x", count: InngestLimits.maxEventBytes)
        let tooLarge = await post(dev, "/e/key", #"[{"name":"app/echo","data":{"big":"\#(large)"}}]"#)
        #expect(tooLarge.status == 413)
        #expect(tooLarge.json?["error"]?.stringValue?.contains("\(InngestLimits.maxEventBytes) bytes") == true)

        await dev.engine.settle()
        // Only the first, valid send was stored and ran.
        #expect(try await dev.engine.events(named: "app/echo").count == 1)
        #expect(try await dev.engine.runs().count == 1)
        #expect(try await dev.run(startedBy: accepted).run.output == ["kept": true])
    }

    @Test func aBodyOverTheLimitGets413() async throws {
        let dev = try await DevHarness()
        let server = DevServer(engine: dev.engine, configuration: .init(maxBodyBytes: 1_000), transport: dev.network)
        let response = await server.handle(HTTPRequestMessage(method: .post, url: "http://localhost:8288/e/k", body: Array(repeating: 0x20, count: 1_001)))
        #expect(response.status == 413)
        #expect(response.json?["error"]?.stringValue?.contains("1000 bytes") == true)
    }

    @Test func eventKeysAreRequiredWhenTheServerHasThem() async throws {
        let dev = try await DevHarness(eventKeys: ["right-key"])
        try await dev.serve("app", [Self.echo])
        let refused = await post(dev, "/e/wrong-key", #"{"name":"app/echo"}"#)
        #expect(refused.status == 401)
        #expect(refused.json?["error"] == "Event key not found")
        #expect(await post(dev, "/e/NO_EVENT_KEY_SET", #"{"name":"app/echo"}"#).status == 401)
        #expect(await post(dev, "/e/right-key", #"{"name":"app/echo"}"#).status == 200)
        await dev.engine.settle()
        #expect(try await dev.engine.events(named: "app/echo").count == 1)
    }

    @Test func registrationsAreCheckedAndABadOneChangesNothing() async throws {
        let dev = try await DevHarness()
        try await dev.serve("app", [Self.echo])
        let bad: [(body: String, mentions: String)] = [
            ("{", "not valid JSON"),
            (#"{"url":"http://x.test/api/inngest","functions":[]}"#, "appName"),
            (#"{"appName":"app","url":"http://x.test","functions":[{"id":"app-f","triggers":[{"event":"a"}],"concurrency":{"limit":-1}}]}"#, "concurrency"),
            (#"{"appName":"app","url":"http://x.test","functions":[{"id":"app-f","triggers":[{"event":"a","expression":"event.data.x ==="}]}]}"#, "app-f"),
            (#"{"appName":"app","url":"http://x.test","functions":[{"id":"app-f","triggers":[{"cron":"not a cron"}]}]}"#, "cron"),
            (#"{"appName":"app","url":"http://x.test","functions":[{"id":"app-f","triggers":[{"event":"a"}],"debounce":{"period":"5s"},"batchEvents":{"maxSize":5,"timeout":"5s"}}]}"#, "batch"),
            (#"{"appName":"app","url":"http://x.test","functions":[{"id":"app-f","triggers":[{"event":"a"}]},{"id":"app-f","triggers":[{"event":"b"}]}]}"#, "twice"),
        ]
        for (body, mentions) in bad {
            let response = await post(dev, "/fn/register", body)
            #expect(response.status == 400, "\(body)")
            #expect(response.json?["error"]?.stringValue?.lowercased().contains(mentions.lowercased()) == true, "\(body): \(response.bodyText)")
        }
        // The app's earlier sync still stands.
        #expect(try await dev.engine.syncedApps().first?.functionIDs == ["app-echo"])
        let event = try await dev.send("app/echo", ["still": "works"])
        #expect(try await dev.run(startedBy: event).run.status == .completed)

        let wrongKind = await post(
            dev, "/fn/register", #"{"appName":"x","url":"http://x.test","functions":[]}"#,
            headers: [.inngestExpectedServerKind: "cloud"])
        #expect(wrongKind.status == 400)
        #expect(wrongKind.json?["error"]?.stringValue?.contains("cloud") == true)
    }

    @Test func withASigningKeyTheSDKAPIRequiresTheBearerToken() async throws {
        let key = SigningKey("signkey-test-12345678")
        let dev = try await DevHarness(signingKey: key)
        let body = #"{"appName":"keyed","url":"http://keyed.test/api/inngest","functions":[]}"#
        let unsigned = await post(dev, "/fn/register", body)
        #expect(unsigned.status == 401)
        #expect(!unsigned.bodyText.contains("12345678"))
        #expect(await post(dev, "/fn/register", body, headers: [.authorization: "Bearer signkey-test-0000"]).status == 401)
        #expect(await post(dev, "/fn/register", body, headers: [.authorization: "Bearer \(key.bearerToken)"]).status == 200)
        #expect(await get(dev, "/v1/runs/01X").status == 401)
        #expect(await get(dev, "/v1/runs/01X", headers: [.authorization: "Bearer signkey-test-12345678"]).status == 404)
    }

    @Test func unknownRoutesGet404() async throws {
        let dev = try await DevHarness()
        #expect(await get(dev, "/nope").status == 404)
        #expect(await post(dev, "/v1/nope", "").status == 404)
        // A route that takes other methods says which.
        #expect(await post(dev, "/v1/runs", "").status == 405)
    }
}
