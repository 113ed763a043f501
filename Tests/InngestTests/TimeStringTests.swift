import Foundation
import Testing

@testable import Inngest
@testable import InngestCore

@Suite struct TimeStringTests {
    @Test(arguments: [
        ("30s", Duration.seconds(30), "30s"),
        ("1 hour", .seconds(3_600), "1h"),
        ("1 Hour 30 Mins", .seconds(5_400), "1h30m"),
        ("30 mins", .seconds(1_800), "30m"),
        ("2.5d", .seconds(216_000), "2.5d"),
        ("1w", .seconds(604_800), "1w"),
        ("1h30m", .seconds(5_400), "1h30m"),
        ("1h 30m", .seconds(5_400), "1h30m"),
        ("1w2d", .seconds(777_600), "1w2d"),
        ("1.5h", .seconds(5_400), "1.5h"),
        ("500ms", .milliseconds(500), "500ms"),
        ("1s500ms", .milliseconds(1_500), "1s500ms"),
        ("2 days", .seconds(172_800), "2d"),
        ("7D", .seconds(604_800), "7d"),
        ("168h", .seconds(604_800), "168h"),
        ("90s", .seconds(90), "90s"),
        ("0s", .zero, "0s"),
        ("  10m ", .seconds(600), "10m"),
        ("250us", .microseconds(250), "250us"),
        ("1µs", .microseconds(1), "1us"),
    ])
    func valid(text: String, duration: Duration, canonical: String) throws {
        let parsed = try InngestDuration(parsing: text)
        #expect(try parsed.duration() == duration)
        #expect(parsed.timeString == canonical)
        #expect(try InngestDuration(parsing: canonical).duration() == duration)
        // Equal lengths are equal durations, however they were written.
        #expect(parsed == InngestDuration(duration))
    }

    @Test(arguments: [
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("-5s", "durations cannot be negative"),
        ("100", "the number 100 has no unit"),
        ("5x", "unknown unit \"x\""),
        ("5 fortnights", "unknown unit \"fortnights\""),
        ("h", "expected a number at character 1"),
        ("1h m", "expected a number at character 4"),
        ("1..5h", "\"1..5\" is not a number"),
        ("99999999999999999999d", "it exceeds the largest duration"),
        ("300y", "unknown unit \"y\""),
        ("1h-5m", "expected a number at character 3"),
    ])
    func invalid(text: String, reason: String) {
        do {
            _ = try InngestDuration(parsing: text)
            Issue.record("\"\(text)\" parsed")
        } catch {
            #expect(
                error.description == "invalid time string \"\(text)\": " + reason
                    || error.description.hasPrefix("invalid time string \"\(text)\": " + reason))
        }
    }

    /// Found by fuzzing (Fuzz/run.sh time-string): summed as doubles, the parts of a long
    /// duration rounded, so its written-out form read back as another duration.
    @Test(arguments: [".16h 2114266.76h", "12584w6d10h55m11s999ms998us976ns", "15250w 0.5ns", "1.5h 1ns"])
    func aDurationWrittenOutReadsBackToTheNanosecond(text: String) throws {
        let duration = try InngestDuration(parsing: text)
        let nanoseconds = try duration.nanoseconds()
        #expect(try InngestDuration(parsing: duration.timeString).nanoseconds() == nanoseconds)
    }

    @Test func wholePartsAreExactAndFractionsRoundPerPart() throws {
        #expect(try InngestDuration(parsing: "12584w6d10h55m11s999ms998us976ns").nanoseconds() == 7_611_360_911_999_998_976)
        #expect(try InngestDuration(parsing: "1.5h").nanoseconds() == 5_400_000_000_000)
        #expect(try InngestDuration(parsing: "0.5ns 0.5ns").nanoseconds() == 2)
        #expect(throws: TimeStringError.self) { try InngestDuration(parsing: "15251w").nanoseconds() }
        #expect(throws: TimeStringError.self) { try InngestDuration(parsing: "15250w 1w").nanoseconds() }
    }

    @Test func invalidLiteralIsKeptAndReportedNotTrapped() {
        let literal: InngestDuration = "5 parsecs"
        #expect(literal.error?.reason == .unknownUnit("parsecs"))
        #expect(literal.timeString == "5 parsecs")
        #expect(throws: TimeStringError.self) { try literal.duration() }
    }

    @Test func hugeConvenienceValuesSaturateIntoAnError() {
        #expect(InngestDuration.weeks(.max).error?.reason == .tooLarge)
        #expect(InngestDuration.seconds(-1).error?.reason == .negative)
        #expect((try? InngestDuration.days(2).duration()) == .seconds(172_800))
    }

    @Test func codableUsesTheTimeString() throws {
        struct Holder: Codable { var period: InngestDuration }
        let text = try JSONCodec.shared.encodeToString(Holder(period: "90 minutes"))
        #expect(text == #"{"period":"1h30m"}"#)
        #expect(throws: DecodingError.self) { try JSONCodec.shared.decode(Holder.self, from: Data(#"{"period":"soon"}"#.utf8)) }
    }
}
