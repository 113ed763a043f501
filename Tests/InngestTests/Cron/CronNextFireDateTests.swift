import Foundation
import Testing

@testable import Inngest
@testable import InngestCore

@Suite struct CronNextFireDateTests {
    @Test func leapDayFindsTheNextLeapYear() throws {
        #expect(
            try fireTimes("0 0 29 2 *", after: "2025-01-01T00:00:00Z", count: 2)
                == ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"])
        #expect(try fireTimes("0 0 29 2 *", after: "2028-02-28T23:59:59Z") == ["2028-02-29T00:00:00Z"])
        #expect(try fireTimes("0 12 29 FEB *", after: "2024-02-29T12:00:00Z") == ["2028-02-29T12:00:00Z"])
    }

    @Test func centuryYearsAreNotLeapUnlessDivisibleBy400() throws {
        // 2100 is skipped; 2104 is five years after 2099, the edge of the search horizon.
        #expect(try fireTimes("0 0 29 2 *", after: "2099-03-01T00:00:00Z") == ["2104-02-29T00:00:00Z"])
        #expect(try fireTimes("0 0 29 2 *", after: "2096-03-01T00:00:00Z") == [])
        #expect(try fireTimes("0 0 29 2 *", after: "1999-03-01T00:00:00Z") == ["2000-02-29T00:00:00Z"])
    }

    @Test(arguments: ["0 0 31 2 *", "0 0 30 2 *", "0 0 31 4,6,9,11 *", "TZ=Europe/Paris 0 0 31 2 *"])
    func impossibleDatesNeverFire(expression: String) throws {
        let schedule = try CronSchedule(expression)
        #expect(schedule.nextFireDate(after: instant("2025-01-01T00:00:00Z")) == nil)
    }

    @Test func rareAndImpossibleSchedulesAreFoundQuickly() throws {
        let leapDay = try CronSchedule("TZ=America/New_York 0 0 29 2 *")
        let never = try CronSchedule("TZ=Europe/Paris 0 0 31 2 *")
        let start = instant("2025-01-01T00:00:00Z")
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<200 {
                _ = leapDay.nextFireDate(after: start)
                _ = never.nextFireDate(after: start)
            }
        }
        // A minute-by-minute scan over five years would take seconds per call.
        #expect(elapsed < .seconds(2))
        #expect(leapDay.nextFireDate(after: start) == instant("2028-02-29T05:00:00Z"))
    }

    @Test func yearRollover() throws {
        #expect(
            try fireTimes("0 0 1 1 *", after: "2025-12-31T23:59:59Z", count: 2)
                == ["2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"])
        #expect(try fireTimes("59 23 31 12 *", after: "2025-12-31T23:59:00Z") == ["2026-12-31T23:59:00Z"])
        #expect(
            try fireTimes("*/15 * * * *", after: "2025-12-31T23:50:00Z", count: 2)
                == ["2026-01-01T00:00:00Z", "2026-01-01T00:15:00Z"])
        #expect(try fireTimes("0 0 * * MON", after: "2025-12-30T00:00:00Z") == ["2026-01-05T00:00:00Z"])
    }

    @Test func monthsWithoutTheDayAreSkipped() throws {
        #expect(
            try fireTimes("0 0 31 * *", after: "2025-01-31T00:00:00Z", count: 3)
                == ["2025-03-31T00:00:00Z", "2025-05-31T00:00:00Z", "2025-07-31T00:00:00Z"])
        #expect(
            try fireTimes("0 0 30 * *", after: "2025-01-30T00:00:00Z", count: 2)
                == ["2025-03-30T00:00:00Z", "2025-04-30T00:00:00Z"])
    }

    @Test func carriesAcrossHourDayAndMonthEnds() throws {
        #expect(try fireTimes("15 10 * * *", after: "2025-01-31T10:15:00Z") == ["2025-02-01T10:15:00Z"])
        #expect(try fireTimes("0 8 * * *", after: "2025-02-28T23:30:00Z") == ["2025-03-01T08:00:00Z"])
        #expect(try fireTimes("5 * * * *", after: "2025-06-30T23:05:00Z") == ["2025-07-01T00:05:00Z"])
    }

    @Test func extremeDatesDoNotTrap() throws {
        let schedule = try CronSchedule("*/5 * * * *")
        #expect(schedule.nextFireDate(after: Date(timeIntervalSince1970: .infinity)) == nil)
        #expect(schedule.nextFireDate(after: Date(timeIntervalSince1970: -.infinity)) == nil)
        #expect(schedule.nextFireDate(after: Date(timeIntervalSince1970: .nan)) == nil)
        #expect(schedule.nextFireDate(after: Date(timeIntervalSince1970: 1e300)) == nil)
        let past = try #require(schedule.nextFireDate(after: .distantPast))
        #expect(past > .distantPast && past.timeIntervalSince(.distantPast) <= 300)
        let future = try #require(schedule.nextFireDate(after: .distantFuture))
        #expect(future > .distantFuture)
        #expect(future.timeIntervalSince(.distantFuture) <= 300)
    }

    @Test func successiveFireTimesAreIncreasingAndMatchTheFields() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/New_York")!
        let schedule = try CronSchedule("TZ=America/New_York 7,37 */6 1-7 * MON")
        var date = instant("2025-01-01T00:00:00Z")
        for _ in 0..<300 {
            let next = try #require(schedule.nextFireDate(after: date))
            #expect(next > date)
            let parts = calendar.dateComponents([.minute, .hour, .day, .weekday, .second], from: next)
            #expect(parts.second == 0)
            #expect([7, 37].contains(parts.minute))
            #expect(parts.hour! % 6 == 0)
            #expect((1...7).contains(parts.day!) || parts.weekday == 2)
            date = next
        }
    }
}
