import Foundation
import Inngest
import InngestTesting
import Synchronization
import Testing

@testable import InngestEngine

/// A burst holds ids, not tasks: at most `maxActiveRuns` executions besides the parked ones,
/// the others waiting as ids until an execution ends, and every run still finishes.
@Suite struct ActiveRunLimitTests {
    static func engine(_ functions: [InngestFunction], maxParked: Int, maxActive: Int, clock: TestClock = TestClock()) async throws -> Engine {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-active-\(UUID().uuidString)/engine.sqlite").path
        var options = Engine.Options(clock: clock, maxParkedRuns: maxParked)
        options.maxActiveRuns = maxActive
        let engine = try Engine(appID: "limits", databasePath: path, functions: functions, options: options)
        try await engine.start()
        return engine
    }

    @Test(.timeLimit(.minutes(1))) func aBurstStartsAtMostTheLimitAndTheRestWaitAsIDs() async throws {
        let released = Atomic<Bool>(false)
        let running = Atomic<Int>(0)
        let most = Atomic<Int>(0)
        let slow = InngestFunction(.init(id: "slow", trigger: .event("test/slow"))) { (ctx: Context<JSONValue>) -> Int in
            try await ctx.step.run("work") { () -> Int in
                let now = running.add(1, ordering: .relaxed).newValue
                most.max(now, ordering: .relaxed)
                while !released.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(1)) }
                running.subtract(1, ordering: .relaxed)
                return 1
            }
        }
        let engine = try await Self.engine([slow], maxParked: 0, maxActive: 2)
        try await engine.send((0..<10).map { _ in AnyEvent(name: "test/slow") })
        for _ in 0..<2_000 where running.load(ordering: .relaxed) < 2 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(running.load(ordering: .relaxed) == 2)
        #expect(engine.registry.activeCount == 2)
        #expect(engine.registry.waitingCount == 8)
        released.store(true, ordering: .releasing)
        await engine.settle()
        #expect(try await engine.runs(function: "slow").filter { $0.status == .completed }.count == 10)
        #expect(most.load(ordering: .relaxed) == 2, "never more than the limit at once")
        #expect(engine.registry.waitingCount == 0)
        await engine.shutdown()
    }

    @Test(.timeLimit(.minutes(1))) func parkedRunsLeaveTheActivePlacesAndEvictionMakesRoom() async throws {
        let clock = TestClock()
        let sleeper = InngestFunction(.init(id: "sleeper", trigger: .event("test/sleep"))) { (ctx: Context<JSONValue>) -> String in
            try await ctx.step.sleep("nap", "1h")
            return try await ctx.step.run("after") { "woke" }
        }
        // Three parked runs in memory and one active place: six runs must all park, the
        // oldest evicted to make room, then all finish after the hour.
        let engine = try await Self.engine([sleeper], maxParked: 3, maxActive: 1, clock: clock)
        try await engine.send((0..<6).map { _ in AnyEvent(name: "test/sleep") })
        await engine.settle()
        #expect(try await engine.runCount(function: "sleeper", status: .waiting) == 6)
        #expect(engine.registry.waitingCount == 0)
        await engine.letTimePass(.seconds(3_600), on: clock)
        #expect(try await engine.runs(function: "sleeper").allSatisfy { $0.status == .completed && $0.output == "woke" })
        await engine.shutdown()
    }

    @Test func theLimitMustBePositive() {
        var options = Engine.Options()
        options.maxActiveRuns = 0
        #expect(throws: EngineError.self) { try options.validate() }
    }
}
