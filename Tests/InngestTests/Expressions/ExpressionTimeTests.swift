import Foundation
import Testing

@testable import InngestCore

@Suite struct ExpressionTimeTests {
    /// 2026-01-01T00:00:00Z, so that `now()` is fixed.
    private let now = Date(timeIntervalSince1970: 1_767_225_600)
    private let event: JSONValue = [
        "data": [
            "created": "2025-12-31T23:00:00Z", "ms": 1_767_225_600_000, "wait": "90m", "zone": "Asia/Kolkata",
        ]
    ]

    private func value(_ source: String) throws -> JSONValue {
        try CELExpression(source).evaluate(["event": event], now: now)
    }

    private func failure(_ source: String) -> ExpressionError? {
        #expect(throws: ExpressionError.self, "\(source) should fail") {
            try CELExpression(source).evaluate(["event": event], now: now)
        }
    }

    @Test(
        arguments: [
            // Results are written as cel-go writes time values to JSON.
            ("timestamp('2026-01-02T03:04:05Z')", JSONValue.string("2026-01-02T03:04:05Z")),
            ("timestamp('2026-01-02T03:04:05.120+02:00')", "2026-01-02T01:04:05.12Z"),
            ("timestamp('0001-01-01T00:00:00Z')", "0001-01-01T00:00:00Z"),
            ("timestamp(0)", "1970-01-01T00:00:00Z"),
            ("duration('1h30m')", "5400s"), ("duration('-1.5s')", "-1.5s"), ("duration('0')", "0s"),
            ("duration('1ms') + duration('2us')", "0.001002s"),
            // Arithmetic and comparison.
            ("timestamp('2026-01-01T00:00:00Z') + duration('36h')", "2026-01-02T12:00:00Z"),
            ("duration('1s') + timestamp('2026-01-01T00:00:00Z')", "2026-01-01T00:00:01Z"),
            ("timestamp('2026-03-01T00:00:00Z') - duration('24h')", "2026-02-28T00:00:00Z"),
            ("timestamp('2024-03-01T00:00:00Z') - timestamp('2024-02-28T00:00:00Z')", "172800s"),
            ("-duration('5m')", "-300s"),
            ("timestamp(event.data.created) < now()", true),
            ("now() - timestamp(event.data.created) > duration(event.data.wait)", false),
            ("timestamp('2026-01-01T01:00:00+01:00') == timestamp('2026-01-01T00:00:00Z')", true),
            ("duration('60s') == duration('1m')", true), ("duration('1s') != duration('1000ms')", false),
            // Time values are unequal to other types, as with heterogeneous equality.
            ("timestamp('2026-01-01T00:00:00Z') == '2026-01-01T00:00:00Z'", false),
            ("duration('1s') < 1", false),
            // Getters, in UTC or in a given zone.
            ("timestamp('2026-03-04T05:06:07.089Z').getFullYear()", 2026),
            ("timestamp('2026-03-04T05:06:07.089Z').getMonth()", 2),
            ("timestamp('2026-03-04T05:06:07.089Z').getDate()", 4),
            ("timestamp('2026-03-04T05:06:07.089Z').getDayOfMonth()", 3),
            ("timestamp('2026-03-04T05:06:07.089Z').getDayOfWeek()", 3),
            ("timestamp('2026-03-04T05:06:07.089Z').getDayOfYear()", 62),
            ("timestamp('2026-03-04T05:06:07.089Z').getHours()", 5),
            ("timestamp('2026-03-04T05:06:07.089Z').getMinutes()", 6),
            ("timestamp('2026-03-04T05:06:07.089Z').getSeconds()", 7),
            ("timestamp('2026-03-04T05:06:07.089Z').getMilliseconds()", 89),
            ("timestamp('2026-03-04T20:00:00Z').getHours(event.data.zone)", 1),
            ("timestamp('2026-03-04T20:00:00Z').getDate('+05:30')", 5),
            ("timestamp('2026-03-04T02:00:00Z').getDayOfWeek('-08:00')", 2),
            ("timestamp('1500-03-01T00:00:00Z').getDayOfWeek()", 4),
            ("duration('90m').getHours()", 1), ("duration('90m').getMinutes()", 90),
            ("duration('-1.5s').getSeconds()", -1), ("duration('1.5s').getMilliseconds()", 1500),
            // Conversions.
            ("int(timestamp('2026-01-01T00:00:00Z'))", 1_767_225_600),
            ("string(timestamp('2026-01-01T00:00:00Z'))", "2026-01-01T00:00:00Z"), ("string(duration('1m'))", "60s"),
            // Inngest's functions.
            ("now()", "2026-01-01T00:00:00Z"), ("now_plus('1d')", "2026-01-02T00:00:00Z"),
            ("now_minus('1w')", "2025-12-25T00:00:00Z"), ("now_plus('1h30m')", "2026-01-01T01:30:00Z"),
            ("date('2026-05-06')", "2026-05-06T00:00:00Z"), ("date('2026-05-06T07:08:09')", "2026-05-06T07:08:09Z"),
            ("date(event.data.created)", "2025-12-31T23:00:00Z"), ("date(1767225600)", "2026-01-01T00:00:00Z"),
            ("date(event.data.ms) == now()", true), ("date(1767225600123456789)", "2026-01-01T00:00:00.123456789Z"),
            ("date(event.data.created) > now_minus('2h')", true),
        ] as [(String, JSONValue)])
    func timeValues(source: String, expected: JSONValue) throws {
        #expect(try value(source) == expected)
    }

    @Test(arguments: [
        ("timestamp('2026-13-01T00:00:00Z')", "invalid timestamp '2026-13-01T00:00:00Z'; expected RFC 3339"),
        ("timestamp('2026-02-29T00:00:00Z')", "invalid timestamp '2026-02-29T00:00:00Z'; expected RFC 3339"),
        ("timestamp('2026-01-01 00:00:00Z')", "invalid timestamp '2026-01-01 00:00:00Z'; expected RFC 3339"),
        ("timestamp('2026-01-01T00:00:00')", "invalid timestamp '2026-01-01T00:00:00'; expected RFC 3339"),
        ("timestamp(253402300800)", "timestamp is out of the range of years 0001 to 9999"),
        ("timestamp('9999-12-31T23:59:59Z') + duration('1s')", "timestamp is out of the range of years 0001 to 9999"),
        ("timestamp('0001-01-01T00:00:00Z') - duration('1ns')", "timestamp is out of the range of years 0001 to 9999"),
        ("timestamp('9999-01-01T00:00:00Z') - timestamp('0001-01-01T00:00:00Z')", "duration out of range in '-'"),
        ("duration('2562048h')", "duration '2562048h' is out of range"),
        ("duration('9223372036854775807ns') + duration('1ns')", "duration out of range in '+'"),
        ("duration('1x')", "unknown unit 'x' in duration '1x'"),
        ("duration('1')", "missing unit in duration '1'"),
        ("duration('1d')", "unknown unit 'd' in duration '1d'"),
        ("duration('')", "invalid duration ''"),
        ("duration('.s')", "invalid duration '.s'"),
        ("timestamp('2026-01-01T00:00:00Z') + timestamp('2026-01-01T00:00:00Z')", "cannot apply '+' to timestamp and timestamp"),
        ("duration('1s') * 2", "cannot apply '*' to duration and int"),
        ("-timestamp(0)", "cannot negate timestamp"),
        ("timestamp(1.5)", "timestamp() is not defined for double"),
        ("timestamp(0).getHours('Mars/Olympus')", "unknown time zone 'Mars/Olympus'"),
        ("timestamp(0).getHours(1)", "a time zone must be a string, got int"),
        ("duration('1s').getFullYear()", ".getFullYear() is not defined for duration"),
        ("duration('1s').getHours('UTC')", ".getHours() takes no time zone for a duration"),
        ("'x'.getHours()", ".getHours() is not defined for string"),
        ("[timestamp(0)]", "a timestamp cannot be stored in a list or map"),
        ("[1].map(x, duration('1s'))", "a duration cannot be stored in a list or map"),
        ("size(timestamp(0))", "size() is not defined for timestamp"),
        ("int(duration('1ms'))", "int() is not defined for duration"),
        ("date('yesterday')", "date(): unknown date format 'yesterday'"),
        ("date(12)", "date(): 12 is not a Unix time from the year 2000 on"),
        ("now_plus('soon')", "invalid duration 'soon'"),
    ])
    func timeErrors(source: String, message: String) {
        let error = failure(source)
        #expect(error?.kind == .evaluation)
        #expect(error?.message == message)
    }

    @Test func nowIsOneMomentPerEvaluation() throws {
        let expression = try CELExpression("now() == now() && now() - now() == duration('0')")
        #expect(try expression.evaluate([:]) == true)
        #expect(try CELExpression("now() > timestamp('2020-01-01T00:00:00Z')").evaluate([:]) == true)
    }

    @Test func gettersTakeAtMostATimeZone() {
        #expect(rejection("timestamp(0).getHours('UTC', 1)")?.message == "'getHours' expects 0 or 1 arguments, got 2")
        #expect(rejection("now(1)")?.message == "'now' expects 0 arguments, got 1")
    }
}
