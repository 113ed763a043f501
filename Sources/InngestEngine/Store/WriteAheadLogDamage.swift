import Foundation

/// Committed transactions that SQLite will drop when it recovers a write-ahead log, found
/// before it does.
///
/// Recovery replays a WAL's frames while their salts match the header's and their cumulative
/// checksum holds, and keeps what the last valid commit frame covers. A torn last write (a
/// process or machine that stopped mid-write) breaks only the tail: nothing after it was
/// acknowledged. But a damaged frame in the middle (a bad sector, a stray write) makes SQLite
/// silently drop every later transaction, acknowledged ones too. This finds the second case,
/// complete frames of the same log after the break, at least one of them a commit, so the
/// engine can say so and keep a copy of the log before recovery overwrites it.
/// (Format: sqlite.org/fileformat.html, "The Write-Ahead Log".)
struct WriteAheadLogDamage: Sendable, Hashable {
    /// Valid frames before the damaged one: what recovery keeps, up to their last commit.
    let validFrames: Int
    /// Complete frames of the same log after the damaged one, which recovery drops.
    let droppedFrames: Int
    /// Commit frames among those: transactions that were on disk and will be lost.
    let droppedCommits: Int

    private static let headerSize = 32
    private static let frameHeaderSize = 24

    /// The damage in the log at `path`, or `nil` when there is none (or no log, or not a log).
    static func inspect(logAt path: String) -> WriteAheadLogDamage? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return inspect(Array(data))
    }

    static func inspect(_ log: [UInt8]) -> WriteAheadLogDamage? {
        guard log.count >= headerSize else { return nil }
        let magic = word(log, 0)
        guard magic == 0x377F_0682 || magic == 0x377F_0683 else { return nil }
        let bigEndian = magic & 1 == 1
        let pageSize = Int(word(log, 8))
        // Page sizes are powers of two from 512 to 65,536 (stored as 1).
        let page = pageSize == 1 ? 65_536 : pageSize
        guard page >= 512, page <= 65_536, page & (page - 1) == 0 else { return nil }
        let salts = (word(log, 16), word(log, 20))
        var sums = checksum(log, 0..<24, (0, 0), bigEndian: bigEndian)
        guard sums == (word(log, 24), word(log, 28)) else { return nil }
        let frameSize = frameHeaderSize + page
        var offset = headerSize
        var valid = 0
        while offset + frameSize <= log.count, (word(log, offset + 8), word(log, offset + 12)) == salts {
            sums = checksum(log, offset..<offset + 8, sums, bigEndian: bigEndian)
            sums = checksum(log, offset + frameHeaderSize..<offset + frameSize, sums, bigEndian: bigEndian)
            guard sums == (word(log, offset + 16), word(log, offset + 20)) else { break }
            valid += 1
            offset += frameSize
        }
        // The frame at `offset` (if complete) is the first recovery rejects; count the later
        // frames of this log, which recovery drops with it.
        var dropped = 0
        var commits = 0
        var next = offset + frameSize
        while next + frameSize <= log.count, (word(log, next + 8), word(log, next + 12)) == salts {
            dropped += 1
            if word(log, next + 4) != 0 { commits += 1 }
            next += frameSize
        }
        guard commits > 0 else { return nil }
        return WriteAheadLogDamage(validFrames: valid, droppedFrames: dropped + 1, droppedCommits: commits)
    }

    /// The big-endian 32-bit word at `offset` (header fields are big-endian in every log).
    private static func word(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// SQLite's WAL checksum over `range` (a multiple of 8 bytes), continuing from `sums`.
    private static func checksum(_ bytes: [UInt8], _ range: Range<Int>, _ sums: (UInt32, UInt32), bigEndian: Bool) -> (UInt32, UInt32) {
        var (s0, s1) = sums
        var index = range.lowerBound
        func word(at offset: Int) -> UInt32 {
            let value = bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            return bigEndian ? value : value.byteSwapped
        }
        while index + 8 <= range.upperBound {
            s0 = s0 &+ word(at: index) &+ s1
            s1 = s1 &+ word(at: index + 4) &+ s0
            index += 8
        }
        return (s0, s1)
    }
}
