import Foundation
import Inngest
import InngestEngine
import InngestTesting

/// A 100-step run executed live (the embedded engine: the function's task continues after
/// each step is committed) against the same run driven as the wire protocol drives a served
/// function without checkpointing: one call per step, each replaying the run from the top
/// with every recorded step in its body. The served side is the SDK's serve handler called
/// in-process (no HTTP, no server-side storage): what replay costs on its own.
///
///     inngest-benchmarks replay [runs]
enum LiveVersusReplayBenchmark {
    static let stepsPerRun = 100

    static let function = InngestFunction(.init(id: "hundred-steps", trigger: .event("bench/replay"))) { (ctx: Context<JSONValue>) -> Int in
        var total = 0
        for index in 0..<stepsPerRun {
            total += try await ctx.step.run("step") { index }
        }
        return total
    }

    static func run() async throws {
        let runs = CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 200
        let expected = (0..<stepsPerRun).reduce(0, +)

        let engine = try Engine(appID: "bench", databasePath: temporaryDatabasePath("replay"), functions: [function])
        try await engine.start()
        let liveStart = ContinuousClock.now
        let liveCPU = processCPUSeconds()
        for _ in 0..<runs {
            // One run at a time, as the replayed runs below are driven.
            let id = try await engine.send([AnyEvent(name: "bench/replay")])[0]
            await engine.settle()
            guard try await engine.runs(startedByEvent: id).first?.output == .integer(Int64(expected)) else {
                throw BenchmarkUsageError("a live run did not complete with \(expected)")
            }
        }
        let live = (wall: seconds(since: liveStart), cpu: processCPUSeconds() - liveCPU)
        await engine.shutdown()

        let harness = ServeHarness(appID: "bench", functions: [function])
        let event = AnyEvent(name: "bench/replay", data: [:], id: "01JBENCHEVENT0000000000000", ts: 1_796_000_000_000)
        var calls = 0
        let replayStart = ContinuousClock.now
        let replayCPU = processCPUSeconds()
        for _ in 0..<runs {
            var steps: [String: JSONValue] = [:]
            while true {
                let call = try await harness.call(function, event: event, steps: steps)
                calls += 1
                if let output = call.output {
                    guard output == .integer(Int64(expected)) else { throw BenchmarkUsageError("a replayed run ended with \(output) after \(steps.count) steps") }
                    break
                }
                guard let op = call.ops.first, op.op == "StepRun", let data = op.data else {
                    throw BenchmarkUsageError("a replayed call answered \(call.status) \(call.ops.map(\.op))")
                }
                steps[op.id] = ["data": data]
            }
        }
        let replay = (wall: seconds(since: replayStart), cpu: processCPUSeconds() - replayCPU)
        print(
            """
            live vs replay: \(runs) runs of \(stepsPerRun) steps, one run at a time
              live (embedded engine, every step committed): \(format(live.wall, 2)) s, CPU \(format(live.cpu, 2)) s, \
            \(format(live.cpu / Double(runs * stepsPerRun) * 1e6, 1)) µs CPU per step
              replay (serve handler, one call per step, \(calls) calls): \(format(replay.wall, 2)) s, CPU \(format(replay.cpu, 2)) s, \
            \(format(replay.cpu / Double(runs * stepsPerRun) * 1e6, 1)) µs CPU per step
              replay / live: wall \(format(replay.wall / live.wall, 1))x, CPU \(format(replay.cpu / live.cpu, 1))x
            """)
    }
}
