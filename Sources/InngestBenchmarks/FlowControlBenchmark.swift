import Foundation
import Inngest
import InngestEngine

/// The cost of concurrency keys: 100,000 events through a function whose steps are limited
/// per key over 1,000 keys, against the same function without flow control, in one run.
enum FlowControlBenchmark {
    static let events = 100_000
    static let keys = 1_000

    static func run() async throws {
        let plain = try await measure(concurrency: nil)
        let keyed = try await measure(concurrency: .limit(2, key: "event.data.key"))
        print(
            "flow control: \(events) events, 1 step each: without flow control \(format(plain, 0)) runs/s, "
                + "with a concurrency key over \(keys) keys \(format(keyed, 0)) runs/s; ratio \(format(keyed / plain, 2))")
    }

    static func measure(concurrency: Concurrency?) async throws -> Double {
        let function = InngestFunction(.init(id: "work", trigger: .event("bench/flow"), concurrency: concurrency)) { (ctx: Context<JSONValue>) -> Int in
            try await ctx.step.run("step") { 1 }
        }
        let engine = try Engine(appID: "bench", databasePath: temporaryDatabasePath("flow"), functions: [function])
        try await engine.start()
        let start = ContinuousClock.now
        for batch in 0..<(events / 1_000) {
            try await engine.send(
                (0..<1_000).map { index in
                    AnyEvent(name: "bench/flow", data: ["key": .integer(Int64((batch * 1_000 + index) % keys))])
                })
        }
        while try await engine.runCount(function: "work", status: .completed) < events {
            try await Task.sleep(for: .milliseconds(50))
        }
        let elapsed = seconds(since: start)
        await engine.shutdown()
        return Double(events) / elapsed
    }
}
