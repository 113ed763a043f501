import Foundation
import Inngest
import InngestEngine

/// Durable steps per second: 1,000 runs of 100 trivial steps each, all started at once.
/// Every step's result is committed (fsync'd) before its run continues.
enum DurableStepsBenchmark {
    static let runs = 1_000
    static let stepsPerRun = 100

    static func run() async throws {
        let steps = InngestFunction(.init(id: "hundred-steps", trigger: .event("bench/steps"))) { (ctx: Context<JSONValue>) -> Int in
            var total = 0
            for index in 0..<stepsPerRun {
                total += try await ctx.step.run("step") { index }
            }
            return total
        }
        let engine = try Engine(appID: "bench", databasePath: temporaryDatabasePath("steps"), functions: [steps])
        try await engine.start()
        let start = ContinuousClock.now
        try await engine.send((0..<runs).map { _ in AnyEvent(name: "bench/steps") })
        while try await engine.runCount(function: "hundred-steps", status: .completed) < runs {
            try await Task.sleep(for: .milliseconds(20))
        }
        let elapsed = seconds(since: start)
        let total = Double(runs * stepsPerRun)
        let statistics = engine.writeStatistics
        print(
            """
            durable steps: \(runs) runs x \(stepsPerRun) steps in \(format(elapsed, 2)) s = \(format(total / elapsed, 0)) steps/s \
            (\(statistics.transactions) transactions, \(format(Double(statistics.writes) / Double(max(1, statistics.transactions)))) writes each)
            """)
    }
}
