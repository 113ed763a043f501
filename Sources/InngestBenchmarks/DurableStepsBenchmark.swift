import Crypto
import Foundation
import InMemoryTracing
import Inngest
import InngestEngine

/// Durable steps per second: 1,000 runs of 100 trivial steps each, all started at once.
/// Every step's result is committed (fsync'd) before its run continues.
///
///     inngest-benchmarks steps [plain|middleware|codec|traced] [RUNS] [STEPS]
///
/// RUNS × STEPS defaults to 1,000 × 100. Besides the sentence, one `PEER-RESULT {json}` line
/// (wall and CPU seconds of the workload) for Benchmarks/Peers.
///
/// `middleware`: one pass-through middleware (every hook's default); `codec`: every step output
/// and event encrypted with AES-256-GCM; `traced`: spans of runs and step attempts kept by
/// swift-distributed-tracing's in-memory tracer.
enum DurableStepsBenchmark {
    static let defaultRuns = 1_000
    static let defaultStepsPerRun = 100

    struct PassThrough: InngestMiddleware {}

    static func run() async throws {
        let variant = CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : "plain"
        var options = Engine.Options()
        switch variant {
        case "plain": break
        case "middleware": options.middleware = [PassThrough()]
        case "codec": options.middleware = [PayloadCodecMiddleware(codec: try AESGCMPayloadCodec(current: .init(id: "k", key: SymmetricKey(size: .bits256))))]
        case "traced": options.tracer = InMemoryTracer(recordInjections: false, recordExtractions: false)
        default: throw BenchmarkUsageError("steps takes plain, middleware, codec or traced, not \(variant)")
        }
        let runs = try positiveArgument(3, default: defaultRuns, name: "RUNS")
        let stepsPerRun = try positiveArgument(4, default: defaultStepsPerRun, name: "STEPS")
        let steps = InngestFunction(.init(id: "hundred-steps", trigger: .event("bench/steps"))) { (ctx: Context<JSONValue>) -> Int in
            var total = 0
            for index in 0..<stepsPerRun {
                total += try await ctx.step.run("step") { index }
            }
            return total
        }
        let engine = try Engine(appID: "bench", databasePath: temporaryDatabasePath("steps"), functions: [steps], options: options)
        try await engine.start()
        let cpuBefore = processCPUSeconds()
        let start = ContinuousClock.now
        try await engine.send((0..<runs).map { _ in AnyEvent(name: "bench/steps") })
        while try await engine.runCount(function: "hundred-steps", status: .completed) < runs {
            try await Task.sleep(for: .milliseconds(20))
        }
        let elapsed = seconds(since: start)
        let cpu = processCPUSeconds() - cpuBefore
        let total = Double(runs * stepsPerRun)
        let statistics = engine.writeStatistics
        print(
            """
            durable steps (\(variant)): \(runs) runs x \(stepsPerRun) steps in \(format(elapsed, 2)) s = \(format(total / elapsed, 0)) steps/s \
            (\(statistics.transactions) transactions, \(format(Double(statistics.writes) / Double(max(1, statistics.transactions)))) writes each)
            """)
        printPeerResult(["runs": Double(runs), "steps": Double(stepsPerRun), "wall": elapsed, "cpu": cpu])
    }
}
