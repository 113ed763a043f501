import Foundation
import Testing

@testable import Inngest
@testable import InngestCore

/// 2025 transitions used below:
/// - Europe/Paris: 30 March 02:00 CET → 03:00 CEST; 26 October 03:00 CEST → 02:00 CET (both at 01:00Z).
/// - America/New_York: 9 March 02:00 EST → 03:00 EDT (07:00Z); 2 November 02:00 EDT → 01:00 EST (06:00Z).
@Suite struct CronDaylightSavingTests {
    // MARK: Europe/Paris

    @Test func parisSpringForwardSkipsTheMissingTime() throws {
        #expect(
            try fireTimes("TZ=Europe/Paris 30 2 * * *", after: "2025-03-28T12:00:00Z", count: 3)
                == ["2025-03-29T02:30:00+01:00", "2025-03-31T02:30:00+02:00", "2025-04-01T02:30:00+02:00"])
    }

    @Test func parisFallBackFiresARepeatedTimeOnce() throws {
        #expect(
            try fireTimes("TZ=Europe/Paris 30 2 * * *", after: "2025-10-25T12:00:00Z", count: 3)
                == ["2025-10-26T02:30:00+02:00", "2025-10-27T02:30:00+01:00", "2025-10-28T02:30:00+01:00"])
        #expect(
            try fireTimes("TZ=Europe/Paris */30 2 * * *", after: "2025-10-25T22:00:00Z", count: 3)
                == ["2025-10-26T02:00:00+02:00", "2025-10-26T02:30:00+02:00", "2025-10-27T02:00:00+01:00"])
    }

    @Test func parisStartingInsideTheRepeatedHour() throws {
        // 02:10 on the second pass: 02:30 already fired on the first pass.
        #expect(try fireTimes("TZ=Europe/Paris 30 2 * * *", after: "2025-10-26T01:10:00Z") == ["2025-10-27T02:30:00+01:00"])
        // 02:05 on the first pass: 02:15 is still ahead.
        #expect(try fireTimes("TZ=Europe/Paris 15 2 * * *", after: "2025-10-26T00:05:00Z") == ["2025-10-26T02:15:00+02:00"])
        // 02:50 on the first pass: 02:45 is behind, and its repeat does not count.
        #expect(try fireTimes("TZ=Europe/Paris 45 2 * * *", after: "2025-10-26T00:50:00Z") == ["2025-10-27T02:45:00+01:00"])
    }

    @Test func parisHourlyKeepsRealTimePaceAcrossBothChanges() throws {
        #expect(
            try fireTimes("TZ=Europe/Paris 0 * * * *", after: "2025-03-29T23:30:00Z", count: 3)
                == ["2025-03-30T01:00:00+01:00", "2025-03-30T03:00:00+02:00", "2025-03-30T04:00:00+02:00"])
        #expect(
            try fireTimes("TZ=Europe/Paris @hourly", after: "2025-10-25T23:30:00Z", count: 4)
                == ["2025-10-26T02:00:00+02:00", "2025-10-26T02:00:00+01:00", "2025-10-26T03:00:00+01:00", "2025-10-26T04:00:00+01:00"])
        #expect(
            try fireTimes("TZ=Europe/Paris */20 * * * *", after: "2025-10-26T00:30:00Z", count: 5)
                == [
                    "2025-10-26T02:40:00+02:00", "2025-10-26T02:00:00+01:00", "2025-10-26T02:20:00+01:00",
                    "2025-10-26T02:40:00+01:00", "2025-10-26T03:00:00+01:00",
                ])
    }

    @Test func parisWholeYearHourlyIsEveryRealHour() throws {
        let schedule = try CronSchedule("TZ=Europe/Paris 0 * * * *")
        let start = instant("2025-01-01T00:00:00+01:00")
        let end = instant("2026-01-01T00:00:00+01:00")
        var fires: [Date] = []
        var date = start
        while let next = schedule.nextFireDate(after: date), next < end {
            fires.append(next)
            date = next
        }
        #expect(fires.count == 8_759)
        #expect(zip([start] + fires, fires).allSatisfy { $1.timeIntervalSince($0) == 3_600 })
    }

    @Test func parisWholeYearDailyAtTwoThirty() throws {
        let schedule = try CronSchedule("TZ=Europe/Paris 30 2 * * *")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = schedule.timeZone
        var days: [DateComponents] = []
        var date = instant("2025-01-01T00:00:00+01:00")
        while let next = schedule.nextFireDate(after: date), next < instant("2026-01-01T00:00:00+01:00") {
            let parts = calendar.dateComponents([.month, .day, .hour, .minute], from: next)
            #expect(parts.hour == 2 && parts.minute == 30)
            days.append(DateComponents(month: parts.month, day: parts.day))
            date = next
        }
        // 365 days minus 30 March, whose 02:30 does not exist; 26 October appears once.
        #expect(days.count == 364)
        #expect(Set(days).count == 364)
        #expect(!days.contains(DateComponents(month: 3, day: 30)))
        #expect(days.contains(DateComponents(month: 10, day: 26)))
    }

    @Test func parisMidnightFiresEveryDayWithShortAndLongDays() throws {
        let schedule = try CronSchedule("TZ=Europe/Paris @daily")
        var gaps: [TimeInterval] = []
        var date = instant("2025-01-01T00:00:00+01:00")
        while let next = schedule.nextFireDate(after: date), next <= instant("2026-01-01T00:00:00+01:00") {
            gaps.append(next.timeIntervalSince(date))
            date = next
        }
        #expect(gaps.count == 365)
        #expect(gaps.filter { $0 == 23 * 3_600 }.count == 1)
        #expect(gaps.filter { $0 == 25 * 3_600 }.count == 1)
        #expect(gaps.filter { $0 == 24 * 3_600 }.count == 363)
    }

    // MARK: America/New_York

    @Test func newYorkSpringForwardSkipsTheMissingTime() throws {
        #expect(
            try fireTimes("TZ=America/New_York 30 2 * * *", after: "2025-03-08T12:00:00Z", count: 2)
                == ["2025-03-10T02:30:00-04:00", "2025-03-11T02:30:00-04:00"])
        #expect(try fireTimes("TZ=America/New_York 0 2 * * *", after: "2025-03-08T12:00:00Z") == ["2025-03-10T02:00:00-04:00"])
        #expect(try fireTimes("TZ=America/New_York 0 3 * * *", after: "2025-03-08T12:00:00Z") == ["2025-03-09T03:00:00-04:00"])
        #expect(try fireTimes("TZ=America/New_York 59 1 * * *", after: "2025-03-08T12:00:00Z") == ["2025-03-09T01:59:00-05:00"])
    }

    @Test func newYorkFallBackFiresARepeatedTimeOnce() throws {
        #expect(
            try fireTimes("TZ=America/New_York 30 1 * * *", after: "2025-11-01T12:00:00Z", count: 2)
                == ["2025-11-02T01:30:00-04:00", "2025-11-03T01:30:00-05:00"])
        // 01:10 EST is the second pass; 01:30 fired at 01:30 EDT.
        #expect(try fireTimes("TZ=America/New_York 30 1 * * *", after: "2025-11-02T06:10:00Z") == ["2025-11-03T01:30:00-05:00"])
        // 02:00 happens once (after the repeat), so it fires as usual.
        #expect(try fireTimes("TZ=America/New_York 0 2 * * *", after: "2025-11-01T12:00:00Z") == ["2025-11-02T02:00:00-05:00"])
    }

    @Test func newYorkEveryTwentyMinutesKeepsPaceThroughTheRepeat() throws {
        #expect(
            try fireTimes("TZ=America/New_York */20 * * * *", after: "2025-11-02T05:30:00Z", count: 5)
                == [
                    "2025-11-02T01:40:00-04:00", "2025-11-02T01:00:00-05:00", "2025-11-02T01:20:00-05:00",
                    "2025-11-02T01:40:00-05:00", "2025-11-02T02:00:00-05:00",
                ])
        #expect(
            try fireTimes("TZ=America/New_York */20 * * * *", after: "2025-03-09T06:30:00Z", count: 3)
                == ["2025-03-09T01:40:00-05:00", "2025-03-09T03:00:00-04:00", "2025-03-09T03:20:00-04:00"])
    }

    // MARK: Other shapes of transition

    @Test func halfHourShiftInLordHowe() throws {
        // 5 October 2025 02:00 → 02:30; 6 April 2025 02:00 → 01:30.
        #expect(
            try fireTimes("TZ=Australia/Lord_Howe 15 2 * * *", after: "2025-10-04T00:00:00Z", count: 2)
                == ["2025-10-06T02:15:00+11:00", "2025-10-07T02:15:00+11:00"])
        #expect(
            try fireTimes("TZ=Australia/Lord_Howe 45 1 * * *", after: "2025-04-05T00:00:00Z", count: 2)
                == ["2025-04-06T01:45:00+11:00", "2025-04-07T01:45:00+10:30"])
    }

    @Test func midnightThatDoesNotExistIsSkipped() throws {
        // Chile moves from 00:00 to 01:00 on 7 September 2025.
        #expect(
            try fireTimes("TZ=America/Santiago 0 0 * * *", after: "2025-09-06T12:00:00Z", count: 2)
                == ["2025-09-08T00:00:00-03:00", "2025-09-09T00:00:00-03:00"])
        #expect(try fireTimes("TZ=America/Santiago 0 1 * * *", after: "2025-09-06T12:00:00Z") == ["2025-09-07T01:00:00-03:00"])
    }

    // MARK: Against a brute-force scan

    struct OracleCase: Sendable, CustomTestStringConvertible {
        let expression: String
        let zone: String
        let from: String
        let days: Int
        /// Whether a local (minute, hour, day, month, weekday 0 = Sunday) matches.
        let matches: @Sendable (Int, Int, Int, Int, Int) -> Bool
        let hourIsRestricted: Bool
        var testDescription: String { "\(expression) from \(from)" }
    }

    static let oracleCases: [OracleCase] = [
        OracleCase(
            expression: "TZ=Europe/Paris */15 2 * * *", zone: "Europe/Paris", from: "2025-10-23T00:00:00Z", days: 7,
            matches: { m, h, _, _, _ in m % 15 == 0 && h == 2 }, hourIsRestricted: true),
        OracleCase(
            expression: "TZ=Europe/Paris */15 2 * * *", zone: "Europe/Paris", from: "2025-03-27T00:00:00Z", days: 7,
            matches: { m, h, _, _, _ in m % 15 == 0 && h == 2 }, hourIsRestricted: true),
        OracleCase(
            expression: "TZ=Europe/Paris 10-50/20 * * * SAT,SUN", zone: "Europe/Paris", from: "2025-10-23T00:00:00Z", days: 7,
            matches: { m, _, _, _, w in [10, 30, 50].contains(m) && (w == 0 || w == 6) }, hourIsRestricted: false),
        OracleCase(
            expression: "TZ=America/New_York 5 1-3 * * *", zone: "America/New_York", from: "2025-10-30T00:00:00Z", days: 7,
            matches: { m, h, _, _, _ in m == 5 && (1...3).contains(h) }, hourIsRestricted: true),
        OracleCase(
            expression: "TZ=America/New_York 5 1-3 * * *", zone: "America/New_York", from: "2025-03-06T00:00:00Z", days: 7,
            matches: { m, h, _, _, _ in m == 5 && (1...3).contains(h) }, hourIsRestricted: true),
        OracleCase(
            expression: "TZ=America/New_York 0 */3 1,15 * FRI", zone: "America/New_York", from: "2025-02-25T00:00:00Z", days: 20,
            matches: { m, h, d, _, w in m == 0 && h % 3 == 0 && (d == 1 || d == 15 || w == 5) }, hourIsRestricted: true),
        OracleCase(
            expression: "45 23 * 2-3 *", zone: "UTC", from: "2025-02-25T00:00:00Z", days: 7,
            matches: { m, h, _, mo, _ in m == 45 && h == 23 && (2...3).contains(mo) }, hourIsRestricted: true),
    ]

    @Test(arguments: oracleCases)
    func agreesWithAMinuteByMinuteScan(_ testCase: OracleCase) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: testCase.zone)!
        let start = instant(testCase.from)
        let end = start.addingTimeInterval(TimeInterval(testCase.days * 86_400))

        var expected: [Date] = []
        var seenWallTimes: Set<DateComponents> = []
        var minute = start.addingTimeInterval(60)
        while minute < end {
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: minute)
            if testCase.matches(c.minute!, c.hour!, c.day!, c.month!, c.weekday! - 1) {
                // A restricted hour fires a wall time once even when a fall-back shows it twice.
                if !testCase.hourIsRestricted || seenWallTimes.insert(c).inserted {
                    expected.append(minute)
                }
            }
            minute.addTimeInterval(60)
        }

        let schedule = try CronSchedule(testCase.expression)
        var actual: [Date] = []
        var date = start
        while let next = schedule.nextFireDate(after: date), next < end {
            actual.append(next)
            date = next
        }
        #expect(!expected.isEmpty)
        #expect(actual == expected)
    }
}
