import Foundation
import GRDB
import Inngest

/// Debounce rows: the latest event per function and key, held until its timer fires.
enum Debounces {
    /// When the first event of the key's current debounce arrived; `nil` when none is held.
    static func firstAt(functionID: String, key: String, in database: Database) throws -> Date? {
        try database.value(
            Int64.self, sql: "SELECT first_at FROM debounces WHERE function_id = ? AND key = ?", arguments: [functionID, key]
        ).map(Date.init(milliseconds:))
    }

    /// Holds `event` (JSON text) for the key, replacing the one held before.
    static func hold(
        functionID: String, key: String, event: String, eventID: String, firstAt: Date, due: Date, in database: Database
    ) throws {
        try database.executeCached(
            sql: "INSERT OR REPLACE INTO debounces (function_id, key, event, event_id, first_at, due_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [functionID, key, event, eventID, firstAt.milliseconds, due.milliseconds])
    }

    /// Removes and returns the held event: its JSON text and internal id.
    static func take(functionID: String, key: String, in database: Database) throws -> (event: String, eventID: String?)? {
        guard
            let row = try database.row(
                sql: "SELECT event, event_id FROM debounces WHERE function_id = ? AND key = ?", arguments: [functionID, key])
        else { return nil }
        try database.executeCached(sql: "DELETE FROM debounces WHERE function_id = ? AND key = ?", arguments: [functionID, key])
        return (row["event"], row["event_id"])
    }
}

/// Batch rows: the events collected per function and key until the batch is full or times out.
enum Batches {
    /// The key's batch so far: its events and their internal ids (JSON text); `nil` when none.
    static func current(functionID: String, key: String, in database: Database) throws -> (events: String?, eventIDs: String?)? {
        guard
            let row = try database.row(
                sql: "SELECT events, event_ids FROM batches WHERE function_id = ? AND key = ?", arguments: [functionID, key])
        else { return nil }
        return (row["events"], row["event_ids"])
    }

    /// Stores the key's batch, keeping when its first event arrived.
    static func save(functionID: String, key: String, events: String, eventIDs: String, at now: Date, in database: Database) throws {
        try database.executeCached(
            sql: """
                INSERT OR REPLACE INTO batches (function_id, key, events, event_ids, first_at)
                VALUES (?, ?, ?, ?, COALESCE((SELECT first_at FROM batches WHERE function_id = ? AND key = ?), ?))
                """, arguments: [functionID, key, events, eventIDs, functionID, key, now.milliseconds])
    }

    static func remove(functionID: String, key: String, in database: Database) throws {
        try database.executeCached(sql: "DELETE FROM batches WHERE function_id = ? AND key = ?", arguments: [functionID, key])
    }
}
