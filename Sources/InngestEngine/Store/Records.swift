import Foundation
import GRDB
import Inngest

/// Timer rows: everything that happens at a time (starts, retries, sleeps, timeouts, cron).
enum Timers {
    enum Kind: String {
        case start
        case retryStep = "retry-step"
        case retryRun = "retry-run"
        case sleep
        case waitTimeout = "wait-timeout"
        case invokeTimeout = "invoke-timeout"
        case cancelExpiry = "cancel-expiry"
        case startTimeout = "start-timeout"
        case finishTimeout = "finish-timeout"
        case cron
        case debounce
        case batch
    }

    /// Inserts a timer and returns its due time in ms.
    @discardableResult
    static func insert(_ kind: Kind, due: Date, runID: String?, hashedID: String? = nil, payload: String? = nil, in database: Database) throws -> Int64 {
        let dueAt = due.milliseconds
        try database.executeCached(
            sql: "INSERT INTO timers (due_at, kind, run_id, hashed_id, payload) VALUES (?, ?, ?, ?, ?)",
            arguments: [dueAt, kind.rawValue, runID, hashedID, payload])
        return dueAt
    }

    /// Drops every timer of a run (it ended).
    static func delete(runID: String, in database: Database) throws {
        try database.executeCached(sql: "DELETE FROM timers WHERE run_id = ?", arguments: [runID])
    }

    /// Drops a run's timer of one kind, for one step or for the run itself.
    static func delete(_ kind: Kind, runID: String, hashedID: String? = nil, in database: Database) throws {
        try database.executeCached(
            sql: "DELETE FROM timers WHERE run_id = ? AND kind = ? AND (? IS NULL OR hashed_id = ?)",
            arguments: [runID, kind.rawValue, hashedID, hashedID])
    }

    /// Drops the timer of a flow-control or cron entry, which is named by its payload.
    static func delete(_ kind: Kind, payload: String, in database: Database) throws {
        try database.executeCached(sql: "DELETE FROM timers WHERE kind = ? AND payload = ?", arguments: [kind.rawValue, payload])
    }

    /// Inserts the timer of a cron's next time: `due` is `scheduled` plus any jitter.
    static func insertCron(due: Date, scheduled: Date, payload: String?, in database: Database) throws {
        try database.executeCached(
            sql: "INSERT INTO timers (due_at, kind, scheduled_at, payload) VALUES (?, ?, ?, ?)",
            arguments: [due.milliseconds, Kind.cron.rawValue, scheduled.milliseconds, payload])
    }
}

/// Wait rows: `waitForEvent` steps and `cancelOn` cancellations.
enum Waits {
    /// Removes a wait; `false` when it was already gone (resolved by a racing event or timer).
    @discardableResult
    static func remove(runID: String, hashedID: String, in database: Database) throws -> Bool {
        try database.executeCached(sql: "DELETE FROM waits WHERE run_id = ? AND hashed_id = ?", arguments: [runID, hashedID])
        return database.changesCount == 1
    }

    /// Removes every wait of a run (it ended).
    static func remove(runID: String, in database: Database) throws {
        try database.executeCached(sql: "DELETE FROM waits WHERE run_id = ?", arguments: [runID])
    }

    static func insert(
        runID: String, hashedID: String, kind: String, eventName: String, condition: String?,
        runEvent: JSONValue, expiresAt: Date, in database: Database
    ) throws {
        let key = MatchKey.of(condition: condition, runEvent: runEvent)
        try database.executeCached(
            sql: """
                INSERT OR REPLACE INTO waits (run_id, hashed_id, kind, event_name, match_field, match_key, condition, run_event, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                runID, hashedID, kind, eventName, key?.field, key?.key, condition,
                try StoredJSON.text(runEvent), expiresAt.milliseconds,
            ])
    }
}

/// Step rows. A completed or failed step is written once and never changed, so each step
/// result is stored exactly once however often a run is replayed.
enum StepRecords {
    /// Records a step that is not finished yet (sleeping, waiting, invoking, retrying).
    static func pending(
        _ identity: StepIdentity, kind: StepKind, status: StepStatus, attempts: Int, error: SerializedError? = nil,
        runID: String, startedAt: Date, in database: Database
    ) throws {
        try database.executeCached(
            sql: """
                INSERT INTO steps (run_id, hashed_id, user_id, idx, kind, status, attempts, started_at, error)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id, hashed_id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts, error = excluded.error
                WHERE steps.status NOT IN ('completed', 'failed')
                """,
            arguments: [
                runID, identity.hashedID, identity.userID, identity.index, kind.rawValue, status, attempts,
                startedAt.milliseconds, try error.map(StoredJSON.text),
            ])
    }

    /// Records a step's final result (a run step's value or final error) in one statement:
    /// the hot path of the engine, so the statement is compiled once per connection.
    static func finish(
        _ identity: StepIdentity, kind: StepKind, memo: StepMemo, attempts: Int, runID: String,
        startedAt: Date, sequence: Int, in database: Database, now: Date
    ) throws {
        let failed: Bool
        if case .error = memo { failed = true } else { failed = false }
        let statement = try database.cachedStatement(
            sql: """
                INSERT INTO steps (run_id, hashed_id, user_id, idx, kind, status, attempts, started_at, ended_at, memo, seq)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id, hashed_id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
                    ended_at = excluded.ended_at, memo = excluded.memo, seq = excluded.seq, error = NULL
                WHERE steps.status NOT IN ('completed', 'failed')
                """)
        try statement.execute(arguments: [
            runID, identity.hashedID, identity.userID, identity.index, kind.rawValue, failed ? StepStatus.failed : StepStatus.completed,
            attempts, startedAt.milliseconds, now.milliseconds, try StoredJSON.text(memo.wire), sequence,
        ])
    }

    /// Completes a pending step (a sleep, wait or invoke) with its result. Returns false if
    /// it was not pending in `from` (already resolved by a racing timer or event).
    @discardableResult
    static func complete(runID: String, hashedID: String, memo: StepMemo, in database: Database, now: Date, from status: StepStatus? = nil) throws -> Bool {
        let failed: Bool
        if case .error = memo { failed = true } else { failed = false }
        try database.executeCached(
            sql: """
                UPDATE steps SET status = ?, memo = ?, ended_at = ?, seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM steps WHERE run_id = ?)
                WHERE run_id = ? AND hashed_id = ? AND status NOT IN ('completed', 'failed') AND (? IS NULL OR status = ?)
                """,
            arguments: [
                failed ? StepStatus.failed : StepStatus.completed, try StoredJSON.text(memo.wire), now.milliseconds, runID,
                runID, hashedID, status, status,
            ])
        return database.changesCount == 1
    }
}
