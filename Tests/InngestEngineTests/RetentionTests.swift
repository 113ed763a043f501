import Foundation
import GRDB
import Inngest
import InngestTesting
import Logging
import Testing

@testable import InngestEngine

/// Bounded history: what the retention sweep deletes, what it keeps, and the file's size.
@Suite struct RetentionTests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-retention-\(UUID().uuidString)")
        .appendingPathComponent("engine.sqlite").path

    func engine(_ functions: [InngestFunction], clock: TestClock, retention: Duration?) throws -> Engine {
        var options = Engine.Options(clock: clock, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        options.retention = retention
        return try Engine(appID: "app", databasePath: path, functions: functions, options: options)
    }

    func count(_ table: String, in engine: Engine) async throws -> Int {
        try await engine.database.read { database in try Int.fetchOne(database, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }

    static let quick = InngestFunction(.init(id: "quick", trigger: .event("quick"))) { (ctx: Context<JSONValue>) -> String in
        try await ctx.step.run("only") { "done" }
    }
    static let sleeper = InngestFunction(.init(id: "sleeper", trigger: .event("sleepy"))) { (ctx: Context<JSONValue>) -> String in
        try await ctx.step.run("before") { "awake" }
        try await ctx.step.sleep("long", "3h")
        return "rested"
    }

    @Test func finishedRunsTheirStepsAndEventsGoAfterTheRetentionPeriodLiveOnesStay() async throws {
        let clock = TestClock()
        let engine = try engine([Self.quick, Self.sleeper], clock: clock, retention: .seconds(3_600))
        try await engine.start()
        let quickIDs = try await engine.send(Array(repeating: AnyEvent(name: "quick"), count: 5))
        let sleepyID = try await engine.send([AnyEvent(name: "sleepy", id: "sender-1")])[0]
        await engine.settle()
        #expect(try await engine.runCount(function: "quick", status: .completed) == 5)

        await engine.letTimePass(.seconds(50 * 60), on: clock)
        #expect(try await engine.runCount() == 6, "nothing is older than the retention period yet")

        // Swept every 6 minutes (a tenth of the period): by 66 minutes the five are gone.
        await engine.letTimePass(.seconds(16 * 60), on: clock)
        #expect(try await engine.runCount(function: "quick") == 0)
        #expect(try await engine.runs(startedByEvent: quickIDs[0]).isEmpty)
        let remainingEvents = try await engine.events().map(\.internalID)
        #expect(!remainingEvents.contains(quickIDs[0]))
        // The function.finished events of the five are past the period too, and no run needs them.
        #expect(try await engine.events(named: "inngest/function.finished").isEmpty)
        // The sleeping run, its steps and its event stay.
        #expect(remainingEvents == [sleepyID])
        let sleeping = try #require(try await engine.runs(function: "sleeper").first)
        #expect(sleeping.status == .waiting)
        #expect(try await engine.run(id: sleeping.id)?.steps.count == 2)
        #expect(try await count("steps", in: engine) == 2)

        // It finishes at 3 h and is kept for an hour from then, not from its start.
        await engine.letTimePass(.seconds(2 * 3_600), on: clock)
        #expect(try await engine.runs(function: "sleeper").first?.output == "rested")
        // The sender's id is kept for the 24-hour idempotency window, then dropped.
        #expect(try await count("seen_event_ids", in: engine) == 1)
        await engine.letTimePass(.seconds(22 * 3_600), on: clock)
        #expect(try await engine.runCount() == 0)
        #expect(try await count("steps", in: engine) == 0)
        #expect(try await count("events", in: engine) == 0)
        #expect(try await count("seen_event_ids", in: engine) == 0)
        // One sweep timer is scheduled, never more.
        #expect(try await count("timers WHERE kind = 'retention'", in: engine) == 1)
        await engine.shutdown()
    }

    @Test func withoutRetentionNothingIsDeleted() async throws {
        let clock = TestClock()
        let engine = try engine([Self.quick], clock: clock, retention: nil)
        try await engine.start()
        try await engine.send([AnyEvent(name: "quick")])
        await engine.letTimePass(.seconds(30 * 86_400), on: clock)
        #expect(try await engine.runCount() == 1)
        #expect(try await count("timers", in: engine) == 0)
        await engine.shutdown()
    }

    @Test func theFileGivesTheSpaceOfDeletedHistoryBack() async throws {
        let clock = TestClock()
        let big = InngestFunction(.init(id: "big", trigger: .event("big"))) { (ctx: Context<JSONValue>) -> Int in
            let blob = try await ctx.step.run("blob") { String(repeating: "x", count: 20_000) }
            return blob.count
        }
        let engine = try engine([big], clock: clock, retention: .seconds(60))
        try await engine.start()
        let pages = {
            try await engine.database.read { database in
                (try Int.fetchOne(database, sql: "PRAGMA page_count") ?? 0, try Int.fetchOne(database, sql: "PRAGMA auto_vacuum") ?? 0)
            }
        }
        for _ in 0..<4 { try await engine.send(Array(repeating: AnyEvent(name: "big"), count: 250)) }
        await engine.settle()
        #expect(try await engine.runCount(function: "big", status: .completed) == 1_000)
        let (full, vacuum) = try await pages()
        #expect(vacuum == 2, "a new file is created with incremental vacuum")
        await engine.letTimePass(.seconds(120), on: clock)
        #expect(try await engine.runCount() == 0)
        let (after, _) = try await pages()
        #expect(full > 5_000, "1,000 steps of 20 KB fill more than 5,000 pages of 4 KB: \(full)")
        #expect(after * 4 < full, "the file shrank from \(full) to \(after) pages")
        await engine.shutdown()
    }

    @Test func aBatchDeletesWholeRunsWithTheirStepsAndKeepsEventsHeldByADebounceOrBatch() async throws {
        let engine = try engine([], clock: TestClock(), retention: nil)
        try await engine.database.write { database in
            // Seven finished runs ending at the same millisecond (ties across a batch's limit),
            // two steps each, one event each; and three old events no run started: one held
            // by a debounce, one by a batch, one free.
            for index in 0..<7 {
                try database.execute(
                    sql: "INSERT INTO events (id, name, body, ts, received_at) VALUES (?, 'e', '{}', 0, 1000)", arguments: ["event-\(index)"])
                try database.execute(
                    sql: """
                        INSERT INTO runs (id, function_id, status, events, event_id, created_at, ended_at)
                        VALUES (?, 'f', 'completed', '[]', ?, 1000, 2000)
                        """, arguments: ["run-\(index)", "event-\(index)"])
                for step in ["a", "b"] {
                    try database.execute(
                        sql: "INSERT INTO steps (run_id, hashed_id, user_id, idx, kind, status) VALUES (?, ?, ?, 0, 'run', 'completed')",
                        arguments: ["run-\(index)", step, step])
                }
            }
            for id in ["debounced", "batched", "free"] {
                try database.execute(sql: "INSERT INTO events (id, name, body, ts, received_at) VALUES (?, 'e', '{}', 0, 500)", arguments: [id])
            }
            try database.execute(
                sql: "INSERT INTO debounces (function_id, key, event, event_id, first_at, due_at) VALUES ('g', 'k', '{}', 'debounced', 0, 0)")
            try database.execute(
                sql: """
                    INSERT INTO batches (function_id, key, events, event_ids, first_at)
                    VALUES ('h', 'k', '[]', '["other", "batched"]', 0)
                    """)
        }
        let cutoff = Date(milliseconds: 10_000)
        var deletedRuns: [Int] = []
        while true {
            let batch = try await engine.database.write { database in
                try History.deleteBatch(endedBefore: cutoff, now: cutoff, limit: 3, in: database)
            }
            deletedRuns.append(batch.runs)
            // No run is left without its steps, and no steps without their run.
            let orphans = try await engine.database.read { database in
                try Int.fetchOne(
                    database,
                    sql: """
                        SELECT (SELECT COUNT(*) FROM steps WHERE run_id NOT IN (SELECT id FROM runs))
                             + (SELECT COUNT(*) FROM runs WHERE id NOT IN (SELECT run_id FROM steps))
                        """) ?? -1
            }
            #expect(orphans == 0)
            if batch.total == 0 { break }
        }
        #expect(deletedRuns == [3, 3, 1, 0])
        #expect(try await count("runs", in: engine) == 0)
        #expect(try await count("steps", in: engine) == 0)
        let events = try await engine.database.read { database in try String.fetchAll(database, sql: "SELECT id FROM events ORDER BY id") }
        #expect(events == ["batched", "debounced"])
        await engine.shutdown()
    }

    @Test func aRetentionOfZeroOrLessOrOverTenYearsIsRefused() throws {
        for retention: Duration in [.zero, .seconds(-60), .seconds(10 * 365 * 86_400 + 1)] {
            var options = Engine.Options()
            options.retention = retention
            #expect(throws: EngineError.invalidOption("retention must be more than 0 and at most 10 years (or nil to keep everything), not \(retention)")) {
                try Engine(appID: "app", databasePath: path, functions: [], options: options)
            }
        }
    }
}
