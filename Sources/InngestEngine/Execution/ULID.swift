import Foundation
import Inngest
import Synchronization

/// Run and event ids in Inngest's format: a ULID, 48 bits of milliseconds then 80 random
/// bits, as 26 characters of Crockford base32. Ids sort by creation time.
enum ULID {
    fileprivate static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// The last id's time and random part: ids made in the same millisecond count up from
    /// it (ULID's monotonic mode), so ids sort in the order they were made, not only by millisecond.
    private static let last = Mutex<(time: UInt64, random: UInt128)>((0, 0))
    private static let randomMask: UInt128 = (1 << 80) - 1

    static func make(at date: Date) -> String {
        let time = UInt64(max(0, min(date.milliseconds, 0xFFFF_FFFF_FFFF)))
        // The random bits come from the system outside the lock: it is held only to compare and count.
        var generator = SystemRandomNumberGenerator()
        let fresh = (UInt128(UInt16.random(in: .min ... .max, using: &generator)) << 64) | UInt128(UInt64.random(in: .min ... .max, using: &generator))
        let random = last.withLock { last -> UInt128 in
            let next = time == last.time && last.random < randomMask ? last.random + 1 : fresh
            last = (time, next)
            return next
        }
        var characters = [Character](repeating: "0", count: 26)
        var value = time
        for index in stride(from: 9, through: 0, by: -1) {
            characters[index] = alphabet[Int(value & 31)]
            value >>= 5
        }
        // 80 random bits: 16 from `high`, 64 from `low`, written 5 bits at a time.
        var bits = random
        for index in stride(from: 25, through: 10, by: -1) {
            characters[index] = alphabet[Int(bits & 31)]
            bits >>= 5
        }
        return String(characters)
    }
}

extension ULID {
    /// The smallest id made at `date` or later: ids of things made in `[a, b)` lie in
    /// `[lowerBound(a), lowerBound(b))`, so a time range becomes a range of the id index.
    static func lowerBound(at date: Date) -> String {
        let time = UInt64(max(0, min(date.milliseconds, 0xFFFF_FFFF_FFFF)))
        var characters = [Character](repeating: "0", count: 26)
        var value = time
        for index in stride(from: 9, through: 0, by: -1) {
            characters[index] = alphabet[Int(value & 31)]
            value >>= 5
        }
        return String(characters)
    }

    /// Whether `id` is spelled like a ULID (26 characters of Crockford base32, upper case).
    static func isWellFormed(_ id: String) -> Bool {
        id.utf8.count == 26 && id.allSatisfy { alphabet.contains($0) }
    }

    /// The milliseconds a ULID was made at; `nil` for an id that is not a ULID.
    static func milliseconds(of id: String) -> Int64? {
        let characters = id.utf8.prefix(10)
        guard id.utf8.count == 26, characters.count == 10 else { return nil }
        var value: Int64 = 0
        for byte in characters {
            guard let digit = alphabet.firstIndex(of: Character(Unicode.Scalar(byte))) else { return nil }
            value = value << 5 | Int64(digit)
        }
        return value
    }
}
