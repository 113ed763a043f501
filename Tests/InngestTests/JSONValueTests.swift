import Foundation
import Testing
@testable import Inngest

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
