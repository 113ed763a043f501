import Foundation

/// A parsed cron schedule of an Inngest cron trigger, able to say when it fires next.
///
/// Accepts what the Inngest server accepts (robfig/cron v3 semantics):
///
/// - Five fields, `minute hour day-of-month month day-of-week`, with minute 0-59, hour 0-23,
///   day of month 1-31, month 1-12 or `JAN`-`DEC`, day of week 0-6 or `SUN`-`SAT`
///   (7 is also Sunday). Names are case-insensitive.
/// - In each field: `*`, lists `a,b`, ranges `a-b`, steps `*/n`, `a-b/n` and `a/n`
///   (from `a` to the end of the field). `?` means `*` in the two day fields.
/// - When both day fields are restricted, a day matches if *either* matches:
///   `0 0 1 * MON` fires on the 1st and on every Monday.
/// - Descriptors: `@yearly`/`@annually`, `@monthly`, `@weekly`, `@daily`/`@midnight`, `@hourly`.
/// - An optional `TZ=<IANA zone> ` or `CRON_TZ=<IANA zone> ` prefix; the schedule is in UTC otherwise.
///
/// ```swift
/// let schedule = try CronSchedule("TZ=Europe/Paris 30 9 * * MON-FRI")
/// let next = schedule.nextFireDate(after: .now)
/// ```
///
/// A seconds field (six fields) is rejected rather than misread as minutes.
package struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    /// The expression exactly as given, prefix included.
    package let expression: String
    /// The zone the fields are read in: from the `TZ=`/`CRON_TZ=` prefix, otherwise UTC.
    package let timeZone: TimeZone

    let minutes: CronFieldValues
    let hours: CronFieldValues
    let daysOfMonth: CronFieldValues
    let months: CronFieldValues
    let daysOfWeek: CronFieldValues

    /// Parses `[TZ=<IANA zone> ]<5 fields>` or `[TZ=<IANA zone> ]<descriptor>`.
    ///
    /// - Throws: ``CronParseError`` naming the field, the offending text and what is allowed,
    ///   e.g. `cron "0 25 * * *": hour 25 is out of range 0-23`.
    package init(_ expression: String) throws(CronParseError) {
        self.expression = expression
        var tokens = expression.split(whereSeparator: \.isWhitespace)[...]

        var zone = TimeZone(identifier: "UTC")!
        if let first = tokens.first, let prefix = ["CRON_TZ=", "TZ="].first(where: { first.hasPrefix($0) }) {
            let name = first.dropFirst(prefix.count)
            guard !name.isEmpty else { throw .missingTimeZone(prefix[...], in: expression) }
            guard let named = TimeZone(identifier: String(name)) else { throw .unknownTimeZone(name, in: expression) }
            zone = named
            tokens = tokens.dropFirst()
        }
        timeZone = zone

        if let first = tokens.first, first.hasPrefix("@") {
            guard let fields = Self.descriptor(first) else { throw .unknownDescriptor(first, in: expression) }
            guard tokens.count == 1 else { throw .textAfterDescriptor(first, in: expression) }
            (minutes, hours, daysOfMonth, months, daysOfWeek) = fields
            return
        }

        switch tokens.count {
        case 5: break
        case 6: throw .secondsField(in: expression)
        default: throw .wrongFieldCount(tokens.count, in: expression)
        }
        let texts = Array(tokens)
        minutes = try CronFieldValues(parsing: texts[0], as: .minute, in: expression)
        hours = try CronFieldValues(parsing: texts[1], as: .hour, in: expression)
        daysOfMonth = try CronFieldValues(parsing: texts[2], as: .dayOfMonth, in: expression)
        months = try CronFieldValues(parsing: texts[3], as: .month, in: expression)
        daysOfWeek = try CronFieldValues(parsing: texts[4], as: .dayOfWeek, in: expression)
    }

    /// The expression as given.
    package var description: String { expression }

    /// Schedules are equal when written identically: everything else is derived from the text.
    package static func == (lhs: CronSchedule, rhs: CronSchedule) -> Bool {
        lhs.expression == rhs.expression
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(expression)
    }

    private typealias Fields = (CronFieldValues, CronFieldValues, CronFieldValues, CronFieldValues, CronFieldValues)

    /// The fields a descriptor stands for; names are matched exactly, as the server does.
    private static func descriptor(_ name: Substring) -> Fields? {
        let zero = CronFieldValues.only(0)
        let first = CronFieldValues.only(1)
        switch name {
        case "@yearly", "@annually":
            return (zero, zero, first, first, .all(.dayOfWeek))
        case "@monthly":
            return (zero, zero, first, .all(.month), .all(.dayOfWeek))
        case "@weekly":
            return (zero, zero, .all(.dayOfMonth), .all(.month), zero)
        case "@daily", "@midnight":
            return (zero, zero, .all(.dayOfMonth), .all(.month), .all(.dayOfWeek))
        case "@hourly":
            return (zero, .all(.hour), .all(.dayOfMonth), .all(.month), .all(.dayOfWeek))
        default:
            return nil
        }
    }
}
