import Foundation
import GRDB
import Inngest

/// Signal wait rows: which `waitForSignal` step holds each signal name.
enum SignalWaits {
    /// The step holding `signal`, if its wait has not expired.
    static func holder(of signal: String, at now: Date, in database: Database) throws -> (runID: String, hashedID: String)? {
        guard
            let row = try Row.fetchOne(
                database.cachedStatement(sql: "SELECT run_id, hashed_id FROM signal_waits WHERE signal = ? AND expires_at > ?"),
                arguments: [signal, now.milliseconds])
        else { return nil }
        return (row["run_id"], row["hashed_id"])
    }

    /// Makes the step the holder of `signal`, replacing any earlier holder.
    static func hold(_ signal: String, runID: String, hashedID: String, expiresAt: Date, in database: Database) throws {
        try database.executeCached(
            sql: "INSERT OR REPLACE INTO signal_waits (signal, run_id, hashed_id, expires_at) VALUES (?, ?, ?, ?)",
            arguments: [signal, runID, hashedID, expiresAt.milliseconds])
    }

    /// Releases `signal` if the step still holds it; a wait another took over holds nothing.
    static func release(_ signal: String, runID: String, hashedID: String, in database: Database) throws {
        try database.executeCached(
            sql: "DELETE FROM signal_waits WHERE signal = ? AND run_id = ? AND hashed_id = ?", arguments: [signal, runID, hashedID])
    }

    /// Releases whatever the step holds (its wait timed out).
    static func release(runID: String, hashedID: String, in database: Database) throws {
        try database.executeCached(sql: "DELETE FROM signal_waits WHERE run_id = ? AND hashed_id = ?", arguments: [runID, hashedID])
    }

    /// Releases every signal a run holds (it ended).
    static func release(runID: String, in database: Database) throws {
        try database.executeCached(sql: "DELETE FROM signal_waits WHERE run_id = ?", arguments: [runID])
    }
}
