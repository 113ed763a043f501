import Crypto
import Foundation
import Testing

@testable import Inngest

@Suite struct AESGCMPayloadCodecTests {
    static func key(_ id: String) throws -> AESGCMPayloadCodec.Key { try .init(id: id, key: SymmetricKey(size: .bits256)) }

    @Test func aValueRoundTripsAndItsCiphertextDiffersEachTime() throws {
        let codec = try AESGCMPayloadCodec(current: Self.key("k1"))
        let value: JSONValue = ["card": "4111-1111", "amount": 12.5, "tags": ["a", "b"], "none": .null]
        let first = try codec.encode(value)
        let second = try codec.encode(value)
        #expect(first != second, "a fresh nonce per value")
        #expect(first.objectValue?["$inngest_codec"] == "aes-256-gcm")
        #expect(first.objectValue?["key"] == "k1")
        #expect(!(try JSONText.write(first)).contains("4111"))
        #expect(try codec.decode(first) == value)
        #expect(try codec.decode(second) == value)
    }

    @Test func valuesItDidNotEncodeAreNotItsToDecode() throws {
        let codec = try AESGCMPayloadCodec(current: Self.key("k1"))
        for value: JSONValue in ["text", 1, ["ciphertext": "x"], ["$inngest_codec": "other", "key": "k1", "ciphertext": ""], .null] {
            #expect(try codec.decode(value) == nil, "\(value)")
        }
    }

    @Test func aFallbackKeyDecryptsWhatTheRetiredCurrentKeyEncrypted() throws {
        let old = try Self.key("2026-06")
        let new = try Self.key("2026-12")
        let before = try AESGCMPayloadCodec(current: old).encode("old value")
        let rotated = try AESGCMPayloadCodec(current: new, fallbacks: [old])
        #expect(try rotated.decode(before) == "old value")
        #expect(try rotated.encode("new value").objectValue?["key"] == "2026-12")
        let withoutFallback = try AESGCMPayloadCodec(current: new)
        #expect {
            try withoutFallback.decode(before)
        } throws: { error in
            "\(error)".contains("\"2026-06\", which is not configured (keys: 2026-12)")
        }
    }

    @Test func aDamagedOrSwappedValueIsRefusedNamingTheProblem() throws {
        let codec = try AESGCMPayloadCodec(current: Self.key("k1"))
        var damaged = try #require(try codec.encode("value").objectValue)
        let text = try #require(damaged["ciphertext"]?.stringValue)
        var bytes = try #require(Data(base64Encoded: text))
        bytes[bytes.count - 1] ^= 0x01
        damaged["ciphertext"] = .string(bytes.base64EncodedString())
        #expect(throws: PayloadCodecError.self) { try codec.decode(.object(damaged)) }
        // The key id is authenticated: a value cannot be relabelled to another key.
        let other = try Self.key("k2")
        let both = try AESGCMPayloadCodec(current: other, fallbacks: [try AESGCMPayloadCodec.Key(id: "k1", key: SymmetricKey(size: .bits256))])
        #expect(throws: PayloadCodecError.self) { try both.decode(try codec.encode("value")) }
        var notBase64 = try #require(try codec.encode("value").objectValue)
        notBase64["ciphertext"] = "%%%"
        #expect { try codec.decode(.object(notBase64)) } throws: { "\($0)".contains("not valid base64") }
    }

    @Test func keysAreChecked() throws {
        #expect { try AESGCMPayloadCodec.Key(id: "short", key: SymmetricKey(size: .bits128)) } throws: { "\($0)".contains("has 128 bits") }
        #expect { try AESGCMPayloadCodec.Key(id: "", key: SymmetricKey(size: .bits256)) } throws: { "\($0)".contains("non-empty id") }
        #expect { try AESGCMPayloadCodec.Key(id: "b", base64: "not base64!") } throws: { "\($0)".contains("not valid base64") }
        let key = try Self.key("same")
        #expect { try AESGCMPayloadCodec(current: key, fallbacks: [key]) } throws: { "\($0)".contains("two AES-GCM keys have the id \"same\"") }
        let fromText = try AESGCMPayloadCodec.Key(id: "text", base64: Data(repeating: 7, count: 32).base64EncodedString())
        #expect(fromText.id == "text")
    }

    @Test func theMiddlewareEncodesChosenEventMembersAndDecodesWhereverTheyAre() async throws {
        let codec = try AESGCMPayloadCodec(current: Self.key("k1"))
        let members = PayloadCodecMiddleware(codec: codec, eventData: .members(["card"]))
        let sent = try await members.transformSentEvents([AnyEvent(name: "a", data: ["card": "4111", "user_id": "u1"])])
        #expect(sent[0].data.objectValue?["user_id"] == "u1", "left readable for matches and keys")
        #expect(sent[0].data.objectValue?["card"]?.objectValue?["$inngest_codec"] == "aes-256-gcm")
        let run = RunInfo(functionID: "f", runID: "r", attempt: 0, maxAttempts: 1) { false }
        // The original event nested inside `inngest/function.failed` is decoded too.
        let failed = AnyEvent(name: "inngest/function.failed", data: ["event": ["data": sent[0].data]])
        let read = try await members.transformInput([failed], of: run)
        #expect(read[0].data == ["event": ["data": ["card": "4111", "user_id": "u1"]]])
        let whole = PayloadCodecMiddleware(codec: codec)
        #expect(try await whole.transformSentEvents([AnyEvent(name: "a", data: [:])])[0].data == [:], "nothing to hide in empty data")
        let none = PayloadCodecMiddleware(codec: codec, eventData: .none)
        #expect(try await none.transformSentEvents([AnyEvent(name: "a", data: ["card": "4111"])])[0].data == ["card": "4111"])
    }
}
