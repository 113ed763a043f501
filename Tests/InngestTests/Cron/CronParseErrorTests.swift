import Foundation
import Testing

@testable import Inngest
@testable import InngestCore

@Suite struct CronParseErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let expression: String
        let field: CronField?
        let reason: String
        init(_ expression: String, _ field: CronField?, _ reason: String) {
            (self.expression, self.field, self.reason) = (expression, field, reason)
        }
        var testDescription: String { expression.isEmpty ? "(empty)" : expression }
    }

    static let cases: [Case] = [
        // Shape of the expression.
        Case("", nil, "expected 5 fields (minute hour day-of-month month day-of-week) or a descriptor such as @daily, found none"),
        Case("   ", nil, "expected 5 fields (minute hour day-of-month month day-of-week) or a descriptor such as @daily, found none"),
        Case("* * * *", nil, "expected 5 fields (minute hour day-of-month month day-of-week) or a descriptor such as @daily, found 4"),
        Case("0 0 1 1 * 2025 x", nil, "expected 5 fields (minute hour day-of-month month day-of-week) or a descriptor such as @daily, found 7"),
        Case("0 */5 * * * *", nil, "found 6 fields, but a seconds field is not supported; use 5 fields (minute hour day-of-month month day-of-week)"),
        Case("TZ=Europe/Paris", nil, "expected 5 fields (minute hour day-of-month month day-of-week) or a descriptor such as @daily, found none"),
        // Descriptors.
        Case("@fortnightly", nil, "unknown descriptor \"@fortnightly\"; expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly"),
        Case("@Daily", nil, "unknown descriptor \"@Daily\"; expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly"),
        Case("@every 5m", nil, "@every intervals are not supported; use 5 fields (minute hour day-of-month month day-of-week), e.g. \"*/5 * * * *\""),
        Case("@daily 0", nil, "unexpected text after @daily; a descriptor stands alone"),
        // Time zones.
        Case("TZ=Mars/Olympus_Mons 0 * * * *", nil, "unknown time zone \"Mars/Olympus_Mons\"; use an IANA name such as Europe/Paris"),
        Case("CRON_TZ=Nowhere @daily", nil, "unknown time zone \"Nowhere\"; use an IANA name such as Europe/Paris"),
        Case("TZ= 0 * * * *", nil, "TZ= is missing a time zone name"),
        Case("CRON_TZ= 0 * * * *", nil, "CRON_TZ= is missing a time zone name"),
        // Out of range, for every field, including numbers far too big for any integer type.
        Case("60 * * * *", .minute, "minute 60 is out of range 0-59"),
        Case("0 25 * * *", .hour, "hour 25 is out of range 0-23"),
        Case("0 0 0 * *", .dayOfMonth, "day of month 0 is out of range 1-31"),
        Case("0 0 32 * *", .dayOfMonth, "day of month 32 is out of range 1-31"),
        Case("0 0 * 0 *", .month, "month 0 is out of range 1-12"),
        Case("0 0 * 13 *", .month, "month 13 is out of range 1-12"),
        Case("0 0 * * 8", .dayOfWeek, "day of week 8 is out of range 0-7 (0 and 7 are Sunday)"),
        Case("0 1-24 * * *", .hour, "hour 24 is out of range 0-23"),
        Case("99999999999999999999 * * * *", .minute, "minute 99999999999999999999 is out of range 0-59"),
        Case("0 0-99999999999999999999999999 * * *", .hour, "hour 99999999999999999999999999 is out of range 0-23"),
        Case("0 0 * * 00000000000000000000000000000000009", .dayOfWeek, "day of week 00000000000000000000000000000000009 is out of range 0-7 (0 and 7 are Sunday)"),
        // Not numbers.
        Case("abc * * * *", .minute, "minute \"abc\" is not a number"),
        Case("+5 * * * *", .minute, "minute \"+5\" is not a number"),
        Case("1.5 * * * *", .minute, "minute \"1.5\" is not a number"),
        Case("0 MON * * *", .hour, "hour \"MON\" is not a number"),
        Case("0 0 L * *", .dayOfMonth, "day of month \"L\" is not a number"),
        Case("0 0 * FOO *", .month, "month \"FOO\" is not a number or a month name (JAN-DEC)"),
        Case("0 0 * JANUARY *", .month, "month \"JANUARY\" is not a number or a month name (JAN-DEC)"),
        Case("0 0 * * FUNDAY", .dayOfWeek, "day of week \"FUNDAY\" is not a number or a day name (SUN-SAT)"),
        Case("0 0 * * 1#2", .dayOfWeek, "day of week \"1#2\" is not a number or a day name (SUN-SAT)"),
        // Lists.
        Case("1,,2 * * * *", .minute, "minute \"1,,2\" has an empty list item"),
        Case("1, * * * *", .minute, "minute \"1,\" has an empty list item"),
        Case("0 0 ,1 * *", .dayOfMonth, "day of month \",1\" has an empty list item"),
        // Ranges.
        Case("-5 * * * *", .minute, "minute range \"-5\" is missing its start"),
        Case("5- * * * *", .minute, "minute range \"5-\" is missing its end"),
        Case("1-2-3 * * * *", .minute, "minute \"1-2-3\" is not a valid range; write it as start-end, e.g. \"1-5\""),
        Case("30-10 * * * *", .minute, "minute range \"30-10\" is reversed; write the smaller value first"),
        Case("0 0 * * FRI-MON", .dayOfWeek, "day of week range \"FRI-MON\" is reversed; write the smaller value first"),
        Case("0 0 * DEC-JAN *", .month, "month range \"DEC-JAN\" is reversed; write the smaller value first"),
        Case("*-5 * * * *", .minute, "minute \"*-5\" is not valid; \"*\" and \"?\" stand alone or take a step such as \"*/5\""),
        // Steps.
        Case("*/0 * * * *", .minute, "minute step 0 in \"*/0\" must be at least 1"),
        Case("0 0 1-10/00 * *", .dayOfMonth, "day of month step 00 in \"1-10/00\" must be at least 1"),
        Case("*/ * * * *", .minute, "minute \"*/\" is missing the step after \"/\""),
        Case("*/x * * * *", .minute, "minute step \"x\" in \"*/x\" is not a number"),
        Case("*/-1 * * * *", .minute, "minute step \"-1\" in \"*/-1\" is not a number"),
        Case("*/2/3 * * * *", .minute, "minute \"*/2/3\" has more than one step"),
        Case("/5 * * * *", .minute, "minute \"/5\" has nothing before \"/\"; write e.g. \"*/5\""),
        Case("*/90 * * * *", .minute, "minute step 90 in \"*/90\" is out of range 1-59"),
        Case("0 */24 * * *", .hour, "hour step 24 in \"*/24\" is out of range 1-23"),
        Case("0 0 * * */7", .dayOfWeek, "day of week step 7 in \"*/7\" is out of range 1-6"),
        Case("*/99999999999999999999 * * * *", .minute, "minute step 99999999999999999999 in \"*/99999999999999999999\" is out of range 1-59"),
        // "?" only stands for an open day field.
        Case("? * * * *", .minute, "minute cannot be \"?\"; it is only allowed in day of month and day of week"),
        Case("0 0 * ? *", .month, "month cannot be \"?\"; it is only allowed in day of month and day of week"),
    ]

    @Test(arguments: cases)
    func rejectsWithAClearMessage(_ testCase: Case) {
        let error = parseError(testCase.expression)
        #expect(error?.reason == testCase.reason)
        #expect(error?.field == testCase.field)
        #expect(error?.expression == testCase.expression)
        #expect(error?.description == "cron \"\(testCase.expression)\": \(testCase.reason)")
    }

    @Test func descriptionQuotesTheExpression() {
        let error = parseError("0 25 * * *")
        #expect(error?.description == "cron \"0 25 * * *\": hour 25 is out of range 0-23")
        #expect(error?.localizedDescription == "cron \"0 25 * * *\": hour 25 is out of range 0-23")
        #expect(error.map { String(describing: $0) } == "cron \"0 25 * * *\": hour 25 is out of range 0-23")
    }

    @Test func initThrowsTheTypedError() {
        #expect(throws: CronParseError.self) { try CronSchedule("nope") }
        #expect(
            throws: CronParseError(
                expression: "0 0 31 2", field: nil,
                reason: "expected 5 fields (minute hour day-of-month month day-of-week) or a descriptor such as @daily, found 4")
        ) {
            try CronSchedule("0 0 31 2")
        }
    }

    @Test func fieldNames() {
        #expect(CronField.allCases.map(\.description) == ["minute", "hour", "day of month", "month", "day of week"])
    }

    /// Arbitrary junk built from cron's own characters must be rejected or accepted, never trap,
    /// and whatever is accepted must be able to compute a fire time.
    @Test func neverTrapsOnJunk() {
        let pieces = [
            "*", "?", "-", "/", ",", "0", "1", "7", "23", "59", "60", "99999999999999999999",
            "MON", "jan", "x", " ", " ", " ", "TZ=", "TZ=UTC", "@", "@daily", "\t", "L", "#",
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var accepted = 0
        for _ in 0..<3_000 {
            var text = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for _ in 0..<(Int(state >> 59) + 1) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += pieces[Int(state >> 33) % pieces.count]
            }
            if let schedule = try? CronSchedule(text) {
                accepted += 1
                _ = schedule.nextFireDate(after: instant("2025-01-01T00:00:00Z"))
            } else {
                #expect(parseError(text)?.description.hasPrefix("cron \"") == true)
            }
        }
        #expect(accepted > 0)
    }
}
