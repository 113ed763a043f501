import Foundation
import GRDB
import Inngest

/// Cron triggers as durable timers: one pending `cron` timer per (function, schedule).
enum CronScheduling {
    struct Payload: Codable, Sendable, Equatable {
        var function: String
        var schedule: String
    }

    /// Makes sure every cron trigger has its next timer and removes timers of schedules that
    /// no longer exist. Returns the earliest timer added.
    static func ensureTimers(in database: Database, functions: [InngestFunction], now: Date) throws -> Int64? {
        var wanted: [String: (Payload, Trigger)] = [:]
        for function in functions {
            for trigger in function.configuration.triggers {
                guard case .cron(let schedule, _) = trigger.kind else { continue }
                let payload = Payload(function: function.id, schedule: schedule)
                wanted[try StoredJSON.text(payload)] = (payload, trigger)
            }
        }
        let existing = try Timers.payloads(of: .cron, in: database)
        for payload in existing where wanted[payload] == nil {
            try Timers.delete(.cron, payload: payload, in: database)
        }
        var earliest: Int64?
        for (text, (_, trigger)) in wanted where !existing.contains(text) {
            guard let due = try nextFire(of: trigger, after: now) else { continue }
            try Timers.insertCron(due: due.fire, scheduled: due.scheduled, payload: text, in: database)
            earliest = min(earliest ?? due.fire.milliseconds, due.fire.milliseconds)
        }
        return earliest
    }

    /// The next scheduled time after `date`, and when to fire it (later by a random jitter).
    static func nextFire(of trigger: Trigger, after date: Date) throws -> (scheduled: Date, fire: Date)? {
        guard case .cron(let schedule, let jitter) = trigger.kind,
            let scheduled = try CronSchedule(schedule).nextFireDate(after: date)
        else { return nil }
        var fire = scheduled
        if let jitter, let nanoseconds = try? jitter.nanoseconds(), nanoseconds > 0 {
            fire = scheduled.addingTimeInterval(Double.random(in: 0...(Double(nanoseconds) / 1e9)))
        }
        return (scheduled, fire)
    }
}
