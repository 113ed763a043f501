import Foundation
import Testing

@testable import Inngest
@testable import InngestCore

/// The search's own date arithmetic, checked against Foundation's Gregorian calendar.
@Suite struct CronWallTimeTests {
    @Test func dayCountsAndWeekdaysAgreeWithTheGregorianCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // 1900-01-01 through 2400, every 13th day so each month and weekday comes up.
        for days in stride(from: -25_567, through: 157_000, by: 13) {
            let date = Date(timeIntervalSince1970: TimeInterval(days) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            let civil = CronWallTime.date(daysSinceEpoch: days)
            #expect(civil.year == parts.year && civil.month == parts.month && civil.day == parts.day)
            #expect(CronWallTime.daysSinceEpoch(year: civil.year, month: civil.month, day: civil.day) == days)
            let wall = CronWallTime(year: civil.year, month: civil.month, day: civil.day, hour: 0, minute: 0)
            #expect(wall.weekday == parts.weekday! - 1)
        }
    }

    @Test func monthLengths() {
        #expect(CronWallTime.daysInMonth(year: 2024, month: 2) == 29)
        #expect(CronWallTime.daysInMonth(year: 2025, month: 2) == 28)
        #expect(CronWallTime.daysInMonth(year: 2000, month: 2) == 29)
        #expect(CronWallTime.daysInMonth(year: 2100, month: 2) == 28)
        #expect(
            (1...12).map { CronWallTime.daysInMonth(year: 2025, month: $0) }
                == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    }

    @Test func roundsUpToTheNextWholeMinute() {
        let exact = CronWallTime(firstMinuteAtOrAfter: 1_735_689_600)  // 2025-01-01 00:00:00
        #expect(exact == CronWallTime(year: 2025, month: 1, day: 1, hour: 0, minute: 0))
        let justAfter = CronWallTime(firstMinuteAtOrAfter: 1_735_689_601)
        #expect(justAfter == CronWallTime(year: 2025, month: 1, day: 1, hour: 0, minute: 1))
        let beforeEpoch = CronWallTime(firstMinuteAtOrAfter: -30)  // 1969-12-31 23:59:30
        #expect(beforeEpoch == CronWallTime(year: 1970, month: 1, day: 1, hour: 0, minute: 0))
        #expect(CronWallTime(year: 2025, month: 3, day: 30, hour: 2, minute: 30).secondsSinceEpochAsUTC == 1_743_301_800)
    }
}
