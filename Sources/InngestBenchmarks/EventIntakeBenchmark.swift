import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Inngest
import InngestDevServer
import InngestDevServerHummingbird
import InngestEngine
import NIOCore
import NIOHTTP1
import Synchronization

/// Event intake of `inngest dev` over HTTP on loopback: 8 clients post to `POST /e/{key}` of
/// a dev server in this process (Hummingbird, an engine on a SQLite file), each waiting for
/// its answer before the next post. Single events and batches of 100, events that trigger
/// nothing and events that start a one-step run. CPU time is the whole process's (server
/// and clients).
enum EventIntakeBenchmark {
    static let clients = 8

    static func run() async throws {
        let oneStep = InngestFunction(.init(id: "one-step", trigger: .event("bench/start"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("only") { ctx.event.data["i"]?.integerValue ?? 0 }
        }
        var options = Engine.Options()
        options.maxParkedRuns = 1_000
        let engine = try Engine(appID: "bench", databasePath: temporaryDatabasePath("intake"), functions: [oneStep], options: options)
        try await engine.start()
        let server = DevServer(engine: engine, transport: NoApps())
        let router = Router()
        router.addInngestDevServer(server)
        let port = Mutex<Int?>(nil)
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } })
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = clients
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.runService() }
            while port.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
            let url = "http://127.0.0.1:\(port.withLock { $0 } ?? 0)/e/bench-key"
            print("event intake over HTTP, \(clients) clients, each posting after its previous answer:")
            // Warm-up: connections, caches, the first pages of the database.
            _ = try await measure(client: client, url: url, posts: 400, batch: 1, name: "bench/nothing")
            // The floor: the same clients and server answering `GET /health`, no engine work.
            let health = try await measure(client: client, url: url.replacingOccurrences(of: "/e/bench-key", with: "/health"), posts: 20_000, batch: 0, name: "")
            print(
                "  GET /health (HTTP alone): 20000 requests in \(format(health.seconds, 2)) s = \(Int(20_000 / health.seconds)) requests/s, "
                    + "p50 \(format(health.p50, 2)) ms, p99 \(format(health.p99, 2)) ms; CPU \(format(health.cpuMicrosecondsPerEvent(20_000))) µs/request")
            // The engine's share: the same single events sent by 8 tasks straight to `engine.send`.
            let direct = try await measureEngine(engine, sends: 40_000)
            print(
                "  engine.send alone (no HTTP), \(clients) senders, single events: 40000 events in \(format(direct.seconds, 2)) s = \(Int(40_000 / direct.seconds)) events/s, "
                    + "p50 \(format(direct.p50, 2)) ms, p99 \(format(direct.p99, 2)) ms; CPU \(format(direct.cpuMicrosecondsPerEvent(40_000))) µs/event")
            var runsStarted = 0
            for (label, posts, batch, name) in [
                ("single events, trigger nothing", 20_000, 1, "bench/nothing"),
                ("batches of 100, trigger nothing", 400, 100, "bench/nothing"),
                ("single events, each starts a one-step run", 20_000, 1, "bench/start"),
                ("batches of 100, each event starts a one-step run", 200, 100, "bench/start"),
            ] {
                let result = try await measure(client: client, url: url, posts: posts, batch: batch, name: name)
                await engine.settle()
                let events = posts * batch
                if name == "bench/start" { runsStarted += events }
                print(
                    "  \(label): \(events) events in \(format(result.seconds, 2)) s = \(Int(Double(events) / result.seconds)) events/s, "
                        + "per post p50 \(format(result.p50, 2)) ms, p99 \(format(result.p99, 2)) ms; CPU \(format(result.cpuMicrosecondsPerEvent(events))) µs/event")
            }
            if try await engine.runs(function: "one-step", status: .completed, limit: 100_000).count != runsStarted {
                throw BenchmarkFailure("not every one of the \(runsStarted) runs completed")
            }
            group.cancelAll()
        }
        try await client.shutdown()
    }

    private struct Result {
        var seconds: Double
        var p50: Double
        var p99: Double
        var cpuSeconds: Double

        func cpuMicrosecondsPerEvent(_ events: Int) -> Double { cpuSeconds / Double(events) * 1e6 }
    }

    private static func measureEngine(_ engine: Engine, sends: Int) async throws -> Result {
        let cpuStart = processCPUSeconds()
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for worker in 0..<clients {
                group.addTask {
                    var latencies: [Double] = []
                    for send in stride(from: worker, to: sends, by: clients) {
                        let event = AnyEvent(name: "bench/nothing", data: ["i": .integer(Int64(send)), "user": .string("u-\(send % 97)")])
                        let begin = ContinuousClock.now
                        try await engine.send([event])
                        latencies.append(seconds(since: begin) * 1_000)
                    }
                    return latencies
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all.sorted()
        }
        return Result(
            seconds: seconds(since: start), p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99),
            cpuSeconds: processCPUSeconds() - cpuStart)
    }

    private static func measure(client: HTTPClient, url: String, posts: Int, batch: Int, name: String) async throws -> Result {
        let cpuStart = processCPUSeconds()
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for worker in 0..<clients {
                group.addTask {
                    var latencies: [Double] = []
                    for post in stride(from: worker, to: posts, by: clients) {
                        let events = (0..<batch).map { index -> JSONValue in
                            ["name": .string(name), "data": ["i": .integer(Int64(post * batch + index)), "user": .string("u-\(post % 97)")]]
                        }
                        var request = HTTPClientRequest(url: url)
                        if batch > 0 {
                            request.method = .POST
                            request.headers.add(name: "Content-Type", value: "application/json")
                            request.body = .bytes(ByteBuffer(string: try JSONText.write(batch == 1 ? events[0] : .array(events))))
                        }
                        let begin = ContinuousClock.now
                        let response = try await client.execute(request, timeout: .seconds(60))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        guard response.status == .ok else { throw BenchmarkFailure("the event API answered \(response.status)") }
                        latencies.append(seconds(since: begin) * 1_000)
                    }
                    return latencies
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all.sorted()
        }
        return Result(
            seconds: seconds(since: start), p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99),
            cpuSeconds: processCPUSeconds() - cpuStart)
    }
}

/// The benchmark's dev server syncs no apps.
private struct NoApps: HTTPTransport {
    func send(_ request: HTTPRequestMessage) async throws -> HTTPResponseMessage { throw BenchmarkFailure("no apps in this benchmark") }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
