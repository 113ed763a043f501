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
        case signalTimeout = "signal-timeout"
        case invokeTimeout = "invoke-timeout"
        case cancelExpiry = "cancel-expiry"
        case startTimeout = "start-timeout"
        case finishTimeout = "finish-timeout"
        case cron
        case debounce
        case batch
        /// The next pass of the retention sweep (``Engine/Options/retention``).
        case retention
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

    /// Takes the timers due by `now`, earliest first, at most `limit`: they are deleted here and
    /// fired by the caller in the same transaction.
    static func takeDue(at now: Date, limit: Int, in database: Database) throws -> [Row] {
        let due = try database.rows(
            sql: "SELECT * FROM timers WHERE due_at <= ? ORDER BY due_at, id LIMIT ?", arguments: [now.milliseconds, limit])
        for timer in due { try database.executeCached(sql: "DELETE FROM timers WHERE id = ?", arguments: [timer["id"] as Int64]) }
        return due
    }

    /// When the next timer is due, in ms; `nil` when none is set.
    static func earliestDue(in database: Database) throws -> Int64? {
        try database.value(Int64.self, sql: "SELECT MIN(due_at) FROM timers")
    }

    /// The payloads of every timer of `kind` (what names a cron or flow-control entry).
    static func payloads(of kind: Kind, in database: Database) throws -> [String] {
        try String.fetchAll(database, sql: "SELECT payload FROM timers WHERE kind = ? AND payload IS NOT NULL", arguments: [kind.rawValue])
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

    /// Drops every timer of a kind that belongs to no run (the retention timer).
    static func delete(kind: Kind, in database: Database) throws {
        try database.executeCached(sql: "DELETE FROM timers WHERE kind = ? AND run_id IS NULL", arguments: [kind.rawValue])
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
