import Foundation
import Inngest
import InngestEngine

/// The durable-step path for an instruction count: `inngest-benchmarks step-path RUNS STEPS`
/// runs RUNS runs of STEPS trivial steps to the end, every step committed, and stops.
///
/// `Benchmarks/step-instructions.sh` runs it under callgrind with STEPS and with no steps and
/// divides the difference by the steps taken, so the process's start, the engine's and the
/// runs' own cost drop out. Instructions do not depend on the machine's load, so CI compares
/// them with a committed baseline.
enum StepPathBenchmark {
    struct UnfinishedRuns: Error, CustomStringConvertible {
        let completed: Int
        let expected: Int
        var description: String { "\(completed) of \(expected) runs completed" }
    }

    static func run() async throws {
        let counts = CommandLine.arguments.dropFirst(2).map { Int($0) }
        guard counts.count == 2, let runs = counts[0], let steps = counts[1], (1...10_000).contains(runs), (0...1_000).contains(steps) else {
            throw BenchmarkUsageError("step-path takes RUNS (1 to 10,000) and STEPS (0 to 1,000)")
        }
        let function = InngestFunction(.init(id: "step-path", trigger: .event("bench/step-path"))) { (ctx: Context<JSONValue>) -> Int in
            var total = 0
            for index in 0..<steps {
                total += try await ctx.step.run("step") { index }
            }
            return total
        }
        let engine = try Engine(appID: "bench", databasePath: temporaryDatabasePath("step-path"), functions: [function])
        try await engine.start()
        try await engine.send((0..<runs).map { _ in AnyEvent(name: "bench/step-path") })
        // Settling, not polling: a poll's timer and queries would be counted with the steps.
        await engine.settle()
        let completed = try await engine.runCount(function: "step-path", status: .completed)
        await engine.shutdown()
        guard completed == runs else { throw UnfinishedRuns(completed: completed, expected: runs) }
        print("step path: \(runs) runs x \(steps) steps completed")
    }
}
