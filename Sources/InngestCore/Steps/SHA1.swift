/// SHA-1 (FIPS 180-4), for the one place Inngest's wire format needs it: hashing step ids.
///
/// Written here rather than taken from swift-crypto so that this module, and the build
/// plugin's generator that depends on it, pull in no C library: the generator is compiled
/// on every user's machine. Not for security: SHA-1 is broken for that, and Inngest uses it
/// only to name steps. Tests check it against swift-crypto's `Insecure.SHA1`.
package enum SHA1 {
    private typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32)

    /// The 20-byte digest of `message`.
    package static func digest(_ message: [UInt8]) -> [UInt8] {
        let state = message.withUnsafeBytes { hash($0) }
        var digest: [UInt8] = []
        digest.reserveCapacity(20)
        for word in [state.0, state.1, state.2, state.3, state.4] {
            for shift in stride(from: 24, through: 0, by: -8) { digest.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
        }
        return digest
    }

    /// Lowercase hex of the digest of `text`'s UTF-8 bytes.
    package static func hex(of text: String) -> String {
        var text = text
        let state = text.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
        return String(unsafeUninitializedCapacity: 40) { output in
            let digits: StaticString = "0123456789abcdef"
            digits.withUTF8Buffer { digits in
                func write(_ word: UInt32, at start: Int) {
                    for nibble in 0..<8 { output[start + nibble] = digits[Int((word >> UInt32(28 - 4 * nibble)) & 0xF)] }
                }
                write(state.0, at: 0)
                write(state.1, at: 8)
                write(state.2, at: 16)
                write(state.3, at: 24)
                write(state.4, at: 32)
            }
            return 40
        }
    }

    private static func hash(_ message: UnsafeRawBufferPointer) -> State {
        var state: State = (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0)
        let wholeBlocks = message.count / 64
        for block in 0..<wholeBlocks {
            compress(&state, UnsafeRawBufferPointer(rebasing: message[(64 * block)..<(64 * block + 64)]))
        }
        // The rest, then padding: a 1 bit, zeros up to 56 bytes mod 64, then the length in bits,
        // big-endian (modulo 2^64, as the standard says; a buffer's count never nears it).
        let rest = message.count - 64 * wholeBlocks
        let tailLength = rest < 56 ? 64 : 128
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: tailLength) { tail in
            tail.initialize(repeating: 0)
            for index in 0..<rest { tail[index] = message[64 * wholeBlocks + index] }
            tail[rest] = 0x80
            let bitLength = UInt64(truncatingIfNeeded: message.count) &* 8
            for index in 0..<8 { tail[tailLength - 1 - index] = UInt8(truncatingIfNeeded: bitLength >> UInt64(8 * index)) }
            let bytes = UnsafeRawBufferPointer(tail)
            compress(&state, UnsafeRawBufferPointer(rebasing: bytes[0..<64]))
            if tailLength == 128 { compress(&state, UnsafeRawBufferPointer(rebasing: bytes[64..<128])) }
        }
        return state
    }

    /// Folds one 64-byte block into `state`.
    private static func compress(_ state: inout State, _ block: UnsafeRawBufferPointer) {
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
            func round(_ f: UInt32, _ k: UInt32, _ word: UInt32) {
                let next = a.rotatedLeft(by: 5) &+ f &+ e &+ k &+ word
                e = d
                d = c
                c = b.rotatedLeft(by: 30)
                b = a
                a = next
            }
            for index in 0..<20 { round((b & c) | (~b & d), 0x5A82_7999, words[index]) }
            for index in 20..<40 { round(b ^ c ^ d, 0x6ED9_EBA1, words[index]) }
            for index in 40..<60 { round((b & c) | (b & d) | (c & d), 0x8F1B_BCDC, words[index]) }
            for index in 60..<80 { round(b ^ c ^ d, 0xCA62_C1D6, words[index]) }
            state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e)
        }
    }
}

extension UInt32 {
    fileprivate func rotatedLeft(by count: UInt32) -> UInt32 {
        (self << count) | (self >> (32 - count))
    }
}
