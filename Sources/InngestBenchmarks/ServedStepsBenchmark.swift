import Foundation
import Hummingbird
import Inngest
import InngestDevServer
import InngestDevServerHummingbird
import InngestEngine
import InngestHummingbird
import Synchronization

/// A Swift function of many steps served over HTTP on loopback and driven by the dev server
/// (an engine on a SQLite file behind Hummingbird, calling the app with AsyncHTTPClient),
/// once with checkpointing offered and once without, in one process and one run.
///
/// Without checkpointing every step is a call, and each call replays the function from the
/// top: n calls and O(n²) replay for n steps. With it, the app runs the steps in one call and
/// posts each to `/v1/checkpoint/{runId}/async`, which commits it before the app goes on.
/// CPU time is the whole process's (server, app and both HTTP stacks).
///
/// With checkpointing it is measured at each of the given buffered-step counts (the app's
/// `CheckpointingOptions.bufferedSteps`; 1, the default, stores every step before the next).
///
///     inngest-benchmarks served [runs] [steps] [buffered steps…]
enum ServedStepsBenchmark {
    struct Result {
        let seconds: Double
        let cpuSeconds: Double
        let calls: Int
        let checkpoints: Int
    }

    static func run() async throws {
        let arguments = CommandLine.arguments.dropFirst(2).compactMap { Int($0) }
        let runs = arguments.first ?? 20
        let steps = arguments.dropFirst().first ?? 100
        let bufferings = arguments.count > 2 ? Array(arguments.dropFirst(2)) : [1, 10, 100]
        guard (1...10_000).contains(runs), (1...1_000).contains(steps), bufferings.allSatisfy({ (1...1_000).contains($0) }) else {
            throw BenchmarkUsageError("served takes 1…10000 runs, 1…1000 steps and buffered-step counts of 1…1000")
        }
        print("a served \(steps)-step function over loopback HTTP, \(runs) runs started at once (SQLite WAL, synchronous=FULL):")
        // Warm-up: connections, code paths and the first pages of a database.
        _ = try await measure(runs: 2, steps: steps, checkpointing: true)
        let without = try await measure(runs: runs, steps: steps, checkpointing: false)
        report("without checkpointing", without, runs: runs, steps: steps)
        for buffered in bufferings {
            let with = try await measure(runs: runs, steps: steps, checkpointing: true, bufferedSteps: buffered)
            report("checkpointing, \(buffered) buffered", with, runs: runs, steps: steps)
            print(
                "    ratio to without: steps/s \(format(without.seconds / with.seconds, 2))×, "
                    + "CPU per step \(format(with.cpuSeconds / without.cpuSeconds, 3))")
        }
    }

    private static func report(_ label: String, _ result: Result, runs: Int, steps: Int) {
        let total = Double(runs * steps)
        print(
            "  \(label): \(Int(total / result.seconds)) steps/s (\(format(result.seconds, 2)) s), "
                + "CPU \(format(result.cpuSeconds, 2)) s = \(format(result.cpuSeconds / total * 1e6)) µs/step; "
                + "\(result.calls) calls to the app, \(result.checkpoints) requests from it (checkpoints and the sync)")
    }

    static func measure(runs: Int, steps: Int, checkpointing: Bool, bufferedSteps: Int = 1) async throws -> Result {
        let function = InngestFunction(.init(id: "steps", trigger: .event("bench/served"))) { (ctx: Context<JSONValue>) -> Int in
            var total = 0
            for index in 0..<steps {
                total += try await ctx.step.run("step") { index }
            }
            return total
        }
        let expected = (0..<steps).reduce(0, +)
        let transport = CountingTransport(AsyncHTTPClientTransport(maxConnectionsPerHost: 64, timeout: .seconds(600)))
        var options = Engine.Options(appTransport: transport)
        options.maxConcurrentCallsPerApp = 64
        options.offersCheckpointing = checkpointing
        let engine = try Engine(appID: "bench-dev", databasePath: temporaryDatabasePath("served"), functions: [], options: options)
        try await engine.start()
        let server = DevServer(engine: engine, transport: transport)
        let devRouter = Router()
        devRouter.addInngestDevServer(server)
        let devPort = Mutex<Int?>(nil)
        let devApplication = Application(
            router: devRouter, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in devPort.withLock { $0 = channel.localAddress?.port } })

        let appTransport = CountingTransport(AsyncHTTPClientTransport(maxConnectionsPerHost: 64, timeout: .seconds(600)))
        let appPort = Mutex<Int?>(nil)
        let result: Result
        do {
            result = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await devApplication.runService() }
                let dev = try await port(of: devPort)
                var configuration = InngestConfiguration(appID: "bench-app", mode: .dev, apiBaseURL: "http://127.0.0.1:\(dev)", eventAPIBaseURL: "http://127.0.0.1:\(dev)")
                configuration.checkpointing = CheckpointingOptions(bufferedSteps: bufferedSteps)
                let handler = InngestServeHandler(client: InngestClient(configuration: configuration, transport: appTransport), functions: [function])
                let appRouter = Router()
                appRouter.addInngest(handler)
                let appApplication = Application(
                    router: appRouter, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                    onServerRunning: { channel in appPort.withLock { $0 = channel.localAddress?.port } })
                group.addTask { try await appApplication.runService() }
                let app = try await port(of: appPort)
                try await server.syncApp(at: "http://127.0.0.1:\(app)/api/inngest")

                let start = ContinuousClock.now
                let cpu = processCPUSeconds()
                let ids = try await engine.send((0..<runs).map { _ in AnyEvent(name: "bench/served") })
                await engine.settle()
                let elapsed = seconds(since: start)
                let cpuSeconds = processCPUSeconds() - cpu
                for id in ids {
                    guard let run = try await engine.runs(startedByEvent: id).first, run.output == .integer(Int64(expected)) else {
                        throw BenchmarkUsageError("a served run did not complete with \(expected)")
                    }
                }
                group.cancelAll()
                return Result(seconds: elapsed, cpuSeconds: cpuSeconds, calls: transport.count, checkpoints: appTransport.count)
            }
        } catch {
            await engine.shutdown()
            try await transport.base.shutdown()
            try await appTransport.base.shutdown()
            throw error
        }
        await engine.shutdown()
        try await transport.base.shutdown()
        try await appTransport.base.shutdown()
        return result
    }

    private static func port(of box: borrowing Mutex<Int?>) async throws -> Int {
        for _ in 0..<500 {
            if let port = box.withLock({ $0 }) { return port }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw BenchmarkUsageError("a server did not start listening")
    }

    /// Counts the requests a transport sends (calls to the app, checkpoints from it).
    final class CountingTransport: HTTPTransport {
        let base: AsyncHTTPClientTransport
        private let sent = Atomic<Int>(0)
        init(_ base: AsyncHTTPClientTransport) { self.base = base }
        var count: Int { sent.load(ordering: .relaxed) }
        func send(_ request: HTTPRequestMessage) async throws -> HTTPResponseMessage {
            sent.add(1, ordering: .relaxed)
            return try await base.send(request)
        }
    }
}
