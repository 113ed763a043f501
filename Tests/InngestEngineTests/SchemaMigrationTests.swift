import Foundation
import GRDB
import Testing

@testable import InngestEngine

@Suite struct SchemaMigrationTests {
    /// A cron timer written before its scheduled time had a column keeps that time.
    @Test func cronTimersMoveTheirScheduledTimeToItsColumn() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("engine.sqlite").path)
        let migrator = Schema.migrator()
        try migrator.migrate(queue, upTo: "v3-synced-apps")
        try queue.write { database in
            try database.execute(
                sql: "INSERT INTO timers (due_at, kind, hashed_id, payload) VALUES (?, 'cron', ?, ?), (?, 'sleep', ?, NULL)",
                arguments: [1_767_225_660_000, "1767225600000", #"{"function":"f","schedule":"* * * * *"}"#, 5, "abc"])
        }
        try migrator.migrate(queue)
        let rows = try queue.read { database in
            try Row.fetchAll(database, sql: "SELECT kind, hashed_id, scheduled_at FROM timers ORDER BY kind")
        }
        #expect(rows.count == 2)
        #expect(rows[0]["kind"] as String == "cron")
        #expect(rows[0]["scheduled_at"] as Int64? == 1_767_225_600_000)
        #expect(rows[0]["hashed_id"] as String? == nil)
        #expect(rows[1]["kind"] as String == "sleep")
        #expect(rows[1]["hashed_id"] as String? == "abc")
        #expect(rows[1]["scheduled_at"] as Int64? == nil)
    }
}
