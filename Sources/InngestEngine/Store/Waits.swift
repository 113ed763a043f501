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
        var candidates: [Row] = []
        for field in try matchFields(of: eventName, in: database) {
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

    /// The distinct match paths of the waits for `eventName` (`nil` for waits without one), each
    /// found by one seek in `waits_by_key`: a `SELECT DISTINCT` would read every wait of the
    /// event, so each event would cost as much as there are runs waiting for its name.
    static func matchFields(of eventName: String, in database: Database) throws -> [String?] {
        var fields: [String?] = []
        if try Bool.fetchOne(
            database.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM waits WHERE event_name = ? AND match_field IS NULL)"), arguments: [eventName])
            == true
        {
            fields.append(nil)
        }
        var next = try String.fetchOne(
            database.cachedStatement(sql: firstMatchField), arguments: [eventName])
        while let field = next {
            fields.append(field)
            next = try String.fetchOne(database.cachedStatement(sql: nextMatchField), arguments: [eventName, field])
        }
        return fields
    }

    static let firstMatchField = "SELECT match_field FROM waits WHERE event_name = ? AND match_field IS NOT NULL ORDER BY match_field LIMIT 1"
    static let nextMatchField = "SELECT match_field FROM waits WHERE event_name = ? AND match_field > ? ORDER BY match_field LIMIT 1"

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
