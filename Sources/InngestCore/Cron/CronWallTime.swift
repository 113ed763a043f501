/// A minute on a wall clock (local date and time, no zone), in the proleptic Gregorian calendar.
///
/// The fire-time search steps through these with plain integer arithmetic: wall-clock dates do
/// not depend on the zone, so only the final wall time → instant conversion needs zone data.
/// Fields may run one past their end (minute 60, hour 24, day 32, month 13) while searching;
/// the search carries them into the next unit.
struct CronWallTime: Sendable, Hashable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        (self.year, self.month, self.day, self.hour, self.minute) = (year, month, day, hour, minute)
    }

    /// The first whole minute at or after `wallSeconds`, which counts seconds from
    /// 1970-01-01 00:00 on the wall clock.
    init(firstMinuteAtOrAfter wallSeconds: Int) {
        let minutes = Self.floorDivide(wallSeconds + 59, 60)
        let days = Self.floorDivide(minutes, 1_440)
        let minuteOfDay = minutes - days * 1_440
        let (year, month, day) = Self.date(daysSinceEpoch: days)
        self.init(year: year, month: month, day: day, hour: minuteOfDay / 60, minute: minuteOfDay % 60)
    }

    /// Seconds from 1970-01-01 00:00 on the same wall clock, i.e. the instant this wall time
    /// would be in UTC. Subtracting a zone's UTC offset gives the instant in that zone.
    var secondsSinceEpochAsUTC: Int {
        Self.daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60
    }

    /// 0 for Sunday through 6 for Saturday, as cron numbers them.
    var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        return ((days + 4) % 7 + 7) % 7
    }

    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to the given date. Counts in 400-year eras starting in March, so
    /// February (and its leap day) comes last and the length of the year before it never matters.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = floorDivide(shiftedYear, 400)
        let yearOfEra = shiftedYear - era * 400  // 0...399
        let monthFromMarch = (month + 9) % 12  // March = 0
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1  // 0...365
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468  // 719_468: 0000-03-01 → 1970-01-01
    }

    /// The inverse of ``daysSinceEpoch(year:month:day:)``.
    static func date(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097  // 0...146_096
        // Undo the leap days (every 4 years, not every 100, again every 400) to find the year.
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = era * 400 + yearOfEra + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    static func floorDivide(_ dividend: Int, _ divisor: Int) -> Int {
        let quotient = dividend / divisor
        return dividend % divisor < 0 ? quotient - 1 : quotient
    }
}
