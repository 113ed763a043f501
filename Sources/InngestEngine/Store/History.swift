import Foundation
import GRDB
import Inngest

/// Deleting history no one needs any more: finished runs past the retention period with their
/// steps, events past it that no remaining run or held event refers to, and sender ids past
/// the idempotency window. Each call deletes at most one batch, so a sweep is a series of
/// short transactions between the engine's other writes.
enum History {
    /// What one batch deleted.
    struct Deleted: Sendable {
        var runs = 0
        var events = 0
        var senderIDs = 0

        var total: Int { runs + events + senderIDs }
    }

    static func deleteBatch(endedBefore cutoff: Date, now: Date, limit: Int, in database: Database) throws -> Deleted {
        var deleted = Deleted()
        // Set-based, by rowid: one statement per table instead of two per run, and no lookup
        // through the primary key's index. Both subqueries pick the same runs: the steps'
        // delete leaves `runs` as it was.
        let arguments: StatementArguments = [cutoff.milliseconds, limit]
        try database.executeCached(
            sql: "DELETE FROM steps WHERE run_id IN (SELECT id FROM runs WHERE ended_at < ? ORDER BY ended_at LIMIT ?)",
            arguments: arguments)
        try database.executeCached(
            sql: "DELETE FROM runs WHERE rowid IN (SELECT rowid FROM runs WHERE ended_at < ? ORDER BY ended_at LIMIT ?)",
            arguments: arguments)
        deleted.runs = database.changesCount
        // An event stays while a run it started remains (live, or finished within the period)
        // or a debounce or batch holds it for a run still to come. The held ids are collected
        // once per statement (uncorrelated `NOT IN`), not scanned again for every candidate.
        try database.executeCached(
            sql: """
                DELETE FROM events WHERE rowid IN (
                    SELECT rowid FROM events WHERE received_at < ?
                       AND NOT EXISTS (SELECT 1 FROM runs WHERE runs.event_id = events.id)
                       AND id NOT IN (SELECT event_id FROM debounces)
                       AND id NOT IN (SELECT held.value FROM batches, json_each(batches.event_ids) AS held WHERE held.value IS NOT NULL)
                     ORDER BY received_at LIMIT ?)
                """, arguments: arguments)
        deleted.events = database.changesCount
        let windowStart = now.milliseconds - InngestLimits.idempotencyWindow.milliseconds
        try database.executeCached(
            sql: "DELETE FROM seen_event_ids WHERE rowid IN (SELECT rowid FROM seen_event_ids WHERE seen_at < ? LIMIT ?)",
            arguments: [windowStart, limit])
        deleted.senderIDs = database.changesCount
        return deleted
    }

    /// Gives free pages back to the file system beyond a quarter of the pages in use, which
    /// stay for new rows to reuse (shrinking and growing again would cost writes). Only a file created
    /// with `auto_vacuum = INCREMENTAL` can; others keep reusing their free pages.
    static func releaseFreePages(in database: Database) throws {
        guard try Int.fetchOne(database, sql: "PRAGMA auto_vacuum") == 2 else { return }
        let pages = try Int.fetchOne(database, sql: "PRAGMA page_count") ?? 0
        let free = try Int.fetchOne(database, sql: "PRAGMA freelist_count") ?? 0
        let excess = free - (pages - free) / 4
        if excess > 0 { try database.execute(sql: "PRAGMA incremental_vacuum(\(excess))") }
    }
}
