import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Inngest
import InngestDashboard
import InngestDashboardHummingbird
import InngestDashboardMCP
import InngestEngine
import InngestHummingbird
import MCP
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The dashboard mounted on an app's own Hummingbird router over the embedded engine, over
/// real HTTP on loopback; and its MCP endpoint driven by the MCP SDK's own client.
@Suite struct EmbeddedDashboardTests {
    static let greet = InngestFunction(.init(id: "greet", trigger: .event("app/greet"))) { (ctx: Context<Greeting>) -> String in
        let hello = try await ctx.step.run("hello") { "hi \(ctx.event.data.name)" }
        return try await ctx.step.run("shout") { hello.uppercased() }
    }
    static let nap = InngestFunction(.init(id: "nap", trigger: .event("app/nap"))) { (ctx: Context<JSONValue>) -> Int in
        try await ctx.step.sleep("long", "1h")
        return 1
    }

    static func engine() async throws -> Engine {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-dashboard-\(UUID().uuidString)/engine.sqlite").path
        let engine = try Engine(appID: "shop", databasePath: path, functions: [greet, nap])
        try await engine.start()
        return engine
    }

    static func application(_ engine: Engine, endpoints: [any DashboardEndpoint] = []) -> some ApplicationProtocol {
        let router = Router()
        router.get("/") { _, _ in "the app's own page" }
        router.addInngestDashboard(engine, at: "/inngest", endpoints: endpoints)
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func get(_ port: Int, _ path: String) async throws -> HTTPResponseMessage {
        try await AsyncHTTPClientTransport().send(HTTPRequestMessage(method: .get, url: "http://127.0.0.1:\(port)\(path)"))
    }

    @Test func theDashboardShowsTheAppsOwnDatabaseAtItsMount() async throws {
        let engine = try await Self.engine()
        let eventID = try await engine.send(Event(name: "app/greet", data: Greeting(name: "Ada")))
        await engine.settle()
        let runID = try #require(try await engine.runs(startedByEvent: eventID).first?.id)
        try await Self.application(engine).test(.live) { client in
            let port = try #require(client.port)
            #expect(try await Self.get(port, "/").bodyText == "the app's own page")
            let runs = try await Self.get(port, "/inngest/runs")
            #expect(runs.status == 200)
            #expect(runs.bodyText.contains(runID))
            #expect(runs.bodyText.contains("href=\"/inngest/runs/\(runID)\""), "links stay under the mount")
            let run = try await Self.get(port, "/inngest/runs/\(runID)")
            #expect(run.bodyText.contains("data-step=\"shout\""))
            let api = try JSONText.read(try await Self.get(port, "/inngest/v1/runs/\(runID)").body)
            #expect(api["data"]?["output"] == "HI ADA")
            #expect(try await Self.get(port, "/inngest/assets/dashboard.js").status == 200)
            #expect(try await Self.get(port, "/inngest/mcp").status == 404, "no MCP endpoint unless one is given")
        }
        await engine.shutdown()
    }

    @Test func anMCPClientListsSendsReadsCancelsAndReruns() async throws {
        let engine = try await Self.engine()
        try await Self.application(engine, endpoints: [MCPEndpoint(engine: engine)]).test(.live) { client in
            let port = try #require(client.port)
            var crossSite = HTTPRequestMessage(
                method: .post, url: "http://127.0.0.1:\(port)/inngest/mcp", body: Array(#"{"jsonrpc":"2.0","id":1,"method":"initialize"}"#.utf8))
            crossSite.headerFields[.contentType] = "application/json"
            crossSite.headerFields[.origin] = "https://evil.example"
            let crossSiteAnswer = try await AsyncHTTPClientTransport().send(crossSite)
            #expect(crossSiteAnswer.status == 403, "the endpoint is behind the dashboard's origin check")
            #expect(try JSONText.read(crossSiteAnswer.body)["status"] == 403, "refused in JSON, as the API is")
            let mcp = Client(name: "inngest-tests", version: "1")
            let transport = HTTPClientTransport(endpoint: try #require(URL(string: "http://127.0.0.1:\(port)/inngest/mcp")), streaming: false)
            try await mcp.connect(transport: transport)
            let tools = try await mcp.listTools().tools.map(\.name)
            #expect(Set(tools) == ["list_functions", "send_event", "invoke_function", "list_runs", "get_run", "cancel_run", "rerun"])

            func call(_ name: String, _ arguments: [String: Value]) async throws -> (JSONValue, Bool) {
                let (content, isError) = try await mcp.callTool(name: name, arguments: arguments)
                guard case .text(let text, _, _) = try #require(content.first) else { throw CancellationError() }
                return (isError == true ? .string(text) : try JSONText.read(Array(text.utf8)), isError == true)
            }

            let (functions, _) = try await call("list_functions", [:])
            #expect(functions.arrayValue?.compactMap { $0["id"]?.stringValue }.sorted() == ["shop-greet", "shop-nap"])

            let (sent, _) = try await call("send_event", ["name": "app/greet", "data": ["name": "Lin"]])
            let eventID = try #require(sent["ids"]?[0]?.stringValue)
            await engine.settle()
            let runID = try #require(try await engine.runs(startedByEvent: eventID).first?.id)
            let (run, _) = try await call("get_run", ["run_id": .string(runID)])
            #expect(run["output"] == "HI LIN")
            #expect(run["steps"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["hello", "shout"])

            let (invoked, _) = try await call("invoke_function", ["function_id": "shop-nap"])
            let napRun = try #require(invoked["run_id"]?.stringValue)
            await engine.settle()
            let (listed, _) = try await call("list_runs", ["status": "waiting"])
            #expect(listed["runs"]?.arrayValue?.compactMap { $0["run_id"]?.stringValue } == [napRun])
            _ = try await call("cancel_run", ["run_id": .string(napRun)])
            #expect(try await engine.run(id: napRun)?.run.status == .cancelled)

            let (rerun, _) = try await call("rerun", ["run_id": .string(runID), "from_step": .string(StepIdentity.hash("shout"))])
            let newRun = try #require(rerun["run_id"]?.stringValue)
            await engine.settle()
            let detail = try #require(try await engine.run(id: newRun))
            #expect(detail.run.rerunOf == runID)
            #expect(detail.run.output == "HI LIN")

            let (missing, failed) = try await call("get_run", ["run_id": "01NOPE"])
            #expect(failed)
            #expect(missing.stringValue?.contains("01NOPE") == true)
            let (badStatus, refused) = try await call("list_runs", ["status": "sleepy"])
            #expect(refused)
            #expect(badStatus.stringValue?.contains("status") == true)
            await mcp.disconnect()
        }
        await engine.shutdown()
    }
}
