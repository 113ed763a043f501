import Crypto
import Foundation
import PropertyBased
import Testing

@testable import Inngest
@testable import InngestCore

/// Properties checked on generated inputs (PropertyBased: a failure prints the shrunk input
/// and a seed to replay it with `.fixedSeed`).
@Suite struct RoundTripPropertyTests {
    /// Scripts for ``JSONScript``: up to 80 numbers build values up to five levels deep.
    static let scripts = Gen<Int>.int(in: 0...10_000).array(of: 0...80)

    @Test func jsonWrittenReadsBackTheSameAndItsCanonicalFormIsAFixedPoint() async {
        await propertyCheck(count: 2_000, input: Self.scripts) { script in
            let value = JSONScript.value(from: script)
            let text = try JSONText.write(value)
            #expect(try JSONText.read(text) == value, "\(text)")
            // RFC 8785 writes every number as an IEEE double, as JavaScript reads it: the same
            // value at double precision, and a fixed point.
            let canonical = try JSONCanonicalization.canonicalString(value)
            #expect(try JSONCanonicalization.canonicalString(JSONText.read(canonical)) == canonical)
            #expect(try JSONText.read(canonical).atDoublePrecision == value.atDoublePrecision, "\(canonical)")
        }
    }

    @Test func aValueThroughTheCodecDecodesToItself() async {
        await propertyCheck(count: 1_000, input: Self.scripts) { script in
            let value = JSONScript.value(from: script)
            let data = try JSONCodec.shared.encode(value)
            #expect(try JSONCodec.shared.decode(JSONValue.self, from: data) == value)
            // A typed value holding it goes through Foundation's coders, as users' types do.
            let wrapped = Wrapper(value: value, count: Int64(script.count) - 40, label: String(script.count))
            let wrappedData = try JSONCodec.shared.encode(wrapped)
            #expect(try JSONCodec.shared.decode(Wrapper.self, from: wrappedData) == wrapped)
            #expect(try JSONCodec.shared.decode(Wrapper.self, from: JSONCodec.shared.jsonValue(of: wrapped)) == wrapped)
        }
    }

    /// Found by the property above: a whole double past 2^53 inside a `Codable` type came
    /// back 2 off, Foundation's decoder reading `-3.602879701896397e+16` as that decimal.
    @Test(arguments: [-36_028_797_018_963_968.0, 9_007_199_254_740_994.0, 1e18, -0.0])
    func aWholeDoubleInsideACodableTypeComesBackTheSameNumber(number: Double) throws {
        let wrapped = Wrapper(value: .double(number), count: 0, label: "")
        let decoded = try JSONCodec.shared.decode(Wrapper.self, from: JSONCodec.shared.encode(wrapped))
        #expect(decoded.value == .double(number), "\(decoded.value)")
    }

    @Test func anEncryptedPayloadDecryptsToItselfAndAnyChangedByteIsRefused() async throws {
        let codec = try AESGCMPayloadCodec(current: .init(id: "k1", key: SymmetricKey(size: .bits256)))
        await propertyCheck(count: 300, input: Self.scripts, Gen<Int>.int(in: 0...1_000)) { script, flip in
            let value = JSONScript.value(from: script)
            let stored = try codec.encode(value)
            #expect(stored != value || value == .null)
            #expect(try codec.decode(stored) == value)
            // Change one bit of the sealed bytes (not of their base64 text, whose last
            // character may carry bits the decoding ignores).
            guard case .object(var members) = stored, let cipher = members.first(where: { $0.value.stringValue?.count ?? 0 > 20 }),
                var sealed = cipher.value.stringValue.flatMap({ Data(base64Encoded: $0) })
            else {
                Issue.record("no sealed member in \(stored)")
                return
            }
            let index = sealed.startIndex + flip % sealed.count
            sealed[index] ^= UInt8(1 << (flip % 8))
            members[cipher.key] = .string(sealed.base64EncodedString())
            #expect(throws: (any Error).self) { try codec.decode(.object(members)) }
        }
    }

    /// A step's id on the wire is the SHA-1 of its user id, and of `<id>:<n>` for its n-th
    /// repeat in a run: equal to an independent SHA-1 (swift-crypto's), and distinct for
    /// distinct (id, repeat) pairs of ids without a colon, as the server expects.
    @Test func stepIDsOfRepeatsAreTheSHA1OfTheNumberedIDAndDoNotCollide() async {
        let ids = Gen<Character>.letterOrNumber.string(of: 0...12)
        await propertyCheck(count: 1_000, input: ids, Gen<Int>.int(in: 0...5)) { base, repeats in
            var seen: [String: String] = [:]
            for userID in [base, base + "é😀", String(base.dropLast()), base.uppercased()] {
                for index in 0...repeats {
                    let identity = StepIdentity(userID: userID, index: index)
                    let text = index == 0 ? userID : "\(userID):\(index)"
                    let expected = Insecure.SHA1.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
                    #expect(identity.hashedID == expected, "\(text)")
                    if let other = seen[identity.hashedID], other != text {
                        Issue.record("\(text) and \(other) have the same step id")
                    }
                    seen[identity.hashedID] = text
                }
            }
        }
    }
}

extension JSONValue {
    /// The value with every number as the double JavaScript would read.
    fileprivate var atDoublePrecision: JSONValue {
        switch self {
        case .integer(let value): return .double(Double(value))
        case .array(let elements): return .array(elements.map(\.atDoublePrecision))
        case .object(let members): return .object(members.mapValues(\.atDoublePrecision))
        default: return self
        }
    }
}

private struct Wrapper: Codable, Equatable {
    var value: JSONValue
    var count: Int64
    var label: String
}
