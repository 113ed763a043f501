import Foundation
import Testing

@testable import Inngest
@testable import InngestCore

@Suite struct JSONValueTests {
    @Test func integerAndDoubleCompareByValue() {
        #expect(JSONValue.integer(1) == .double(1.0))
        #expect(JSONValue.integer(1) != .double(1.5))
        #expect(Set<JSONValue>([.integer(2), .double(2.0)]).count == 1)
    }

    @Test func roundTripKeepsIntegers() throws {
        let text = #"{"a":9007199254740993,"b":1.5,"c":[true,null,"x"],"d":{}}"#
        let value = try JSONCodec.shared.decode(JSONValue.self, from: Data(text.utf8))
        #expect(value["a"] == .integer(9_007_199_254_740_993))
        #expect(try JSONCodec.shared.encodeToString(value) == text)
    }

    @Test func datesAreISO8601WithMillisecondsLikeJavaScript() throws {
        struct Stamp: Codable, Equatable { var at: Date }
        let stamp = Stamp(at: Date(timeIntervalSince1970: 1_780_304_400.25))
        let text = try JSONCodec.shared.encodeToString(stamp)
        #expect(text == #"{"at":"2026-06-01T09:00:00.250Z"}"#)
        #expect(try JSONCodec.shared.decode(Stamp.self, from: Data(text.utf8)) == stamp)
        let plain = try JSONCodec.shared.decode(Stamp.self, from: Data(#"{"at":"2026-06-01T09:00:00Z"}"#.utf8))
        #expect(plain.at == Date(timeIntervalSince1970: 1_780_304_400))
        let offset = try JSONCodec.shared.decode(Stamp.self, from: Data(#"{"at":"2026-06-01T11:00:00+02:00"}"#.utf8))
        #expect(offset.at == Date(timeIntervalSince1970: 1_780_304_400))
    }

    @Test func nonFiniteNumbersAreAnError() {
        #expect(throws: EncodingError.self) { try JSONCodec.shared.encode([Double.nan]) }
    }
}

@Suite struct JSONTextTests {
    @Test(arguments: [
        #"{"a":[1,-2,3.5,1e+20,true,false,null],"b":{"c":"d"},"e":""}"#,
        #"["\"quoted\" \\ back\nslash\t\u0001 é 😀"]"#,
        #"-0.5"#, #"0"#, #""x""#, #"[]"#, #"{}"#,
    ])
    func roundTripsAgreeWithFoundation(text: String) throws {
        let ours = try JSONText.read(text)
        let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(ours == foundation)
        #expect(try JSONText.read(JSONText.write(ours)) == ours)
    }

    @Test func escapesAndUnicode() throws {
        #expect(try JSONText.read(#""\ud83d\ude00 \u00e9\/""#) == "😀 é/")
        #expect(try JSONText.write("a\"b\\c\n\u{01}") == #""a\"b\\c\n\u0001""#)
        #expect(try JSONText.write(["b": 1, "a": 2]) == #"{"a":2,"b":1}"#)
        #expect(try JSONText.read(#""\ud800""#) == "\u{FFFD}")
    }

    @Test(arguments: [
        ("", 0, "unexpected end of input"), ("{", 1, "expected a string key"), ("[1,]", 3, "unexpected character"),
        ("01", 0, "leading zero in a number"), ("1 2", 2, "unexpected text after the value"), ("\"\u{01}\"", 1, "unescaped control character in a string"),
        ("tru", 0, "unexpected end of input"), ("\"abc", 4, "unterminated string"), ("1e999", 0, "number out of range"), ("\"\\x\"", 3, "invalid escape"),
    ])
    func malformedInputIsAClearError(text: String, offset: Int, reason: String) {
        #expect(throws: JSONText.SyntaxError(offset: offset, reason: reason)) { try JSONText.read(text) }
    }

    @Test func deepNestingIsRejectedNotAStackOverflow() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONText.SyntaxError.self) { try JSONText.read(deep) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect((try? JSONText.read(fine)) != nil)
    }

    /// `JSONValue` is `ExpressibleByNilLiteral`: a `nil` meant as "absent" must stay absent.
    @Test func anOpWithoutDataHasNoDataAndAnOpWithNullDataHasNull() throws {
        let planned = try JSONCodec.shared.decode(Opcode.self, from: Data(#"{"id":"a","op":"StepPlanned"}"#.utf8))
        #expect(planned.data == nil)
        let ranNull = try JSONCodec.shared.decode(Opcode.self, from: Data(#"{"id":"a","op":"StepRun","data":null}"#.utf8))
        #expect(ranNull.data == .some(.null))
    }

    @Test func nonFiniteDoublesCannotBeWritten() {
        #expect(throws: EncodingError.self) { try JSONText.write(.double(.infinity)) }
    }
}
