import Foundation
import GRDB
import Inngest
import Logging
import Synchronization

extension Engine.Options {
    /// The longest ``retention``: ten years.
    static let maxRetention: Duration = .seconds(10 * 365 * 86_400)

    /// How often the retention sweep runs: a tenth of the period, at least every hour and at
    /// most every second, so history is deleted at most about 10 % past its time.
    var retentionSweepInterval: Duration? {
        retention.map { min(max($0 / 10, .seconds(1)), .seconds(3_600)) }
    }
}

extension Engine {
    /// Schedules the first sweep at start (replacing one a previous process scheduled, whose
    /// retention may differ); returns its due time.
    func scheduleRetention(in database: Database, now: Date) throws -> Int64? {
        try Timers.delete(kind: .retention, in: database)
        guard let interval = options.retentionSweepInterval else { return nil }
        return try Timers.insert(.retention, due: now.adding(interval), runID: nil, in: database)
    }

    /// The retention timer fired: the next one, and a sweep after the commit.
    func fireRetention(in database: Database, now: Date) throws -> Effects {
        var effects = Effects()
        guard let interval = options.retentionSweepInterval else { return effects }
        effects.addTimer(try Timers.insert(.retention, due: now.adding(interval), runID: nil, in: database))
        effects.sweepHistory = true
        return effects
    }

    /// Runs a sweep in the background unless one is running; it counts as work in flight.
    func startHistorySweep() {
        guard lifecycle.acceptsWork, sweeping.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        activity.begin()
        Task {
            do {
                let deleted = try await sweepHistory()
                if deleted.total > 0 {
                    logger.debug("retention: deleted \(deleted.runs) runs, \(deleted.events) events, \(deleted.senderIDs) sender ids")
                }
            } catch {
                logger.error("retention: history could not be deleted: \(error)")
            }
            sweeping.store(false, ordering: .releasing)
            activity.end()
        }
    }

    /// Deletes, in batches of at most `batchSize` rows per table and transaction, what is
    /// past ``Options/retention`` now, then gives excess free pages back to the file system.
    ///
    /// A batch takes runs in `ended_at` order, but the indexes on ids (steps, the primary
    /// keys, `runs_by_event`) hold ids made in the same millisecond in random order, so each
    /// batch rewrites most of those index pages of the span it deletes from. With 2,000 rows
    /// a sweep writes less than half as much per deleted run as with 500, and a batch still
    /// holds the writer only some 10–30 ms (2 loaded cores), about one group commit's worth.
    func sweepHistory(batchSize: Int = 2_000) async throws -> History.Deleted {
        guard let retention = options.retention else { return History.Deleted() }
        var total = History.Deleted()
        while lifecycle.acceptsWork {
            let now = clock.now()
            let cutoff = now.adding(.zero - retention)
            let batch = try await database.write { database in
                try History.deleteBatch(endedBefore: cutoff, now: now, limit: batchSize, in: database)
            }
            total.runs += batch.runs
            total.events += batch.events
            total.senderIDs += batch.senderIDs
            if batch.runs < batchSize, batch.events < batchSize, batch.senderIDs < batchSize { break }
        }
        if total.total > 0 {
            try await database.write { database in try History.releaseFreePages(in: database) }
        }
        return total
    }
}
