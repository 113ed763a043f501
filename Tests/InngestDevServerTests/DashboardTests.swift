import Foundation
import HTTPTypes
import Inngest
import InngestEngine
import Testing

@testable import InngestDashboard
@testable import InngestDevServer

/// The dashboard and the run-control API through the dev server: pages escape what runs and
/// events hold, actions come only from this server's pages, a signing key guards everything,
/// and the API's shapes and errors. (The browser test, Tests/Browser, drives the same pages in Chromium.)
@Suite struct DashboardTests {
    private func request(
        _ dev: DevHarness, _ method: HTTPRequest.Method, _ path: String, _ body: String = "", headers: HTTPFields = [:]
    ) async -> HTTPResponseMessage {
        await dev.server.handle(HTTPRequestMessage(method: method, url: DevHarness.devOrigin + path, headerFields: headers, body: Array(body.utf8)))
    }

    private static let json: HTTPFields = [.contentType: "application/json"]

    private static let echo = InngestFunction(.init(id: "echo", trigger: .event("app/echo"))) { (ctx: Context<JSONValue>) -> JSONValue in
        try await ctx.step.run("copy") { ctx.event.data }
    }

    @Test func pagesShowMarkupFromEventsAndOutputsAsText() async throws {
        let dev = try await DevHarness()
        _ = try await dev.serve("app", [Self.echo])
        let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
        let sent = await request(dev, .post, "/v1/events", #"{"name": "app/echo", "data": {"note": "\#(hostile)"}}"#, headers: Self.json)
        #expect(sent.status == 200)
        let eventID = try #require(sent.json?["ids"]?[0]?.stringValue)
        await dev.engine.settle()
        let runID = try #require(try await dev.engine.runs(startedByEvent: eventID).first { $0.status == .completed }?.id)
        for path in ["/runs/\(runID)", "/events/\(eventID)", "/runs", "/events"] {
            let page = await request(dev, .get, path)
            #expect(page.status == 200, "\(path)")
            #expect(!page.bodyText.contains("<script>alert"), "\(path) holds the markup unescaped")
            #expect(!page.bodyText.contains("<img src=x"), "\(path) holds the markup unescaped")
            #expect(page.headerFields[HTTPField.Name("Content-Security-Policy")!]?.contains("script-src 'self'") == true)
        }
        let runPage = await request(dev, .get, "/runs/\(runID)").bodyText
        #expect(runPage.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(runPage.contains("data-step=\"copy\""))
    }

    @Test func theRunAPIGivesStepsAndEventsAndTheListPagesByCursor() async throws {
        let dev = try await DevHarness()
        _ = try await dev.serve("app", [Self.echo])
        for index in 0..<5 {
            #expect(await request(dev, .post, "/v1/events", #"{"name": "app/echo", "data": {"n": \#(index)}}"#, headers: Self.json).status == 200)
        }
        await dev.engine.settle()
        #expect(try await dev.engine.runCount(status: .completed) == 5)
        let first = await request(dev, .get, "/v1/runs?limit=3&function_id=app-echo&status=completed")
        #expect(first.status == 200)
        #expect(first.json?["data"]?.arrayValue?.count == 3)
        let cursor = try #require(first.json?["metadata"]?["next_cursor"]?.stringValue)
        let second = await request(dev, .get, "/v1/runs?limit=3&cursor=\(cursor)")
        #expect(second.json?["data"]?.arrayValue?.count == 2)
        #expect(second.json?["metadata"]?["next_cursor"] == .null)
        let runID = try #require(first.json?["data"]?[0]?["run_id"]?.stringValue)
        let run = await request(dev, .get, "/v1/runs/\(runID)")
        #expect(run.json?["data"]?["status"] == "Completed")
        #expect(run.json?["data"]?["steps"]?[0]?["name"] == "copy")
        #expect(run.json?["data"]?["steps"]?[0]?["output"]?["n"] != nil)
        #expect(run.json?["data"]?["steps"]?[0]?["output"] == run.json?["data"]?["events"]?[0]?["data"])
        #expect(run.json?["data"]?["events"]?[0]?["name"] == "app/echo")

        #expect(await request(dev, .get, "/v1/runs?status=sleepy").status == 400)
        #expect(await request(dev, .get, "/v1/runs?limit=0").status == 400)
        #expect(await request(dev, .get, "/v1/runs?cursor=bad").status == 400)
        #expect(await request(dev, .get, "/v1/runs?function_id=nope").status == 404)
        #expect(await request(dev, .get, "/v1/runs/01NOPE").status == 404)
        #expect(await request(dev, .get, "/runs/01NOPE").status == 404)
        #expect(await request(dev, .get, "/runs/01NOPE").headerFields[.contentType]?.hasPrefix("text/html") == true)
    }

    @Test func invokeRerunAndBulkCancelThroughTheAPI() async throws {
        let dev = try await DevHarness()
        let sleeper = InngestFunction(.init(id: "sleeper", trigger: .event("app/sleep"))) { (ctx: Context<JSONValue>) -> Int in
            try await ctx.step.sleep("long", "1d")
            return 1
        }
        _ = try await dev.serve("app", [Self.echo, sleeper])
        // A synced function is listed under its wire id once, as the app registered it.
        let listed = await request(dev, .get, "/v1/functions/app-echo")
        #expect(listed.json?["data"]?["id"] == "app-echo")
        #expect(listed.json?["data"]?["configuration"]?["id"] == "app-echo")
        #expect(listed.json?["data"]?["name"] == "echo")
        let invoked = await request(dev, .post, "/v1/functions/app-echo/invoke", #"{"data": {"x": 1}}"#, headers: Self.json)
        #expect(invoked.status == 201)
        let runID = try #require(invoked.json?["data"]?["run_id"]?.stringValue)
        await dev.engine.settle()
        #expect(try await dev.engine.run(id: runID)?.run.output?["x"] == 1)
        #expect(await request(dev, .post, "/v1/functions/app-echo/invoke", #"{"data": [1]}"#, headers: Self.json).status == 400)
        #expect(await request(dev, .post, "/v1/functions/app-nope/invoke", "{}", headers: Self.json).status == 404)

        let rerun = await request(dev, .post, "/v1/runs/\(runID)/rerun", "{}", headers: Self.json)
        #expect(rerun.status == 201)
        #expect(rerun.json?["data"]?["rerun_of"]?.stringValue == runID)
        #expect(await request(dev, .post, "/v1/runs/\(runID)/rerun", #"{"from_step": "nope"}"#, headers: Self.json).status == 404)

        for _ in 0..<3 { #expect(await request(dev, .post, "/v1/events", #"{"name": "app/sleep"}"#, headers: Self.json).status == 200) }
        await dev.engine.settle()
        #expect(try await dev.engine.runCount(function: "app-sleeper", status: .waiting) == 3)
        let cancelled = await request(dev, .post, "/v1/cancellations", #"{"app_id": "app", "function_id": "sleeper"}"#, headers: Self.json)
        #expect(cancelled.status == 200)
        #expect(cancelled.json?["cancelled"] == 3)
        #expect(try await dev.engine.runCount(function: "app-sleeper", status: .cancelled) == 3)
        #expect(await request(dev, .post, "/v1/cancellations", #"{"app_id": "app", "function_id": "sleeper", "started_after": "yesterday"}"#, headers: Self.json).status == 400)
    }

    @Test func aRunWhoseFunctionIsGoneCannotBeRerun() async throws {
        let dev = try await DevHarness()
        _ = try await dev.serve("app", [Self.echo])
        let sent = await request(dev, .post, "/v1/events", #"{"name": "app/echo", "data": {"n": 1}}"#, headers: Self.json)
        await dev.engine.settle()
        let eventID = try #require(sent.json?["ids"]?[0]?.stringValue)
        let runID = try #require(try await dev.engine.runs(startedByEvent: eventID).first?.id)
        #expect(await request(dev, .get, "/runs/\(runID)").bodyText.contains("data-label=\"rerun\""))
        // The app syncs again without the function.
        _ = try await dev.serve("app", [])
        let refused = await request(dev, .post, "/v1/runs/\(runID)/rerun", "{}", headers: Self.json)
        #expect(refused.status == 400)
        #expect(refused.json?["error"]?.stringValue?.contains("no longer registered") == true, "\(refused.bodyText)")
        let page = await request(dev, .get, "/runs/\(runID)")
        #expect(page.status == 200, "the run is still shown")
        #expect(!page.bodyText.contains("data-label=\"rerun\""), "no rerun button for a function that is gone")
    }

    @Test func actionsComeOnlyFromThisServersPagesAndHosts() async throws {
        let dev = try await DevHarness()
        _ = try await dev.serve("app", [Self.echo])
        let body = #"{"name": "app/echo"}"#
        let foreign = await request(dev, .post, "/v1/events", body, headers: [.contentType: "application/json", .origin: "http://evil.example"])
        #expect(foreign.status == 403)
        let form = await request(dev, .post, "/v1/events", "name=app/echo", headers: [.contentType: "application/x-www-form-urlencoded"])
        #expect(form.status == 415)
        let rebound = await dev.server.handle(
            HTTPRequestMessage(method: .get, url: "http://evil.example:8288/v1/runs"))
        #expect(rebound.status == 403)
        let page = await dev.server.handle(HTTPRequestMessage(method: .get, url: "http://evil.example:8288/runs"))
        #expect(page.status == 403)
        let sameOrigin = await request(dev, .post, "/v1/events", body, headers: [.contentType: "application/json", .origin: "http://localhost:8288"])
        #expect(sameOrigin.status == 200)
        #expect(try await dev.engine.events(named: "app/echo").count == 1, "only the same-origin send stored an event")
    }

    @Test func withASigningKeyEveryPageNeedsTheKeyOrTheLoginCookie() async throws {
        let key = SigningKey("signkey-test-12345678")
        let dev = try await DevHarness(signingKey: key)
        let page = await request(dev, .get, "/runs")
        #expect(page.status == 303)
        #expect(page.headerFields[.location] == "/login")
        #expect(await request(dev, .get, "/v1/runs").status == 401)
        #expect(await request(dev, .get, "/assets/dashboard.css").status == 200)
        let wrong = await request(dev, .post, "/login", "key=signkey-test-0000", headers: [.contentType: "application/x-www-form-urlencoded"])
        #expect(wrong.status == 401)
        #expect(wrong.headerFields[.setCookie] == nil)
        let login = await request(dev, .post, "/login", "key=signkey-test-12345678", headers: [.contentType: "application/x-www-form-urlencoded"])
        #expect(login.status == 303)
        let cookie = try #require(login.headerFields[.setCookie])
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        #expect(!cookie.contains("12345678"), "the cookie is derived from the key, not the key")
        let pair = String(cookie.split(separator: ";")[0])
        #expect(await request(dev, .get, "/runs", headers: [.cookie: pair]).status == 200)
        #expect(await request(dev, .get, "/v1/runs", headers: [.cookie: pair]).status == 200)
        #expect(await request(dev, .get, "/v1/runs", headers: [.authorization: "Bearer \(key.bearerToken)"]).status == 200)
        #expect(await request(dev, .get, "/runs", headers: [.cookie: "inngest_dashboard=00"]).status == 303)
    }
}
