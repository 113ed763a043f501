import Foundation
import GRDB
import Inngest

/// Generic cell rate algorithm over the `flow_limits` table: one timestamp (the theoretical
/// arrival time) per key is the whole state of a throttle, a rate limit or an idempotency key.
///
/// With `emission` = period / limit and `tolerance` = how far ahead of schedule a request may
/// be, a request at `now` conforms when `tat - now <= tolerance`.
struct RateLimiter {
    let scope: String
    let emission: Int64
    let tolerance: Int64

    /// `limit` per `period`, the first `limit` at once (a rate limit: a sliding window).
    static func window(scope: String, limit: Int, period: Duration) -> RateLimiter {
        let periodMS = period.milliseconds
        let emission = max(1, periodMS / Int64(max(1, limit)))
        return RateLimiter(scope: scope, emission: emission, tolerance: max(0, periodMS - emission))
    }

    /// `limit` per `period`, evenly spaced, `burst` at once (Inngest's throttle).
    static func smoothed(scope: String, limit: Int, period: Duration, burst: Int) -> RateLimiter {
        let emission = max(1, period.milliseconds / Int64(max(1, limit)))
        let (tolerance, overflow) = emission.multipliedReportingOverflow(by: Int64(max(0, burst - 1)))
        return RateLimiter(scope: scope, emission: emission, tolerance: overflow ? .max : tolerance)
    }

    /// True, and counted, if a request may pass now; false (and not counted) otherwise.
    func admit(_ key: String, in database: Database, now: Date) throws -> Bool {
        let now = now.milliseconds
        let tat = max(try stored(key, in: database) ?? now, now)
        guard tat - now <= tolerance else { return false }
        try store(key, tat + emission, in: database)
        return true
    }

    /// When a request arriving now may pass (now, or later in its turn); the slot is reserved.
    func schedule(_ key: String, in database: Database, now: Date) throws -> Date {
        let now = now.milliseconds
        let tat = max(try stored(key, in: database) ?? now, now)
        try store(key, tat + emission, in: database)
        return Date(milliseconds: max(now, tat - tolerance))
    }

    private func stored(_ key: String, in database: Database) throws -> Int64? {
        try database.value(Int64.self, sql: "SELECT tat FROM flow_limits WHERE scope = ? AND key = ?", arguments: [scope, key])
    }

    private func store(_ key: String, _ tat: Int64, in database: Database) throws {
        try database.executeCached(sql: "INSERT OR REPLACE INTO flow_limits (scope, key, tat) VALUES (?, ?, ?)", arguments: [scope, key, tat])
    }
}
