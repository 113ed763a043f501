import Foundation
import Testing

@testable import Inngest
@testable import InngestCore

/// Each piece of syntax, checked by when it actually fires. 2025-01-01 is a Wednesday.
@Suite struct CronSyntaxTests {
    @Test func everyMinuteFiresOnTheNextWholeMinute() throws {
        #expect(
            try fireTimes("* * * * *", after: "2025-01-01T00:00:00Z", count: 3)
                == ["2025-01-01T00:01:00Z", "2025-01-01T00:02:00Z", "2025-01-01T00:03:00Z"])
        // A date between whole minutes rounds up to the next one.
        let schedule = try CronSchedule("* * * * *")
        #expect(
            schedule.nextFireDate(after: instant("2025-01-01T00:00:30Z").addingTimeInterval(0.5))
                == instant("2025-01-01T00:01:00Z"))
    }

    @Test func nextFireIsStrictlyAfterTheGivenDate() throws {
        let schedule = try CronSchedule("0 * * * *")
        #expect(schedule.nextFireDate(after: instant("2025-01-01T01:00:00Z")) == instant("2025-01-01T02:00:00Z"))
        #expect(schedule.nextFireDate(after: instant("2025-01-01T00:59:59Z")) == instant("2025-01-01T01:00:00Z"))
        #expect(
            schedule.nextFireDate(after: instant("2025-01-01T01:00:00Z").addingTimeInterval(-0.001))
                == instant("2025-01-01T01:00:00Z"))
    }

    @Test func lists() throws {
        #expect(
            try fireTimes("5,10,50 * * * *", after: "2025-01-01T00:00:00Z", count: 4)
                == ["2025-01-01T00:05:00Z", "2025-01-01T00:10:00Z", "2025-01-01T00:50:00Z", "2025-01-01T01:05:00Z"])
        #expect(
            try fireTimes("0,30 8-9,17 * * *", after: "2025-01-01T00:00:00Z", count: 7)
                == [
                    "2025-01-01T08:00:00Z", "2025-01-01T08:30:00Z", "2025-01-01T09:00:00Z", "2025-01-01T09:30:00Z",
                    "2025-01-01T17:00:00Z", "2025-01-01T17:30:00Z", "2025-01-02T08:00:00Z",
                ])
    }

    @Test func ranges() throws {
        #expect(
            try fireTimes("0 9-11 * * *", after: "2025-01-01T00:00:00Z", count: 4)
                == ["2025-01-01T09:00:00Z", "2025-01-01T10:00:00Z", "2025-01-01T11:00:00Z", "2025-01-02T09:00:00Z"])
        #expect(
            try fireTimes("7-7 5 * * *", after: "2025-01-01T00:00:00Z", count: 2)
                == ["2025-01-01T05:07:00Z", "2025-01-02T05:07:00Z"])
    }

    @Test func stepOverEverything() throws {
        #expect(
            try fireTimes("*/20 * * * *", after: "2025-01-01T00:00:00Z", count: 3)
                == ["2025-01-01T00:20:00Z", "2025-01-01T00:40:00Z", "2025-01-01T01:00:00Z"])
        #expect(
            try fireTimes("0 0 1 */4 *", after: "2025-01-01T00:00:00Z", count: 3)
                == ["2025-05-01T00:00:00Z", "2025-09-01T00:00:00Z", "2026-01-01T00:00:00Z"])
    }

    @Test func stepOverRange() throws {
        #expect(
            try fireTimes("10-30/10 * * * *", after: "2025-01-01T00:00:00Z", count: 4)
                == ["2025-01-01T00:10:00Z", "2025-01-01T00:20:00Z", "2025-01-01T00:30:00Z", "2025-01-01T01:10:00Z"])
    }

    @Test func stepFromAStartRunsToTheEndOfTheField() throws {
        #expect(
            try fireTimes("45/5 * * * *", after: "2025-01-01T00:00:00Z", count: 4)
                == ["2025-01-01T00:45:00Z", "2025-01-01T00:50:00Z", "2025-01-01T00:55:00Z", "2025-01-01T01:45:00Z"])
        #expect(
            try fireTimes("0 20/2 * * *", after: "2025-01-01T00:00:00Z", count: 3)
                == ["2025-01-01T20:00:00Z", "2025-01-01T22:00:00Z", "2025-01-02T20:00:00Z"])
    }

    @Test func monthNamesAnyCase() throws {
        #expect(
            try fireTimes("0 0 1 jan,Jul *", after: "2025-01-01T00:00:00Z", count: 2)
                == ["2025-07-01T00:00:00Z", "2026-01-01T00:00:00Z"])
        #expect(
            try fireTimes("0 0 1 MAR-may *", after: "2025-01-01T00:00:00Z", count: 4)
                == ["2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z", "2025-05-01T00:00:00Z", "2026-03-01T00:00:00Z"])
    }

    @Test func dayNamesAnyCase() throws {
        // Friday 3 January after noon: the next weekday noon is Monday 6 January.
        #expect(
            try fireTimes("0 12 * * mon-FRI", after: "2025-01-03T13:00:00Z", count: 2)
                == ["2025-01-06T12:00:00Z", "2025-01-07T12:00:00Z"])
        #expect(
            try fireTimes("0 0 * * Sat,sun", after: "2025-01-01T00:00:00Z", count: 3)
                == ["2025-01-04T00:00:00Z", "2025-01-05T00:00:00Z", "2025-01-11T00:00:00Z"])
    }

    @Test(arguments: ["0 0 * * 0", "0 0 * * 7", "0 0 * * SUN", "0 0 * * 7-7"])
    func sevenIsSunday(expression: String) throws {
        #expect(
            try fireTimes(expression, after: "2025-01-01T00:00:00Z", count: 2)
                == ["2025-01-05T00:00:00Z", "2025-01-12T00:00:00Z"])
    }

    @Test func rangeEndingInSevenReachesSunday() throws {
        #expect(
            try fireTimes("0 0 * * 5-7", after: "2025-01-01T00:00:00Z", count: 4)
                == ["2025-01-03T00:00:00Z", "2025-01-04T00:00:00Z", "2025-01-05T00:00:00Z", "2025-01-10T00:00:00Z"])
    }

    @Test func openEndedWeekdayStepStopsAtSaturday() throws {
        // 1/2 is Mon, Wed, Fri as in robfig/cron; Sunday-as-7 is not added.
        #expect(
            try fireTimes("0 0 * * 1/2", after: "2025-01-04T00:00:00Z", count: 4)
                == ["2025-01-06T00:00:00Z", "2025-01-08T00:00:00Z", "2025-01-10T00:00:00Z", "2025-01-13T00:00:00Z"])
    }

    @Test func questionMarkIsAnOpenDayField() throws {
        #expect(
            try fireTimes("0 0 ? * MON", after: "2025-01-01T00:00:00Z", count: 2)
                == ["2025-01-06T00:00:00Z", "2025-01-13T00:00:00Z"])
        #expect(
            try fireTimes("0 0 1 * ?", after: "2025-01-01T00:00:00Z", count: 2)
                == ["2025-02-01T00:00:00Z", "2025-03-01T00:00:00Z"])
    }

    @Test func restrictedDayOfMonthAndDayOfWeekMatchEither() throws {
        // The 13th, and every Friday.
        #expect(
            try fireTimes("0 0 13 * FRI", after: "2025-01-01T00:00:00Z", count: 8)
                == [
                    "2025-01-03T00:00:00Z", "2025-01-10T00:00:00Z", "2025-01-13T00:00:00Z", "2025-01-17T00:00:00Z",
                    "2025-01-24T00:00:00Z", "2025-01-31T00:00:00Z", "2025-02-07T00:00:00Z", "2025-02-13T00:00:00Z",
                ])
        // Friday 13 June 2025 matches both and fires once.
        #expect(
            try fireTimes("0 0 13 * FRI", after: "2025-06-12T00:00:00Z", count: 2)
                == ["2025-06-13T00:00:00Z", "2025-06-20T00:00:00Z"])
    }

    @Test func aSteppedDayFieldCountsAsRestricted() throws {
        // */10 is days 1, 11, 21, 31: ORed with Mondays, as robfig/cron does.
        #expect(
            try fireTimes("0 0 */10 * MON", after: "2025-01-01T00:00:00Z", count: 8)
                == [
                    "2025-01-06T00:00:00Z", "2025-01-11T00:00:00Z", "2025-01-13T00:00:00Z", "2025-01-20T00:00:00Z",
                    "2025-01-21T00:00:00Z", "2025-01-27T00:00:00Z", "2025-01-31T00:00:00Z", "2025-02-01T00:00:00Z",
                ])
    }

    @Test func anOpenDayFieldLeavesTheOtherInCharge() throws {
        #expect(
            try fireTimes("0 0 13 * *", after: "2025-01-01T00:00:00Z", count: 2)
                == ["2025-01-13T00:00:00Z", "2025-02-13T00:00:00Z"])
        #expect(
            try fireTimes("0 0 * * FRI", after: "2025-01-01T00:00:00Z", count: 2)
                == ["2025-01-03T00:00:00Z", "2025-01-10T00:00:00Z"])
        // */1 is still "every day", so it does not switch on the OR rule.
        #expect(
            try fireTimes("0 0 */1 * FRI", after: "2025-01-01T00:00:00Z", count: 2)
                == ["2025-01-03T00:00:00Z", "2025-01-10T00:00:00Z"])
    }

    @Test func descriptors() throws {
        for yearly in ["@yearly", "@annually"] {
            #expect(
                try fireTimes(yearly, after: "2025-06-01T00:00:00Z", count: 2)
                    == ["2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"])
        }
        #expect(
            try fireTimes("@monthly", after: "2025-01-15T00:00:00Z", count: 2)
                == ["2025-02-01T00:00:00Z", "2025-03-01T00:00:00Z"])
        #expect(
            try fireTimes("@weekly", after: "2025-01-01T00:00:00Z", count: 2)
                == ["2025-01-05T00:00:00Z", "2025-01-12T00:00:00Z"])
        for daily in ["@daily", "@midnight"] {
            #expect(
                try fireTimes(daily, after: "2025-01-01T00:00:00Z", count: 2)
                    == ["2025-01-02T00:00:00Z", "2025-01-03T00:00:00Z"])
        }
        #expect(
            try fireTimes("@hourly", after: "2025-01-01T00:30:00Z", count: 2)
                == ["2025-01-01T01:00:00Z", "2025-01-01T02:00:00Z"])
    }

    @Test func timeZonePrefixes() throws {
        let tokyo = try CronSchedule("TZ=Asia/Tokyo 0 9 * * *")
        #expect(tokyo.timeZone.identifier == "Asia/Tokyo")
        #expect(
            try fireTimes("TZ=Asia/Tokyo 0 9 * * *", after: "2024-12-31T12:00:00Z", count: 2)
                == ["2025-01-01T09:00:00+09:00", "2025-01-02T09:00:00+09:00"])
        #expect(tokyo.nextFireDate(after: instant("2024-12-31T23:00:00Z")) == instant("2025-01-01T00:00:00Z"))

        let newYork = try CronSchedule("CRON_TZ=America/New_York @daily")
        #expect(newYork.timeZone.identifier == "America/New_York")
        #expect(newYork.nextFireDate(after: instant("2025-01-01T00:00:00Z")) == instant("2025-01-01T05:00:00Z"))
    }

    @Test func withoutAPrefixTheZoneIsUTC() throws {
        let schedule = try CronSchedule("0 9 * * *")
        #expect(schedule.timeZone.secondsFromGMT(for: instant("2025-07-01T00:00:00Z")) == 0)
        #expect(schedule.nextFireDate(after: instant("2025-07-01T00:00:00Z")) == instant("2025-07-01T09:00:00Z"))
    }

    @Test func extraWhitespaceIsIgnoredButTheExpressionIsKeptAsGiven() throws {
        let text = "  TZ=Europe/Paris\t0   9 * *  *  "
        let schedule = try CronSchedule(text)
        #expect(schedule.expression == text)
        #expect(schedule.description == text)
        #expect(schedule.nextFireDate(after: instant("2025-01-01T00:00:00Z")) == instant("2025-01-01T08:00:00Z"))
    }

    @Test func equalityFollowsTheText() throws {
        #expect(try CronSchedule("0 0 * * *") == CronSchedule("0 0 * * *"))
        #expect(try CronSchedule("0 0 * * *") != CronSchedule("@daily"))
        #expect(try Set([CronSchedule("@daily"), CronSchedule("@daily"), CronSchedule("@hourly")]).count == 2)
    }
}
