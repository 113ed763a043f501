import Foundation
import GRDB
import Inngest

/// Wait rows: `waitForEvent` steps and `cancelOn` cancellations.
enum Waits {
    /// Removes a wait; `false` when it was already gone (resolved by a racing event or timer).
    @discardableResult
    static func remove(runID: String, hashedID: String, in database: Database) throws -> Bool {
        try database.executeCached(sql: "DELETE FROM waits WHERE run_id = ? AND hashed_id = ?", arguments: [runID, hashedID])
        return database.changesCount == 1
    }

    /// The live waits `event` could satisfy: those whose match path has the event's value, found
    /// through the (event name, match path, value) index, and those without a match path.
    static func candidates(for eventName: String, json: JSONValue, at now: Date, in database: Database) throws -> [Row] {
        let fields = try String?.fetchAll(
            database.cachedStatement(sql: "SELECT DISTINCT match_field FROM waits WHERE event_name = ?"), arguments: [eventName])
        var candidates: [Row] = []
        for field in fields {
            if let field {
                let key = MatchKey.canonical(MatchKey.lookup(field, in: json))
                candidates += try database.rows(
                    sql: "SELECT * FROM waits WHERE event_name = ? AND match_field = ? AND match_key = ? AND expires_at > ?",
                    arguments: [eventName, field, key, now.milliseconds])
            } else {
                candidates += try database.rows(
                    sql: "SELECT * FROM waits WHERE event_name = ? AND match_field IS NULL AND expires_at > ?",
                    arguments: [eventName, now.milliseconds])
            }
        }
        return candidates
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
