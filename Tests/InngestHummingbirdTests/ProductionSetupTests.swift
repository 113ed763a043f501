import Foundation
import HTTPTypes
import Hummingbird
import Inngest
import InngestEngine
import InngestHummingbird
import Logging
import ServiceLifecycle
import Testing
import UnixSignals

struct OrderPlaced: EventPayload {
    static let eventName = "shop/order.placed"
    var id: String
}

enum Functions {
    static let fulfil = InngestFunction(.init(id: "fulfil", trigger: .event(OrderPlaced.eventName))) { (ctx: Context<OrderPlaced>) -> String in
        try await ctx.step.run("ship") { "shipped \(ctx.event.data.id)" }
    }
    static let all = [fulfil]
}

/// The "Running in production" article's example, run: a Hummingbird app and the engine in one
/// `ServiceGroup`, an order posted over HTTP, the health route, and a graceful shutdown.
@Suite struct ProductionSetupTests {
    static let port = Int.random(in: 20_000...40_000)

    /// The production article's example, with the test's database path and port (see the last test).
    static func makeGroup(databasePath: String) throws -> (ServiceGroup, Engine) {
        // Article: begin
        let logger = Logger(label: "shop")
        let engine = try Engine(appID: "shop", databasePath: databasePath, functions: Functions.all)
        let router = Router()
        router.post("/orders") { request, context in
            try await engine.send(Event(OrderPlaced(id: "o-1")))
            return HTTPResponse.Status.accepted
        }
        router.get("/health") { _, _ in await engine.health.isHealthy ? HTTPResponse.Status.ok : .serviceUnavailable }
        let app = Application(router: router, configuration: .init(address: .hostname("0.0.0.0", port: port)), logger: logger)
        // Services stop in reverse order: the HTTP server first, then the engine.
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: engine), .init(service: app)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        // Article: end
        return (group, engine)
    }

    @Test func theReadmeSetupServesRunsAndStopsGracefully() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-production-\(UUID().uuidString)")
            .appendingPathComponent("shop.sqlite").path
        let (group, engine) = try Self.makeGroup(databasePath: path)
        let running = Task { try await group.run() }
        let transport = AsyncHTTPClientTransport()
        let base = "http://127.0.0.1:\(Self.port)"
        var health: HTTPResponseMessage?
        for _ in 0..<500 {
            health = try? await transport.send(HTTPRequestMessage(method: .get, url: base + "/health"))
            if health?.status == .ok { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(health?.status == .ok)
        let posted = try await transport.send(HTTPRequestMessage(method: .post, url: base + "/orders"))
        #expect(posted.status == .accepted)
        for _ in 0..<500 where try await engine.runCount(status: .completed) < 1 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try await engine.runs().first?.output == "shipped o-1")
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(!(await engine.health.isHealthy))
        // The file is free: another engine opens it.
        _ = try Engine(appID: "shop", databasePath: path, functions: Functions.all)
        try await transport.shutdown()
    }

    @Test func theProductionArticleShowsThisSetup() throws {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let readme = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Sources/InngestEngine/InngestEngine.docc/RunningInProduction.md"), encoding: .utf8)
        let begin = try #require(source.range(of: "// Article: begin\n"))
        let end = try #require(source.range(of: "        // Article: end"))
        let example = source[begin.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.dropFirst(8)
                .replacingOccurrences(of: "databasePath: databasePath", with: #"databasePath: "/var/lib/shop/inngest.sqlite""#)
                .replacingOccurrences(of: "port: port", with: "port: 8080")
        }.joined(separator: "\n")
        #expect(readme.contains(example), "the production article's example must be this test's code:\n\(example)")
    }
}
