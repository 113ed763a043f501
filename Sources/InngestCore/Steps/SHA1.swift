/// SHA-1 (FIPS 180-4), for the one place Inngest's wire format needs it: hashing step ids.
///
/// Written here rather than taken from swift-crypto so that this module, and the build
/// plugin's generator that depends on it, pull in no C library: the generator is compiled
/// on every user's machine. Not for security: SHA-1 is broken for that, and Inngest uses it
/// only to name steps. Tests check it against swift-crypto's `Insecure.SHA1`.
package enum SHA1 {
    /// The 20-byte digest of `message`.
    package static func digest(_ message: [UInt8]) -> [UInt8] {
        var state: (UInt32, UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0)
        let wholeBlocks = message.count / 64
        message.withUnsafeBufferPointer { bytes in
            for block in 0..<wholeBlocks {
                compress(&state, UnsafeBufferPointer(rebasing: bytes[(64 * block)..<(64 * block + 64)]))
            }
        }
        // Padding: a 1 bit, zeros up to 56 bytes mod 64, then the length in bits, big-endian
        // (taken modulo 2^64, as the standard says; an array's count never nears it).
        var tail = Array(message[(64 * wholeBlocks)...])
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        let bitLength = UInt64(truncatingIfNeeded: message.count) &* 8
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        tail.withUnsafeBufferPointer { bytes in
            for block in 0..<(bytes.count / 64) {
                compress(&state, UnsafeBufferPointer(rebasing: bytes[(64 * block)..<(64 * block + 64)]))
            }
        }

        var digest: [UInt8] = []
        digest.reserveCapacity(20)
        for word in [state.0, state.1, state.2, state.3, state.4] {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
    }

    /// Lowercase hex of the digest of `text`'s UTF-8 bytes.
    package static func hex(of text: String) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(40)
        for byte in digest(Array(text.utf8)) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Folds one 64-byte block into `state`.
    private static func compress(_ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32), _ block: UnsafeBufferPointer<UInt8>) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 80) { words in
            for index in 0..<16 {
                words[index] =
                    UInt32(block[4 * index]) << 24 | UInt32(block[4 * index + 1]) << 16
                    | UInt32(block[4 * index + 2]) << 8 | UInt32(block[4 * index + 3])
            }
            for index in 16..<80 {
                words[index] = (words[index - 3] ^ words[index - 8] ^ words[index - 14] ^ words[index - 16]).rotatedLeft(by: 1)
            }
            var (a, b, c, d, e) = state
            for index in 0..<80 {
                let f: UInt32
                let k: UInt32
                switch index {
                case 0..<20:
                    f = (b & c) | (~b & d)
                    k = 0x5A82_7999
                case 20..<40:
                    f = b ^ c ^ d
                    k = 0x6ED9_EBA1
                case 40..<60:
                    f = (b & c) | (b & d) | (c & d)
                    k = 0x8F1B_BCDC
                default:
                    f = b ^ c ^ d
                    k = 0xCA62_C1D6
                }
                let next = a.rotatedLeft(by: 5) &+ f &+ e &+ k &+ words[index]
                e = d
                d = c
                c = b.rotatedLeft(by: 30)
                b = a
                a = next
            }
            state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e)
        }
    }
}

extension UInt32 {
    fileprivate func rotatedLeft(by count: UInt32) -> UInt32 {
        (self << count) | (self >> (32 - count))
    }
}
