import Foundation
import GRDB
import Inngest

/// Step rows. A completed or failed step is written once and never changed, so each step
/// result is stored exactly once however often a run is replayed.
enum StepRecords {
    /// Records a step that is not finished yet (sleeping, waiting, invoking, retrying).
    ///
    /// - Parameter detail: what a parked step waits for (``StepDetail``), kept after it resolves.
    static func pending(
        _ identity: StepIdentity, kind: StepKind, status: StepStatus, attempts: Int, error: SerializedError? = nil,
        detail: StepDetail? = nil, runID: String, startedAt: Date, in database: Database
    ) throws {
        try database.executeCached(
            sql: """
                INSERT INTO steps (run_id, hashed_id, user_id, idx, kind, status, attempts, started_at, error, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id, hashed_id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts, error = excluded.error
                WHERE steps.status NOT IN ('completed', 'failed')
                """,
            arguments: [
                runID, identity.hashedID, identity.userID, identity.index, kind.rawValue, status, attempts,
                startedAt.milliseconds, try error.map(StoredJSON.text), try detail.map(StoredJSON.text),
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

    /// Every step row of a run, in completion order (unfinished steps last).
    static func all(ofRun runID: String, in database: Database) throws -> [Row] {
        try database.rows(
            sql: "SELECT hashed_id, status, attempts, memo, seq FROM steps WHERE run_id = ? ORDER BY seq IS NULL, seq", arguments: [runID])
    }

    /// The recorded results of a run's finished steps, by hashed id, in the wire memo shape.
    static func recordedMemos(ofRun runID: String, in database: Database) throws -> [String: JSONValue] {
        var steps: [String: JSONValue] = [:]
        for row in try Row.fetchAll(
            database, sql: "SELECT hashed_id, memo FROM steps WHERE run_id = ? AND status IN (?, ?)",
            arguments: [runID, StepStatus.completed, StepStatus.failed])
        {
            if let memo = try StoredJSON.value(JSONValue.self, from: row["memo"]) { steps[row["hashed_id"]] = memo }
        }
        return steps
    }
}
