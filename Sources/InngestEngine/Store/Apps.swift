import Foundation
import GRDB
import Inngest

/// App rows: the register payload of each app synced over HTTP, read again at start.
enum Apps {
    static func save(_ appID: String, registration: String, at now: Date, in database: Database) throws {
        try database.execute(
            sql: "INSERT OR REPLACE INTO apps (id, registration, synced_at) VALUES (?, ?, ?)",
            arguments: [appID, registration, now.milliseconds])
    }

    /// Every stored registration (JSON text) with when it was synced, by app id.
    static func all(in database: Database) throws -> [(registration: String, syncedAt: Int64)] {
        try Row.fetchAll(database, sql: "SELECT registration, synced_at FROM apps ORDER BY id").map { row in
            (row["registration"], row["synced_at"])
        }
    }
}
