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
        let runIDs = try String.fetchAll(
            database.cachedStatement(sql: "SELECT id FROM runs WHERE ended_at < ? ORDER BY ended_at LIMIT ?"),
            arguments: [cutoff.milliseconds, limit])
        for runID in runIDs {
            try database.executeCached(sql: "DELETE FROM steps WHERE run_id = ?", arguments: [runID])
            try database.executeCached(sql: "DELETE FROM runs WHERE id = ?", arguments: [runID])
        }
        deleted.runs = runIDs.count
        // An event stays while a run it started remains (live, or finished within the period)
        // or a debounce or batch holds it for a run still to come.
        try database.executeCached(
            sql: """
                DELETE FROM events WHERE id IN (
                    SELECT id FROM events WHERE received_at < ?
                       AND NOT EXISTS (SELECT 1 FROM runs WHERE runs.event_id = events.id)
                       AND NOT EXISTS (SELECT 1 FROM debounces WHERE debounces.event_id = events.id)
                       AND NOT EXISTS (SELECT 1 FROM batches, json_each(batches.event_ids) AS held WHERE held.value = events.id)
                     ORDER BY received_at LIMIT ?)
                """, arguments: [cutoff.milliseconds, limit])
        deleted.events = database.changesCount
        let windowStart = now.milliseconds - InngestLimits.idempotencyWindow.milliseconds
        try database.executeCached(
            sql: "DELETE FROM seen_event_ids WHERE sender_id IN (SELECT sender_id FROM seen_event_ids WHERE seen_at < ? LIMIT ?)",
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
