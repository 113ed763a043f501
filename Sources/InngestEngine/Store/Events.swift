import Foundation
import GRDB
import Inngest

/// Event rows, and the sender ids that make sending an event idempotent.
enum Events {
    /// Stores an event under its internal id; `false` when that id is already stored (a replayed
    /// `step.sendEvent`, whose ids derive from the run and step).
    @discardableResult
    static func insert(_ id: String, _ event: AnyEvent, text: String, senderID: String?, at now: Date, in database: Database) throws -> Bool {
        try database.executeCached(
            sql: "INSERT OR IGNORE INTO events (id, name, body, sender_id, ts, received_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [id, event.name, text, senderID, event.ts ?? now.milliseconds, now.milliseconds])
        return database.changesCount == 1
    }

    /// Whether the sender's event id was seen within Inngest's idempotency window; records it
    /// as seen now when it was not.
    static func wasSeen(senderID: String, at now: Date, in database: Database) throws -> Bool {
        let windowStart = now.milliseconds - InngestLimits.idempotencyWindow.milliseconds
        let seen = try database.value(Int64.self, sql: "SELECT seen_at FROM seen_event_ids WHERE sender_id = ?", arguments: [senderID])
        if let seen, seen > windowStart { return true }
        try database.executeCached(
            sql: "INSERT OR REPLACE INTO seen_event_ids (sender_id, seen_at) VALUES (?, ?)", arguments: [senderID, now.milliseconds])
        return false
    }
}
