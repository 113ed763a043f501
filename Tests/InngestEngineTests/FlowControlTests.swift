import Foundation
import GRDB
import Inngest
import InngestTesting
import Synchronization
import Testing

@testable import InngestEngine

/// Holds step bodies until the test lets them go, and records how many ran at once.
final class Gate: Sendable {
    private struct State {
        var waiting: [CheckedContinuation<Void, Never>] = []
        var running = 0
        var peak = 0
        var order: [String] = []
    }

    private let state = Mutex(State())

    func enter(_ name: String) async {
        await withCheckedContinuation { continuation in
            state.withLock { state in
                state.running += 1
                state.peak = max(state.peak, state.running)
                state.order.append(name)
                state.waiting.append(continuation)
            }
        }
        state.withLock { $0.running -= 1 }
    }

    /// Lets every body currently held go.
    func openAll() {
        let waiting = state.withLock { state in
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    var held: Int { state.withLock { $0.waiting.count } }
    var peak: Int { state.withLock { $0.peak } }
    var order: [String] { state.withLock { $0.order } }
}

@Suite struct FlowControlTests {
    @Test func aSingletonKeyFindsItsRunsThroughThePartialIndex() async throws {
        let harness = try await Harness([])
        let plan = try await harness.engine.database.read { database in
            try Row.fetchAll(database, sql: "EXPLAIN QUERY PLAN " + Runs.liveOfSingletonKey, arguments: ["f", "k", "queued", "running", "waiting"])
                .map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX runs_by_singleton (function_id=? AND singleton_key=? AND status=?)") })
        // Only the runs that have a key are in it: every other run's insert and status change skip it.
        let definition = try await harness.engine.database.read { database in
            try String.fetchOne(database, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'runs_by_singleton'")
        }
        #expect(definition?.hasSuffix("WHERE singleton_key IS NOT NULL") == true, "\(definition ?? "no index")")
    }

    static func noop(_ id: String, _ configure: (inout FunctionConfiguration) -> Void) -> InngestFunction {
        var configuration = FunctionConfiguration(id: id, trigger: .event("go"))
        configure(&configuration)
        return InngestFunction(configuration) { (_: Context<JSONValue>) in }
    }

    func statuses(_ harness: Harness, _ function: String) async throws -> [RunStatus] {
        try await harness.engine.runs(function: function).map(\.status).sorted { $0.rawValue < $1.rawValue }
    }

    @Test func rateLimitSkipsAndRecordsTheExcess() async throws {
        let harness = try await Harness([Self.noop("limited") { $0.rateLimit = RateLimit(limit: 2, period: "1h", key: "event.data.user") }])
        try await harness.engine.send((0..<3).map { _ in AnyEvent(name: "go", data: ["user": "a"]) } + [AnyEvent(name: "go", data: ["user": "b"])])
        await harness.engine.settle()
        #expect(try await statuses(harness, "limited") == [.completed, .completed, .completed, .skipped])
        let skipped = try await harness.engine.runs(function: "limited", status: .skipped)
        #expect(skipped.first?.error?.message == "rate limit of 2 per 1h reached for key \"a\"")
        await harness.advance(by: .seconds(3_600))
        try await harness.engine.send([AnyEvent(name: "go", data: ["user": "a"])])
        await harness.engine.settle()
        #expect(try await harness.engine.runs(function: "limited", status: .completed).count == 4)
    }

    @Test func aKeyThatYieldsNothingIsOneSharedKey() async throws {
        let harness = try await Harness([Self.noop("limited") { $0.rateLimit = RateLimit(limit: 1, period: "1h", key: "event.data.user") }])
        try await harness.engine.send([AnyEvent(name: "go"), AnyEvent(name: "go", data: ["user": nil]), AnyEvent(name: "go", data: ["user": "x"])])
        await harness.engine.settle()
        #expect(try await statuses(harness, "limited") == [.completed, .completed, .skipped])
    }

    @Test func idempotencyStartsOneRunPerKeyIn24Hours() async throws {
        let harness = try await Harness([Self.noop("once") { $0.idempotency = "event.data.order" }])
        try await harness.engine.send([AnyEvent(name: "go", data: ["order": 1]), AnyEvent(name: "go", data: ["order": 1]), AnyEvent(name: "go", data: ["order": 2])])
        await harness.engine.settle()
        #expect(try await statuses(harness, "once") == [.completed, .completed, .skipped])
        await harness.advance(by: .seconds(86_400))
        try await harness.engine.send([AnyEvent(name: "go", data: ["order": 1])])
        await harness.engine.settle()
        #expect(try await harness.engine.runs(function: "once", status: .completed).count == 3)
    }

    @Test func throttleLetsABurstThroughThenSpacesRuns() async throws {
        let harness = try await Harness([Self.noop("throttled") { $0.throttle = Throttle(limit: 1, period: "1m", burst: 3) }])
        let start = harness.clock.now()
        try await harness.engine.send((0..<5).map { _ in AnyEvent(name: "go") })
        await harness.engine.settle()
        #expect(try await harness.engine.runs(function: "throttled", status: .completed).count == 3)
        #expect(try await harness.engine.runs(function: "throttled", status: .queued).count == 2)
        await harness.advance(by: .seconds(120))
        let runs = try await harness.engine.runs(function: "throttled")
        #expect(runs.allSatisfy { $0.status == .completed })
        let starts = runs.compactMap(\.startedAt).map { $0.timeIntervalSince(start).rounded() }.sorted()
        #expect(starts == [0, 0, 0, 60, 120])
    }

    @Test func debounceRunsOnceWithTheLastEvent() async throws {
        let seen = Mutex<[JSONValue]>([])
        let debounced = InngestFunction(.init(id: "debounced", trigger: .event("go"), debounce: Debounce(period: "5m", key: "event.data.user"))) { (ctx: Context<JSONValue>) in
            seen.withLock { $0.append(ctx.event.data["n"] ?? .null) }
        }
        let harness = try await Harness([debounced])
        let start = harness.clock.now()
        for n in 1...3 {
            try await harness.engine.send([AnyEvent(name: "go", data: ["user": "u", "n": .integer(Int64(n))])])
            await harness.advance(by: .seconds(120))
        }
        #expect(try await harness.engine.runs(function: "debounced").isEmpty)
        await harness.advance(by: .seconds(180))
        let runs = try await harness.engine.runs(function: "debounced")
        #expect(runs.count == 1)
        #expect(seen.withLock { $0 } == [3])
        // Five minutes after the last event, which came at 4 minutes.
        #expect(runs.first?.startedAt.map { $0.timeIntervalSince(start).rounded() } == 540)
    }

    @Test func debounceTimeoutCapsTheDelay() async throws {
        let harness = try await Harness([Self.noop("capped") { $0.debounce = Debounce(period: "5m", timeout: "7m") }])
        let start = harness.clock.now()
        for _ in 0..<6 {
            try await harness.engine.send([AnyEvent(name: "go")])
            await harness.advance(by: .seconds(120))
        }
        let runs = try await harness.engine.runs(function: "capped")
        #expect(runs.count >= 1)
        #expect(runs.last?.startedAt.map { $0.timeIntervalSince(start).rounded() } == 420)
    }

    @Test func batchesStartWhenFullOrAtTheTimeout() async throws {
        let sizes = Mutex<[Int]>([])
        let batched = InngestFunction(
            .init(
                id: "batched", trigger: .event("go"),
                batchEvents: BatchEvents(maxSize: 3, timeout: "5s", if: "event.data.skip != true"))
        ) { (ctx: Context<JSONValue>) in
            sizes.withLock { $0.append(ctx.events.count) }
        }
        let harness = try await Harness([batched])
        try await harness.engine.send((0..<3).map { _ in AnyEvent(name: "go") })
        await harness.engine.settle()
        #expect(sizes.withLock { $0 } == [3])
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.advance(by: .seconds(4))
        #expect(sizes.withLock { $0 } == [3])
        await harness.advance(by: .seconds(1))
        #expect(sizes.withLock { $0 } == [3, 1])
        try await harness.engine.send([AnyEvent(name: "go", data: ["skip": true])])
        await harness.engine.settle()
        #expect(sizes.withLock { $0 } == [3, 1, 1])
    }

    @Test func singletonSkipKeepsTheRunningOne() async throws {
        let sleeper = InngestFunction(.init(id: "single", trigger: .event("go"), singleton: Singleton(key: "event.data.user", mode: .skip))) { (ctx: Context<JSONValue>) in
            try await ctx.step.sleep("nap", "1h")
        }
        let harness = try await Harness([sleeper])
        try await harness.engine.send([AnyEvent(name: "go", data: ["user": "a"])])
        await harness.engine.settle()
        try await harness.engine.send([AnyEvent(name: "go", data: ["user": "a"]), AnyEvent(name: "go", data: ["user": "b"])])
        await harness.engine.settle()
        #expect(try await statuses(harness, "single") == [.skipped, .waiting, .waiting])
        await harness.advance(by: .seconds(3_600))
        #expect(try await statuses(harness, "single") == [.completed, .completed, .skipped])
    }

    @Test func singletonCancelReplacesTheRunningRun() async throws {
        let sleeper = InngestFunction(.init(id: "single", trigger: .event("go"), singleton: Singleton(mode: .cancel))) { (ctx: Context<JSONValue>) in
            try await ctx.step.sleep("nap", "1h")
        }
        let harness = try await Harness([sleeper])
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.engine.settle()
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.advance(by: .seconds(3_600))
        #expect(try await statuses(harness, "single") == [.cancelled, .completed])
    }

    @Test func concurrencyLimitsExecutingSteps() async throws {
        let gate = Gate()
        let limited = InngestFunction(.init(id: "limited", trigger: .event("go"), concurrency: 2)) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("work") { await gate.enter("work") }
        }
        let harness = try await Harness([limited])
        try await harness.engine.send((0..<5).map { _ in AnyEvent(name: "go") })
        try await harness.until("2 steps run and 3 wait") { gate.held == 2 && harness.engine.concurrency.waitingCount == 3 }
        try await harness.until("all runs complete") {
            gate.openAll()
            return try await harness.engine.runCount(function: "limited", status: .completed) == 5
        }
        #expect(gate.peak == 2)
    }

    @Test func parkedRunsHoldNoConcurrencySlot() async throws {
        let limited = InngestFunction(.init(id: "limited", trigger: .event("go"), concurrency: 1)) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("before") { 1 }
            try await ctx.step.sleep("nap", "1h")
        }
        let harness = try await Harness([limited])
        try await harness.engine.send((0..<3).map { _ in AnyEvent(name: "go") })
        await harness.engine.settle()
        // All three got past their first step and are asleep: sleeping holds no slot.
        #expect(try await harness.engine.runs(function: "limited", status: .waiting).count == 3)
    }

    @Test func envScopedKeysAreSharedAcrossFunctions() async throws {
        let gate = Gate()
        let shared = Concurrency.limit(1, key: "event.data.account", scope: .env)
        let first = InngestFunction(.init(id: "first", trigger: .event("go"), concurrency: shared)) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("work") { await gate.enter("first") }
        }
        let second = InngestFunction(.init(id: "second", trigger: .event("go"), concurrency: shared)) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("work") { await gate.enter("second") }
        }
        let harness = try await Harness([first, second])
        try await harness.engine.send([AnyEvent(name: "go", data: ["account": "acme"]), AnyEvent(name: "go", data: ["account": "globex"])])
        // Four steps (two functions × two accounts), one per account at a time across both functions.
        try await harness.until("2 steps run and 2 wait") { gate.held == 2 && harness.engine.concurrency.waitingCount == 2 }
        try await harness.until("all runs complete") {
            gate.openAll()
            return try await harness.engine.runCount(status: .completed) == 4
        }
        #expect(gate.peak == 2)
    }

    @Test func aHotKeyDoesNotStarveTheOthers() async throws {
        let gate = Gate()
        let fair = InngestFunction(
            .init(
                id: "fair", trigger: .event("go"),
                concurrency: [.limit(3), .limit(1, key: "event.data.tenant")])
        ) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("work") { await gate.enter(ctx.event.data["tenant"]?.stringValue ?? "?") }
        }
        let harness = try await Harness([fair])
        try await harness.engine.send((0..<50).map { _ in AnyEvent(name: "go", data: ["tenant": "hot"]) })
        try await harness.until("one hot step runs, 49 wait") { gate.held == 1 && harness.engine.concurrency.waitingCount == 49 }
        try await harness.engine.send([AnyEvent(name: "go", data: ["tenant": "cold-1"]), AnyEvent(name: "go", data: ["tenant": "cold-2"])])
        // The hot tenant holds one slot; the cold tenants run now, not after 49 hot steps.
        try await harness.until("the cold tenants run") { gate.held == 3 }
        #expect(Set(gate.order) == ["hot", "cold-1", "cold-2"])
        #expect(harness.engine.concurrency.waitingCount == 49)
        try await harness.until("all runs complete") {
            gate.openAll()
            return try await harness.engine.runCount(status: .completed) == 52
        }
    }

    @Test func priorityOrdersWaitingSteps() async throws {
        let gate = Gate()
        let prioritized = InngestFunction(
            .init(
                id: "prioritized", trigger: .event("go"), concurrency: 1,
                priority: Priority(run: "event.data.vip ? 120 : 0"))
        ) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("work") { await gate.enter(ctx.event.data["name"]?.stringValue ?? "?") }
        }
        let harness = try await Harness([prioritized])
        try await harness.engine.send([AnyEvent(name: "go", data: ["name": "first", "vip": false])])
        try await harness.until("the first step runs") { gate.held == 1 }
        try await harness.engine.send([AnyEvent(name: "go", data: ["name": "regular", "vip": false]), AnyEvent(name: "go", data: ["name": "vip", "vip": true])])
        try await harness.until("two steps wait") { harness.engine.concurrency.waitingCount == 2 }
        try await harness.until("all runs complete") {
            gate.openAll()
            return try await harness.engine.runCount(status: .completed) == 3
        }
        #expect(gate.order == ["first", "vip", "regular"])
    }
}
