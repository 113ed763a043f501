import Foundation
import Inngest
import InngestEngine
import Synchronization
import Testing

/// Flow control for functions of synced apps: the options arrive in the register payload and
/// the engine applies them exactly as for its own functions.
@Suite struct SyncedFlowControlTests {
    @Test func rateLimitSkipsExcessRunsPerKey() async throws {
        let function = InngestFunction(.init(id: "limited", trigger: .event("app/hit"), rateLimit: RateLimit(limit: 1, period: "1h", key: "event.data.user"))) {
            (ctx: Context<JSONValue>) in "ran"
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [function])
        let first = try await dev.send("app/hit", ["user": "a"])
        let second = try await dev.send("app/hit", ["user": "a"])
        let other = try await dev.send("app/hit", ["user": "b"])
        #expect(try await dev.run(startedBy: first).run.status == .completed)
        let skipped = try await dev.run(startedBy: second)
        #expect(skipped.run.status == .skipped)
        #expect(skipped.run.error?.name == "RateLimited")
        #expect(try await dev.run(startedBy: other).run.status == .completed)
        #expect(dev.calls(to: "app").count == 2)
    }

    @Test func idempotencyStartsOneRunPerKeyIn24Hours() async throws {
        let function = InngestFunction(.init(id: "once", trigger: .event("app/order"), idempotency: "event.data.order")) {
            (ctx: Context<JSONValue>) in "charged"
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [function])
        let first = try await dev.send("app/order", ["order": "o-1"])
        let repeated = try await dev.send("app/order", ["order": "o-1"])
        #expect(try await dev.run(startedBy: first).run.output == "charged")
        #expect(try await dev.run(startedBy: repeated).run.status == .skipped)
        await dev.advance(by: .seconds(86_400))
        let later = try await dev.send("app/order", ["order": "o-1"])
        #expect(try await dev.run(startedBy: later).run.status == .completed)
    }

    @Test func concurrencyPerKeyHoldsBackTheSecondRunOfAKeyOnly() async throws {
        let gate = Gate()
        let function = InngestFunction(.init(id: "serial", trigger: .event("app/work"), concurrency: .limit(1, key: "event.data.user"))) {
            (ctx: Context<JSONValue>) -> String in
            try await ctx.step.run("work") { await gate.enter(ctx.event.data["user"]?.stringValue ?? "") }
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [function])
        _ = try await dev.send("app/work", ["user": "a"])
        _ = try await dev.send("app/work", ["user": "a"])
        _ = try await dev.send("app/work", ["user": "b"])
        try await until("two bodies run") { gate.entered.count == 2 }
        // One of each key runs; the second run of "a" waits for the first.
        #expect(gate.entered.sorted() == ["a", "b"])
        gate.open()
        await dev.engine.settle()
        #expect(gate.entered.sorted() == ["a", "a", "b"])
        #expect(try await dev.engine.runs(function: "app-serial", status: .completed).count == 3)
    }

    @Test func debounceRunsOnceWithTheLastEvent() async throws {
        let function = InngestFunction(.init(id: "debounced", trigger: .event("app/type"), debounce: Debounce(period: "5m", key: "event.data.doc"))) {
            (ctx: Context<JSONValue>) in ctx.event.data["text"] ?? .null
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [function])
        for text in ["h", "he", "hey"] {
            _ = try await dev.send("app/type", ["doc": "d1", "text": .string(text)])
            await dev.advance(by: .seconds(60))
        }
        #expect(try await dev.engine.runs(function: "app-debounced").isEmpty)
        await dev.advance(by: .seconds(300))
        let runs = try await dev.engine.runs(function: "app-debounced")
        #expect(runs.count == 1)
        #expect(runs.first?.output == "hey")
    }

    @Test func throttleDelaysExcessRuns() async throws {
        let function = InngestFunction(.init(id: "throttled", trigger: .event("app/t"), throttle: Throttle(limit: 1, period: "1m"))) {
            (ctx: Context<JSONValue>) in "ok"
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [function])
        _ = try await dev.send("app/t")
        let second = try await dev.send("app/t")
        #expect(try await dev.run(startedBy: second).run.status == .queued)
        await dev.advance(by: .seconds(60))
        #expect(try await dev.run(startedBy: second).run.status == .completed)
    }

    @Test func batchesHandTheEventsToOneRun() async throws {
        let function = InngestFunction(.init(id: "batched", trigger: .event("app/item"), batchEvents: BatchEvents(maxSize: 3, timeout: "10s"))) {
            (ctx: Context<JSONValue>) in ctx.events.compactMap { $0.data["n"]?.integerValue }
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [function])
        _ = try await dev.send([
            ["name": "app/item", "data": ["n": 1]], ["name": "app/item", "data": ["n": 2]], ["name": "app/item", "data": ["n": 3]],
            ["name": "app/item", "data": ["n": 4]],
        ])
        await dev.engine.settle()
        var runs = try await dev.engine.runs(function: "app-batched")
        #expect(runs.count == 1)
        #expect(runs.first?.output == [1, 2, 3])
        await dev.advance(by: .seconds(10))
        runs = try await dev.engine.runs(function: "app-batched")
        #expect(runs.count == 2)
        #expect(runs.first?.output == [4])
    }

    @Test func singletonSkipsWhileARunOfTheKeyIsActive() async throws {
        let function = InngestFunction(.init(id: "single", trigger: .event("app/s"), singleton: Singleton(key: "event.data.k", mode: .skip))) {
            (ctx: Context<JSONValue>) -> String in
            try await ctx.step.sleep("hold", "1m")
            return "done"
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [function])
        let first = try await dev.send("app/s", ["k": "x"])
        let second = try await dev.send("app/s", ["k": "x"])
        #expect(try await dev.run(startedBy: second).run.status == .skipped)
        await dev.advance(by: .seconds(60))
        #expect(try await dev.run(startedBy: first).run.status == .completed)
    }

    private func until(_ what: String, _ condition: @Sendable () -> Bool) async throws {
        for _ in 0..<5_000 where !condition() { try await Task.sleep(for: .milliseconds(1)) }
        #expect(condition(), "timed out waiting until \(what)")
    }
}

/// Holds step bodies until opened, recording who entered.
final class Gate: Sendable {
    private struct State {
        var entered: [String] = []
        var isOpen = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    var entered: [String] { state.withLock { $0.entered } }

    func enter(_ name: String) async -> String {
        await withCheckedContinuation { continuation in
            let proceed = state.withLock { state -> Bool in
                state.entered.append(name)
                if state.isOpen { return true }
                state.waiting.append(continuation)
                return false
            }
            if proceed { continuation.resume() }
        }
        return name
    }

    /// Lets the `count` longest-waiting bodies go on; the gate stays closed.
    func release(_ count: Int) {
        let released = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            let released = Array(state.waiting.prefix(count))
            state.waiting.removeFirst(released.count)
            return released
        }
        for continuation in released { continuation.resume() }
    }

    func open() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.isOpen = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
