import Foundation
import Inngest
import InngestEngine
import Synchronization
import Testing

/// Calls to an app are limited by its functions' own `concurrency` and by the per-app ceiling
/// (`Engine.Options.maxConcurrentCallsPerApp`), nothing else; calls past the ceiling wait in
/// the engine and are taken from each function in turn, so one busy function does not hold
/// up another.
@Suite struct AppCallLimitTests {
    @Test func aFunctionWithConcurrency12Runs12StepBodiesAtOnce() async throws {
        let gate = Gate()
        let wide = InngestFunction(.init(id: "wide", trigger: .event("app/wide"), concurrency: .limit(12))) { (ctx: Context<JSONValue>) -> String in
            try await ctx.step.run("work") { await gate.enter("\(ctx.event.data["n"]?.integerValue ?? -1)") }
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [wide])
        _ = try await dev.send((0..<20).map { ["name": "app/wide", "data": ["n": .integer(Int64($0))]] })
        try await until("12 bodies run") { gate.entered.count == 12 }
        // The function's own limit holds the other 8 back, not the transport.
        try await Task.sleep(for: .milliseconds(50))
        #expect(gate.entered.count == 12)
        gate.open()
        await dev.engine.settle()
        #expect(try await dev.engine.runs(function: "app-wide", status: .completed).count == 20)
    }

    @Test func pastTheCeilingAnotherFunctionsCallGoesBeforeTheBusyFunctionsQueue() async throws {
        let gate = Gate()
        let slow = InngestFunction(.init(id: "slow", trigger: .event("app/slow"))) { (ctx: Context<JSONValue>) -> String in
            try await ctx.step.run("long") { await gate.enter("slow") }
        }
        let quick = InngestFunction(.init(id: "quick", trigger: .event("app/quick"))) { (ctx: Context<JSONValue>) -> String in
            "quick"
        }
        let dev = try await DevHarness(maxConcurrentCallsPerApp: 4)
        try await dev.serve("app", [slow, quick])
        _ = try await dev.send(Array(repeating: ["name": "app/slow"], count: 40))
        try await until("the ceiling is reached") { gate.entered.count == 4 }
        let quickRun = try await dev.send("app/quick")
        // Free two places: the functions take turns, so one goes to `quick`, ahead of the 36
        // `slow` calls that were waiting before it.
        gate.release(2)
        try await until("quick completes") {
            (try? await dev.engine.runs(startedByEvent: quickRun).first?.status) == .completed
        }
        #expect(gate.entered.count <= 6)
        gate.open()
        await dev.engine.settle()
        #expect(try await dev.engine.runs(function: "app-slow", status: .completed).count == 40)
    }

    private func until(_ what: String, _ condition: @Sendable () async -> Bool) async throws {
        for _ in 0..<5_000 where !(await condition()) { try await Task.sleep(for: .milliseconds(1)) }
        #expect(await condition(), "timed out waiting until \(what)")
    }
}
