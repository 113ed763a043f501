import Foundation
import GRDB
import Inngest
import Testing

@testable import InngestEngine

/// The statements whose cost would otherwise grow with the number of runs parked: each must
/// reach its rows through an index seek, whatever else waits or sleeps.
@Suite struct StoreQueryPlanTests {
    static func plan(_ sql: String, _ arguments: StatementArguments, in harness: Harness) async throws -> [String] {
        try await harness.engine.database.read { database in
            try Row.fetchAll(database, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }
    }

    @Test func aRunsTimerOfOneKindIsDeletedThroughTheRunsIndex() async throws {
        let harness = try await Harness([])
        let plan = try await Self.plan(
            "DELETE FROM timers WHERE run_id = ? AND kind = ? AND (? IS NULL OR hashed_id = ?)", ["r", "wait-timeout", "h", "h"], in: harness)
        #expect(plan.contains { $0.contains("USING INDEX timers_by_run (run_id=?)") }, "\(plan)")
        let byPayload = try await Self.plan("DELETE FROM timers WHERE kind = ? AND payload = ?", ["debounce", "p"], in: harness)
        #expect(byPayload.contains { $0.contains("USING INDEX timers_by_payload (kind=? AND payload=?)") }, "\(byPayload)")
    }

    @Test func anEventsMatchPathsAreFoundBySeeksNotByReadingEveryWait() async throws {
        let harness = try await Harness([])
        let first = try await Self.plan(Waits.firstMatchField, ["e"], in: harness)
        let next = try await Self.plan(Waits.nextMatchField, ["e", "data.a"], in: harness)
        for plan in [first, next] {
            #expect(plan.contains { $0.contains("USING COVERING INDEX waits_by_key (event_name=? AND match_field") }, "\(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
        }
    }

    @Test func everyMatchPathOfAnEventIsFoundOnceWithTheWaitsThatHaveNone() async throws {
        let harness = try await Harness([])
        let runEvent: JSONValue = ["data": ["a": 1, "b": "x"]]
        let fields = try await harness.engine.database.write { database -> [String?] in
            let conditions = [
                "event.data.b == async.data.b", "event.data.a == async.data.a", "event.data.a == async.data.a",
                "async.data.total > 10", nil,
            ]
            for (index, condition) in conditions.enumerated() {
                try Waits.insert(
                    runID: "run-\(index)", hashedID: "h", kind: "wait", eventName: "e", condition: condition, runEvent: runEvent,
                    expiresAt: Date().addingTimeInterval(3_600), in: database)
            }
            try Waits.insert(
                runID: "other", hashedID: "h", kind: "wait", eventName: "f", condition: "event.data.c == async.data.c", runEvent: runEvent,
                expiresAt: Date().addingTimeInterval(3_600), in: database)
            return try Waits.matchFields(of: "e", in: database)
        }
        #expect(fields == [nil, "data.a", "data.b"])
    }
}
