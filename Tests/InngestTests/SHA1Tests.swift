import Crypto
import Testing

@testable import Inngest
@testable import InngestCore

/// The dependency-free SHA-1 that names steps, against swift-crypto's on the lengths where
/// padding changes shape and on random messages.
@Suite struct SHA1Tests {
    @Test func agreesWithSwiftCryptoOnEveryLengthAroundTheBlockBoundaries() {
        var generator = SystemRandomNumberGenerator()
        for length in Array(0...200) + [1_000, 4_095, 4_096, 65_537] {
            let message = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            #expect(SHA1.digest(message) == Array(Insecure.SHA1.hash(data: message)), "length \(length)")
        }
    }

    @Test func agreesWithSwiftCryptoOnRandomText() {
        for _ in 0..<2_000 {
            let text = String((0..<Int.random(in: 0...120)).map { _ in Character(Unicode.Scalar(UInt8.random(in: 32...126))) }) + "é🙂"
            let expected = Insecure.SHA1.hash(data: Array(text.utf8)).map { byte in
                let hex = String(byte, radix: 16)
                return hex.count == 1 ? "0" + hex : hex
            }.joined()
            #expect(SHA1.hex(of: text) == expected)
        }
    }
}
