/// One of the five fields of a cron schedule, in the order they are written:
/// `minute hour day-of-month month day-of-week`.
package enum CronField: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// 0-59.
    case minute
    /// 0-23.
    case hour
    /// 1-31.
    case dayOfMonth
    /// 1-12 or `JAN`-`DEC`.
    case month
    /// 0-6 or `SUN`-`SAT`, 0 being Sunday; 7 is also Sunday.
    case dayOfWeek

    /// The field's name as error messages spell it: "minute", "hour", "day of month",
    /// "month" or "day of week".
    package var description: String {
        switch self {
        case .minute: return "minute"
        case .hour: return "hour"
        case .dayOfMonth: return "day of month"
        case .month: return "month"
        case .dayOfWeek: return "day of week"
        }
    }
}

extension CronField {
    /// The numbers that may be written. Day of week goes up to 7 because cron lets 7 mean Sunday.
    var writtenRange: ClosedRange<Int> {
        switch self {
        case .minute: return 0...59
        case .hour: return 0...23
        case .dayOfMonth: return 1...31
        case .month: return 1...12
        case .dayOfWeek: return 0...7
        }
    }

    /// The values `*` and an open-ended step (`a/n`) cover. Day of week stops at 6 so that
    /// `1/2` means Mon, Wed, Fri as in robfig/cron, without also adding Sunday as 7.
    var fullRange: ClosedRange<Int> {
        self == .dayOfWeek ? 0...6 : writtenRange
    }

    /// The largest useful step: a bigger one could only ever select the first value, which is
    /// almost always a misreading such as `*/90` for "every 90 minutes".
    var largestStep: Int { fullRange.upperBound - fullRange.lowerBound }

    /// Lower-cased names accepted in place of numbers.
    var names: [String: Int] {
        switch self {
        case .month:
            return [
                "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
                "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
            ]
        case .dayOfWeek:
            return ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]
        default:
            return [:]
        }
    }

    /// What besides a number the field accepts, for the "not a number" message.
    var nameHint: String? {
        switch self {
        case .month: return "a month name (JAN-DEC)"
        case .dayOfWeek: return "a day name (SUN-SAT)"
        default: return nil
        }
    }

    /// `?` only means something where one of two day fields may be left open.
    var acceptsQuestionMark: Bool { self == .dayOfMonth || self == .dayOfWeek }

    /// The stored value for a written one: 7 in day of week is Sunday, 0.
    func canonical(_ value: Int) -> Int {
        self == .dayOfWeek && value == 7 ? 0 : value
    }
}
