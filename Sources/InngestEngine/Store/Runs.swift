import Foundation
import GRDB
import Inngest

/// Run rows: one method per change of a run's status, so each transition is written once.
///
/// `queued` → `running` (``start(_:at:in:)``); `running` ⇄ `waiting` (``park(_:in:)``,
/// ``parkForRetry(_:failures:in:)``, ``resume(_:in:)``); any live status → final (``end(_:as:output:error:at:in:)``).
/// A transition applies only from the status it starts at, so a late timer or a duplicate
/// event cannot move a run that has already moved on.
enum Runs {
    /// A new run: `running` at once, or `queued` until its start time (`delayed`).
    static func insert(
        _ runID: String, functionID: String, delayed: Bool, events: String, eventName: String?, eventID: String?, parent: String?,
        singletonKey: String?, priority: Int64, traceHeaders: TraceHeaders, at now: Date, in database: Database
    ) throws {
        try database.executeCached(
            sql: """
                INSERT INTO runs (id, function_id, status, events, event_id, created_at, started_at, parent, singleton_key, priority, trace_context, event_name)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                runID, functionID, delayed ? RunStatus.queued : RunStatus.running, events, eventID,
                now.milliseconds, delayed ? nil : now.milliseconds, parent, singletonKey, priority, traceHeaders.storedText, eventName,
            ])
    }

    /// A run that never ran, ended at once with the reason (JSON text) flow control gave.
    static func insertSkipped(
        _ runID: String, functionID: String, events: String, eventName: String?, eventID: String?, reason: String, at now: Date,
        in database: Database
    ) throws {
        try database.executeCached(
            sql: """
                INSERT INTO runs (id, function_id, status, events, event_id, created_at, ended_at, error, event_name)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [runID, functionID, RunStatus.skipped, events, eventID, now.milliseconds, now.milliseconds, reason, eventName])
    }

    /// The runs of a singleton key that have not ended.
    static func live(functionID: String, singletonKey: String, in database: Database) throws -> [String] {
        try String.fetchAll(
            database.cachedStatement(sql: liveOfSingletonKey),
            arguments: [functionID, singletonKey, RunStatus.queued, RunStatus.running, RunStatus.waiting])
    }

    /// Read through `runs_by_singleton`, which holds only the runs that have a key.
    static let liveOfSingletonKey = "SELECT id FROM runs WHERE function_id = ? AND singleton_key = ? AND status IN (?, ?, ?)"

    /// What a new process must execute again: runs that were running, and queued runs whose
    /// start timer is gone (their start was due when the process stopped).
    static func toRecover(in database: Database) throws -> [String] {
        try String.fetchAll(
            database,
            sql: """
                SELECT id FROM runs WHERE status = ?
                   OR (status = ? AND NOT EXISTS (SELECT 1 FROM timers WHERE timers.run_id = runs.id AND timers.kind = ?))
                """, arguments: [RunStatus.running, RunStatus.queued, Timers.Kind.start.rawValue])
    }

    /// A parked run runs again: its timer fired, its event arrived or its invoked run ended.
    static func resume(_ runID: String, in database: Database) throws {
        try database.executeCached(
            sql: "UPDATE runs SET status = ? WHERE id = ? AND status = ?", arguments: [RunStatus.running, runID, RunStatus.waiting])
    }

    /// A running run parks until a timer or an event resumes it.
    static func park(_ runID: String, in database: Database) throws {
        try database.executeCached(
            sql: "UPDATE runs SET status = ? WHERE id = ? AND status = ?", arguments: [RunStatus.waiting, runID, RunStatus.running])
    }

    /// A running run failed an attempt and parks until its retry; `false` when it was not running.
    static func parkForRetry(_ runID: String, failures: Int, in database: Database) throws -> Bool {
        try database.executeCached(
            sql: "UPDATE runs SET attempt = ?, status = ? WHERE id = ? AND status = ?",
            arguments: [failures, RunStatus.waiting, runID, RunStatus.running])
        return database.changesCount == 1
    }

    /// A queued run starts; `false` when it was no longer queued.
    static func start(_ runID: String, at now: Date, in database: Database) throws -> Bool {
        try database.executeCached(
            sql: "UPDATE runs SET status = ?, started_at = ? WHERE id = ? AND status = ?",
            arguments: [RunStatus.running, now.milliseconds, runID, RunStatus.queued])
        return database.changesCount == 1
    }

    /// A completed step gives the function a fresh set of function-level attempts.
    static func resetAttempts(_ runID: String, in database: Database) throws {
        try database.executeCached(sql: "UPDATE runs SET attempt = 0 WHERE id = ?", arguments: [runID])
    }

    /// Records a run's end: its final status and its output or error (JSON text).
    static func end(_ runID: String, as status: RunStatus, output: String?, error: String?, at now: Date, in database: Database) throws {
        try database.executeCached(
            sql: "UPDATE runs SET status = ?, output = ?, error = ?, ended_at = ? WHERE id = ?",
            arguments: [status, output, error, now.milliseconds, runID])
    }

    static func exists(_ runID: String, in database: Database) throws -> Bool {
        try Bool.fetchOne(database, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [runID]) ?? false
    }

    /// A run's row, every column.
    static func row(_ runID: String, in database: Database) throws -> Row? {
        try database.row(sql: "SELECT * FROM runs WHERE id = ?", arguments: [runID])
    }

    static func functionID(ofRun runID: String, in database: Database) throws -> String? {
        try database.value(String.self, sql: "SELECT function_id FROM runs WHERE id = ?", arguments: [runID])
    }

    /// The run's events, as the JSON text stored with it.
    static func events(ofRun runID: String, in database: Database) throws -> String? {
        try String.fetchOne(database, sql: "SELECT events FROM runs WHERE id = ?", arguments: [runID])
    }
}
