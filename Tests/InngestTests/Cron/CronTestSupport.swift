import Foundation

@testable import Inngest
@testable import InngestCore

/// Parses an ISO 8601 instant such as "2025-03-30T00:30:00Z" or "2025-10-26T02:30:00+02:00".
func instant(_ text: String) -> Date {
    guard let date = ISO8601DateFormatter().date(from: text) else { fatalError("bad test instant \(text)") }
    return date
}

/// The next `count` fire times strictly after `start`, written on the schedule's own wall
/// clock with its UTC offset (e.g. "2025-10-26T02:30:00+02:00"), so DST cases read plainly.
func fireTimes(_ expression: String, after start: String, count: Int = 1) throws -> [String] {
    let schedule = try CronSchedule(expression)
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = schedule.timeZone
    var times: [String] = []
    var date = instant(start)
    for _ in 0..<count {
        guard let next = schedule.nextFireDate(after: date) else { break }
        times.append(formatter.string(from: next))
        date = next
    }
    return times
}

/// The message a rejected expression produces, or nil when it parses.
func parseError(_ expression: String) -> CronParseError? {
    do {
        _ = try CronSchedule(expression)
        return nil
    } catch {
        return error
    }
}
