import Foundation
import Inngest
import InngestTesting
import Synchronization
import Testing

@testable import InngestEngine

@Suite struct EngineTriggerTests {
    @Test func oneEventFansOutToEveryFunctionItTriggersWithFilters() async throws {
        let a = InngestFunction(.init(id: "a", trigger: .event("order/placed"))) { (_: Context<JSONValue>) in }
        let big = InngestFunction(.init(id: "big", trigger: .event("order/placed", if: "event.data.total > 100"))) { (_: Context<JSONValue>) in }
        let harness = try await Harness([a, big])
        try await harness.engine.send([AnyEvent(name: "order/placed", data: ["total": 50]), AnyEvent(name: "order/placed", data: ["total": 500])])
        await harness.engine.settle()
        #expect(try await harness.engine.runs(function: "a").count == 2)
        #expect(try await harness.engine.runs(function: "big").count == 1)
    }

    @Test func severalTriggersStartOneRunEach() async throws {
        let multi = InngestFunction(.init(id: "multi", triggers: [.event("x/a"), .event("x/b")])) { (_: Context<JSONValue>) in }
        let harness = try await Harness([multi])
        try await harness.engine.send([AnyEvent(name: "x/a"), AnyEvent(name: "x/b"), AnyEvent(name: "x/c")])
        await harness.engine.settle()
        #expect(try await harness.engine.runs(function: "multi").count == 2)
    }

    @Test func anEventInTheFutureStartsItsRunsThen() async throws {
        let later = InngestFunction(.init(id: "later", trigger: .event("go"))) { (_: Context<JSONValue>) in }
        let harness = try await Harness([later])
        let inADay = harness.clock.now().addingTimeInterval(86_400).milliseconds
        try await harness.engine.send([AnyEvent(name: "go", data: [:], id: nil, ts: inADay)])
        await harness.engine.settle()
        #expect(try await harness.onlyRun(of: "later").run.status == .queued)
        await harness.advance(by: .seconds(86_400))
        #expect(try await harness.onlyRun(of: "later").run.status == .completed)
    }

    @Test func anEventStampedAtThisInstantStartsItsRunWithoutAStartTimer() async throws {
        let now = InngestFunction(.init(id: "now", trigger: .event("go"))) { (_: Context<JSONValue>) in }
        let harness = try await Harness([now])
        let entry = try #require(harness.engine.catalog["now"])
        // 0.7 ms past a whole millisecond: the event's `ts`, rounded, is 0.3 ms ahead of it.
        let instant = Date(timeIntervalSince1970: 1_767_225_600.0007)
        let event = AnyEvent(name: "go", data: [:], id: nil, ts: instant.milliseconds)
        let effects = try await harness.engine.database.write { database in
            try entry.createRun(events: [event], eventID: nil, in: database, now: instant)
        }
        #expect(effects.starts.count == 1, "a run stamped now starts right after the commit")
        #expect(effects.earliestTimer == nil, "no start timer: the event is not in the future")
    }

    @Test func anEventIdStartsFunctionsOncePer24Hours() async throws {
        let once = InngestFunction(.init(id: "once", trigger: .event("pay"))) { (_: Context<JSONValue>) in }
        let harness = try await Harness([once])
        try await harness.engine.send([AnyEvent(name: "pay", data: [:], id: "payment-1")])
        try await harness.engine.send([AnyEvent(name: "pay", data: [:], id: "payment-1")])
        await harness.engine.settle()
        #expect(try await harness.engine.runs(function: "once").count == 1)
        #expect(try await harness.engine.events(named: "pay").count == 2)
        await harness.advance(by: .seconds(86_401))
        try await harness.engine.send([AnyEvent(name: "pay", data: [:], id: "payment-1")])
        await harness.engine.settle()
        #expect(try await harness.engine.runs(function: "once").count == 2)
    }

    @Test func weeklyCronFiresEveryWeekWithTheScheduledTimerEvent() async throws {
        let seen = Mutex<[JSONValue]>([])
        // The test clock starts on Thursday 2026-01-01 00:00 UTC.
        let digest = InngestFunction(.init(id: "weekly-digest", trigger: .cron("0 9 * * MON"))) { (ctx: Context<JSONValue>) in
            seen.withLock { $0.append(ctx.event.data) }
        }
        let harness = try await Harness([digest])
        await harness.advance(by: .seconds(14 * 86_400))
        let scheduled = seen.withLock { $0.map { $0["scheduledAt"] } }
        #expect(scheduled == ["2026-01-05T09:00:00.000Z", "2026-01-12T09:00:00.000Z"])
        #expect(seen.withLock { $0.first?["cron"] } == "0 9 * * MON")
    }

    @Test func cronKeepsOneTimerAcrossRestarts() async throws {
        let digest = InngestFunction(.init(id: "digest", trigger: .cron("0 * * * *"))) { (_: Context<JSONValue>) in }
        let first = try await Harness([digest])
        await first.engine.shutdown()
        let second = try await Harness([digest], clock: first.clock, directory: first.directory)
        await second.advance(by: .seconds(3_600))
        #expect(try await second.engine.runs(function: "digest").count == 1)
    }

    @Test func badInputIsRejectedWholeNamingTheLimit() async throws {
        let f = InngestFunction(.init(id: "f", trigger: .event("ok"))) { (_: Context<JSONValue>) in }
        let harness = try await Harness([f])
        let huge = AnyEvent(name: "ok", data: ["blob": .string(String(repeating: "x", count: 600 * 1_024))])
        await #expect(throws: InvalidEvent(index: 1, problem: .tooLarge(bytes: 614_461, limit: InngestLimits.maxEventBytes))) { try await harness.engine.send([AnyEvent(name: "ok"), huge]) }
        do {
            try await harness.engine.send([AnyEvent(name: "ok"), huge])
        } catch {
            #expect("\(error)".contains("event [1] is 614"))
            #expect("\(error)".contains("over the limit of 524288 bytes; nothing was sent"))
        }
        await #expect(throws: InvalidEvent(index: 0, problem: .reservedName("inngest/function.failed"))) {
            try await harness.engine.send([AnyEvent(name: "inngest/function.failed")])
        }
        await #expect(throws: InvalidEvent(index: 0, problem: .dataNotAnObject)) { try await harness.engine.send([AnyEvent(name: "ok", data: [1, 2])]) }
        await #expect(throws: InvalidEvent(index: nil, problem: .tooManyEvents(count: 5_001, limit: 5_000))) {
            try await harness.engine.send(Array(repeating: AnyEvent(name: "ok"), count: 5_001))
        }
        await harness.engine.settle()
        #expect(try await harness.engine.events().isEmpty)
        #expect(try await harness.engine.runs().isEmpty)
    }

    @Test func invalidFunctionsAreRejectedAtRegistration() async throws {
        let bad = InngestFunction(.init(id: "bad", trigger: .event("x", if: "trim(event.data.x) == ''"))) { (_: Context<JSONValue>) in }
        #expect(throws: InvalidFunctionConfiguration.self) {
            _ = try Engine(appID: "a", databasePath: FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID()).sqlite").path, functions: [bad])
        }
        let one = InngestFunction(.init(id: "same")) { (_: Context<JSONValue>) in }
        #expect(throws: EngineError.duplicateFunction("same")) {
            _ = try Engine(appID: "a", databasePath: FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID()).sqlite").path, functions: [one, one])
        }
    }

    @Test func aRestartedEngineResumesParkedRunsFromTheRecord() async throws {
        let bodyRuns = Mutex(0)
        let napper = InngestFunction(.init(id: "nap", trigger: .event("go"))) { (ctx: Context<JSONValue>) -> Int in
            let value = try await ctx.step.run("before") {
                bodyRuns.withLock { $0 += 1 }
                return 41
            }
            try await ctx.step.sleep("nap", "1h")
            return value + 1
        }
        let first = try await Harness([napper])
        try await first.engine.send([AnyEvent(name: "go")])
        await first.engine.settle()
        await first.engine.shutdown()
        // A new engine on the same file: the sleep's timer wakes the run, which replays "before".
        let second = try await Harness([napper], clock: first.clock, directory: first.directory)
        await second.advance(by: .seconds(3_600))
        #expect(try await second.onlyRun(of: "nap").run.output == 42)
        #expect(bodyRuns.withLock { $0 } == 1)
    }

    @Test func evictedRunsResumeByReplay() async throws {
        let bodyRuns = Mutex(0)
        let napper = InngestFunction(.init(id: "nap", trigger: .event("go"))) { (ctx: Context<JSONValue>) -> Int in
            let value = try await ctx.step.run("before") {
                bodyRuns.withLock { $0 += 1 }
                return 1
            }
            try await ctx.step.sleep("nap", "1h")
            return value
        }
        let harness = try await Harness([napper], maxParkedRuns: 5)
        try await harness.engine.send((0..<20).map { _ in AnyEvent(name: "go") })
        await harness.engine.settle()
        #expect(harness.engine.liveRunCount <= 5)
        await harness.advance(by: .seconds(3_600))
        let runs = try await harness.engine.runs(function: "nap")
        #expect(runs.count == 20)
        #expect(runs.allSatisfy { $0.status == .completed })
        #expect(bodyRuns.withLock { $0 } == 20)
    }
}
