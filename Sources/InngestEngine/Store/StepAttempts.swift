import Foundation
import GRDB
import Inngest

/// Failed attempts of run steps that were retried: each attempt's error and times, so a
/// run's history shows every retry, not only the last error. Written only on a failure
/// that is retried, so a step that succeeds first time costs nothing here.
///
/// A failure of the function itself (an error outside any step, an app that could not be
/// reached) is kept the same way under ``runLevel``, an id no step has.
enum StepAttempts {
    /// The `hashed_id` of the function's own failed attempts.
    static let runLevel = ""

    static func insert(
        runID: String, hashedID: String, attempt: Int, startedAt: Date, endedAt: Date, error: SerializedError, in database: Database
    ) throws {
        try database.executeCached(
            sql: """
                INSERT OR REPLACE INTO step_attempts (run_id, hashed_id, attempt, started_at, ended_at, error)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [runID, hashedID, attempt, startedAt.milliseconds, endedAt.milliseconds, try StoredJSON.text(error)])
    }

    /// A run's failed attempts, by step hashed id, in attempt order.
    static func all(ofRun runID: String, in database: Database) throws -> [String: [StepAttempt]] {
        var attempts: [String: [StepAttempt]] = [:]
        for row in try Row.fetchAll(
            database, sql: "SELECT * FROM step_attempts WHERE run_id = ? ORDER BY hashed_id, attempt", arguments: [runID])
        {
            let error = try StoredJSON.value(SerializedError.self, from: row["error"]) ?? SerializedError(name: "Error", message: "")
            attempts[row["hashed_id"], default: []].append(
                StepAttempt(
                    number: row["attempt"], startedAt: Date(milliseconds: row["started_at"]), endedAt: Date(milliseconds: row["ended_at"]),
                    error: error))
        }
        return attempts
    }
}
