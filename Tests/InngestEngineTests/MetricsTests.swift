import Foundation
import Inngest
import InngestTesting
import Logging
import MetricsTestKit
import Synchronization
import Testing

@testable import InngestEngine

/// The engine's swift-metrics metrics, read from swift-metrics' test kit (given to the engine
/// as its factory: no global bootstrap).
@Suite struct MetricsTests {
    @Test func runsStepsEventsAndTheStoreAreCountedAndTimed() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-metrics-\(UUID().uuidString)")
            .appendingPathComponent("engine.sqlite").path
        let metrics = TestMetrics()
        let clock = TestClock()
        var options = Engine.Options(clock: clock, backoff: Backoff(base: .seconds(10), jitter: 0), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        options.metricsFactory = metrics
        let attempts = Atomic<Int>(0)
        let flaky = InngestFunction(.init(id: "flaky", trigger: .event("go"))) { (ctx: Context<JSONValue>) -> String in
            let value: String = try await ctx.step.run("work") {
                clock.advance(by: .seconds(2))  // the body takes 2 s on the engine's clock
                if attempts.add(1, ordering: .relaxed).oldValue == 0 { throw Flaky() }
                return "done"
            }
            try await ctx.step.sleep("rest", "1m")
            return value
        }
        let broken = InngestFunction(.init(id: "broken", trigger: .event("go"), retries: 0)) { (ctx: Context<JSONValue>) -> String in
            try await ctx.step.run("fails") { () async throws -> String in throw NonRetriableError("no") }
        }
        var limitedConfiguration = FunctionConfiguration(id: "limited", trigger: .event("limited"))
        limitedConfiguration.rateLimit = RateLimit(limit: 1, period: "1h")
        let limited = InngestFunction(limitedConfiguration) { (_: Context<JSONValue>) in }
        let engine = try Engine(appID: "app", databasePath: path, functions: [flaky, broken, limited], options: options)
        try await engine.start()
        clock.advance(by: .seconds(5))
        try await engine.send([AnyEvent(name: "go"), AnyEvent(name: "limited"), AnyEvent(name: "limited")])
        await engine.letTimePass(.seconds(120), on: clock)
        #expect(try await engine.runCount(status: .completed) == 2)

        #expect(try metrics.expectCounter("inngest.events.received").totalValue == 3)
        for function in ["flaky", "broken"] {
            #expect(try metrics.expectCounter("inngest.runs.started", [("inngest.function.id", function)]).totalValue == 1)
        }
        #expect(try metrics.expectCounter("inngest.runs.started", [("inngest.function.id", "limited")]).totalValue == 1)
        let ended = { (function: String, status: String) in
            try metrics.expectCounter("inngest.runs.ended", [("inngest.function.id", function), ("inngest.run.status", status)]).totalValue
        }
        #expect(try ended("flaky", "completed") == 1)
        #expect(try ended("broken", "failed") == 1)
        #expect(try ended("limited", "completed") == 1)
        #expect(try ended("limited", "skipped") == 1, "the rate limit skipped the second event's run")

        let steps = { (kind: String, outcome: String) in
            try metrics.expectCounter("inngest.steps", [("inngest.step.kind", kind), ("inngest.step.outcome", outcome)]).totalValue
        }
        #expect(try steps("run", "retrying") == 1)
        #expect(try steps("run", "completed") == 1)
        #expect(try steps("run", "failed") == 1)
        #expect(try steps("sleep", "parked") == 1)
        // Each attempt of `work` took 2 s on the engine's clock.
        let attempt = try metrics.expectTimer("inngest.step.duration", [("inngest.step.kind", "run"), ("inngest.step.outcome", "completed")])
        #expect(attempt.values == [2_000_000_000])
        // The flaky run: 2 s, 10 s backoff, 2 s, the 1 minute sleep: 74 s from event to end.
        let runDuration = try metrics.expectTimer("inngest.run.duration", [("inngest.function.id", "flaky"), ("inngest.run.status", "completed")])
        #expect(runDuration.values == [74_000_000_000])
        // Measured once per run, at its first body: the event came in at the same instant.
        #expect(try metrics.expectTimer("inngest.run.first_step.delay").values.count == 2)

        let transactions = try metrics.expectCounter("inngest.store.transactions").totalValue
        let writes = try metrics.expectRecorder("inngest.store.transaction.writes").values
        #expect(transactions > 0 && writes.count == Int(transactions))
        #expect(writes.reduce(0, +) == Double(engine.writeStatistics.writes))

        // Gauges: one run parked on a 1 h sleep, none running, nothing due.
        let sleeper = InngestFunction(.init(id: "sleeper", trigger: .event("nap"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.sleep("long", "1h")
        }
        await engine.shutdown()
        let second = try Engine(appID: "app", databasePath: path, functions: [sleeper], options: options)
        try await second.start()
        try await second.send([AnyEvent(name: "nap")])
        await second.settle()
        try await second.recordGauges()
        #expect(try metrics.expectGauge("inngest.runs.parked").lastValue == 1)
        #expect(try metrics.expectGauge("inngest.runs.running").lastValue == 0)
        #expect(try metrics.expectGauge("inngest.runs.in_memory").lastValue == 1)
        #expect(try metrics.expectGauge("inngest.timers.due").lastValue == 0)
        await second.shutdown()
    }
}
