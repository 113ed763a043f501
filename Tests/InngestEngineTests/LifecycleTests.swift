import Foundation
import Inngest
import InngestTesting
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import InngestEngine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Graceful shutdown, the writer lock and health, in one process with a test clock.
@Suite struct LifecycleTests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-lifecycle-\(UUID().uuidString)")
        .appendingPathComponent("engine.sqlite").path

    /// `a` (held by the gate) then `b`; returns "AB".
    static func twoSteps(_ gate: Gate) -> InngestFunction {
        InngestFunction(.init(id: "two-steps", trigger: .event("go"))) { (ctx: Context<JSONValue>) -> String in
            let a: String = try await ctx.step.run("a") {
                await gate.enter("a")
                return "A"
            }
            let b: String = try await ctx.step.run("b") {
                await gate.enter("b")
                return "B"
            }
            return a + b
        }
    }

    func engine(_ functions: [InngestFunction], clock: TestClock, gracePeriod: Duration = .seconds(30)) throws -> Engine {
        var options = Engine.Options(clock: clock, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        options.shutdownGracePeriod = gracePeriod
        return try Engine(appID: "app", databasePath: path, functions: functions, options: options)
    }

    static func until(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<20_000 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("timed out waiting until \(what)")
    }

    @Test func aShutdownLetsTheStepBodyInFlightFinishRecordsItAndTakesNoNewStep() async throws {
        let gate = Gate()
        let clock = TestClock()
        let first = try engine([Self.twoSteps(gate)], clock: clock)
        try await first.start()
        try await first.send([AnyEvent(name: "go")])
        try await Self.until("a's body runs") { gate.held == 1 }
        let shutdown = Task { await first.shutdown() }
        try await Self.until("the shutdown begins") { first.lifecycle.current == .draining }
        gate.openAll()
        await shutdown.value
        #expect(first.lifecycle.current == .stopped)
        #expect(gate.order == ["a"], "b must not start once the shutdown began")

        let reader = try EngineReader(databasePath: path)
        let run = try #require(try await reader.runs().first)
        #expect(run.status == .running)
        let stored = try #require(try await reader.run(id: run.id))
        #expect(stored.steps.map(\.userID) == ["a"])
        #expect(stored.steps.first?.status == .completed)

        // The lock is released: a new engine on the file finishes the run without running `a` again.
        let second = try engine([Self.twoSteps(gate)], clock: clock)
        try await second.start()
        try await Self.until("b's body runs") { gate.held == 1 }
        gate.openAll()
        await second.settle()
        #expect(gate.order == ["a", "b"])
        #expect(try await second.run(id: run.id)?.run.output == "AB")
        await second.shutdown()
    }

    @Test func aBodyStillRunningAtTheDeadlineIsNotRecordedAndRunsAgainAtTheNextStart() async throws {
        let gate = Gate()
        let clock = TestClock()
        let first = try engine([Self.twoSteps(gate)], clock: clock, gracePeriod: .seconds(5))
        try await first.start()
        try await first.send([AnyEvent(name: "go")])
        try await Self.until("a's body runs") { gate.held == 1 }
        let done = Atomic<Bool>(false)
        let shutdown = Task {
            await first.shutdown()
            done.store(true, ordering: .releasing)
        }
        try await Self.until("the shutdown begins") { first.lifecycle.current == .draining }
        let doneEarly = done.load(ordering: .acquiring)
        #expect(!doneEarly, "the shutdown waits for the body")
        // The grace period passes on the engine's clock (advanced until the shutdown has seen it).
        try await Self.until("the grace period is over") {
            clock.advance(by: .seconds(5))
            return done.load(ordering: .acquiring)
        }
        await shutdown.value
        gate.openAll()
        await first.settle()
        // The late body's result was refused.
        let reader = try EngineReader(databasePath: path)
        let run = try #require(try await reader.runs().first)
        #expect(try await reader.run(id: run.id)?.steps.isEmpty == true)
        await #expect(throws: EngineError.shutDown) { try await first.send([AnyEvent(name: "go")]) }

        let second = try engine([Self.twoSteps(gate)], clock: clock)
        try await second.start()
        for _ in 0..<2 {
            try await Self.until("a body is held") { gate.held == 1 }
            gate.openAll()
        }
        await second.settle()
        #expect(gate.order == ["a", "a", "b"])
        #expect(try await second.run(id: run.id)?.run.status == .completed)
        #expect(try await second.runCount() == 1, "the send refused after the shutdown stored nothing")
        await second.shutdown()
    }

    @Test func parkedRunsStayParkedAndEventsSentDuringTheShutdownRunAtTheNextStart() async throws {
        let clock = TestClock()
        let gate = Gate()
        let napper = InngestFunction(.init(id: "napper", trigger: .event("nap"))) { (ctx: Context<JSONValue>) -> String in
            try await ctx.step.sleep("nap", "1h")
            return "rested"
        }
        let first = try engine([napper, Self.twoSteps(gate)], clock: clock)
        try await first.start()
        try await first.send([AnyEvent(name: "nap"), AnyEvent(name: "go")])
        try await Self.until("a's body runs") { gate.held == 1 }
        try await Self.until("the napper parks") { first.registry.parkedCount == 1 }
        let shutdown = Task { await first.shutdown() }
        try await Self.until("the shutdown begins") { first.lifecycle.current == .draining }
        // Accepted while draining: durable, and not started by this engine.
        let late = try await first.send([AnyEvent(name: "go")])
        gate.openAll()
        await shutdown.value
        #expect(first.liveRunCount == 0, "every in-memory run unwound")
        #expect(gate.order == ["a"])

        let second = try engine([napper, Self.twoSteps(gate)], clock: clock)
        try await second.start()
        // Both two-step runs go on (the one stopped after `a`, the late one from the start).
        while gate.order.count < 4 {
            try await Self.until("a body is held") { gate.held >= 1 }
            gate.openAll()
        }
        await second.settle()
        #expect(try await second.runs(startedByEvent: late[0]).first?.status == .completed)
        #expect(try await second.runCount(function: "napper", status: .waiting) == 1)
        clock.advance(by: .seconds(3_600))
        await second.settle()
        #expect(try await second.runs(function: "napper").first?.output == "rested")
        await second.shutdown()
    }

    @Test func aSecondEngineOnTheFileIsRefusedNamingTheFileAndTheHolderUntilTheFirstStops() async throws {
        let clock = TestClock()
        let first = try engine([], clock: clock)
        #expect(throws: EngineError.databaseInUse(path: path, holderPID: getpid())) { try engine([], clock: clock) }
        do {
            _ = try engine([], clock: clock)
        } catch {
            #expect("\(error)".contains("the database \(path) is in use by another engine (process \(getpid()))"))
        }
        // Readers are not writers: they open the file while the engine holds it.
        #expect(try await EngineReader(databasePath: path).runCount() == 0)
        await first.shutdown()
        let second = try engine([], clock: clock)
        await second.shutdown()
        // In memory there is no file to share.
        let memory = [try Engine(appID: "a", databasePath: ":memory:", functions: []), try Engine(appID: "b", databasePath: ":memory:", functions: [])]
        #expect(memory.count == 2)
    }

    @Test func optionsOutOfRangeAreRefusedBeforeTheFileIsOpened() throws {
        for period: Duration in [.zero, .seconds(-1), .seconds(86_401)] {
            var options = Engine.Options()
            options.shutdownGracePeriod = period
            #expect(throws: EngineError.invalidOption("shutdownGracePeriod must be more than 0 and at most 1 day, not \(period)")) {
                try Engine(appID: "app", databasePath: path, functions: [], options: options)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(throws: EngineError.noDatabase(path: path)) { try EngineReader(databasePath: path) }
    }

    @Test func healthReportsEachPart() async throws {
        let clock = TestClock()
        let engine = try engine([], clock: clock)
        let before = await engine.health
        #expect(before.timerLoop == .failing("the engine has not been started"))
        #expect(!before.isHealthy)
        try await engine.start()
        #expect(await engine.health.isHealthy)
        await #expect(throws: EngineError.alreadyStarted) { try await engine.start() }
        await engine.shutdown()
        let after = await engine.health
        #expect(after.writer == .failing("the engine is shut down"))
        #expect(after.timerLoop == .failing("the engine is shut down"))
        #expect(after.store == .ok)
        #expect("\(after)" == "writer failing: the engine is shut down, timer loop failing: the engine is shut down, store ok")
    }

    @Test func asAServiceTheEngineStartsAndStopsWithItsGroup() async throws {
        let clock = TestClock()
        let gate = Gate()
        let engine = try engine([Self.twoSteps(gate)], clock: clock)
        let group = ServiceGroup(services: [engine], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let running = Task { try await group.run() }
        try await Self.until("the engine runs") { engine.lifecycle.current == .running }
        try await engine.send([AnyEvent(name: "go")])
        try await Self.until("a's body runs") { gate.held == 1 }
        await group.triggerGracefulShutdown()
        try await Self.until("the shutdown begins") { engine.lifecycle.current == .draining }
        gate.openAll()
        try await running.value
        #expect(engine.lifecycle.current == .stopped)
        #expect(gate.order == ["a"])
        #expect(try await EngineReader(databasePath: path).run(id: try #require(try await engine.runs().first).id)?.steps.count == 1)
    }
}
