import Foundation
import Inngest
import Testing

@testable import InngestEngine

/// A damaged write-ahead log, found before SQLite's recovery silently drops the committed
/// transactions after the damage: the engine says so and keeps a copy of the log. A torn
/// last write, which loses nothing acknowledged, is not reported.
@Suite struct WriteAheadLogDamageTests {
    /// The files of a running engine after `count` sends, one commit each, copied while it
    /// runs: the image a crash leaves, with every commit still in the log.
    static func crashImage(events count: Int) async throws -> (database: String, log: [UInt8]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-wal-\(UUID().uuidString)")
        let live = directory.appendingPathComponent("live/engine.sqlite").path
        let engine = try Engine(appID: "wal", databasePath: live, functions: [])
        try await engine.start()
        for number in 0..<count {
            _ = try await engine.send([AnyEvent(name: "wal/event", data: ["n": .integer(Int64(number))])])
        }
        let image = directory.appendingPathComponent("image/engine.sqlite").path
        try FileManager.default.createDirectory(atPath: (image as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: live, toPath: image)
        let log = try #require(FileManager.default.contents(atPath: live + "-wal"))
        await engine.shutdown()
        return (image, Array(log))
    }

    static let frameSize = 24 + 4_096

    @Test func anIntactOrTornLogIsNotDamageButAFrameDamagedBeforeLaterCommitsIs() async throws {
        let (_, log) = try await Self.crashImage(events: 12)
        let frames = (log.count - 32) / Self.frameSize
        try #require(frames >= 12, "the log holds \(frames) frames")
        #expect(WriteAheadLogDamage.inspect(log) == nil)
        // A write torn in the middle of the last frame: only the unacknowledged tail is lost.
        #expect(WriteAheadLogDamage.inspect(Array(log.prefix(log.count - Self.frameSize / 2))) == nil)

        var damaged = log
        damaged[32 + 2 * Self.frameSize + 24 + 100] ^= 0xFF
        let damage = try #require(WriteAheadLogDamage.inspect(damaged))
        #expect(damage.validFrames == 2)
        #expect(damage.droppedFrames == frames - 2)
        #expect(damage.droppedCommits >= 10, "\(damage)")
        // Not a log at all, or cut inside its header: nothing to say.
        #expect(WriteAheadLogDamage.inspect(Array(repeating: 0, count: 5_000)) == nil)
        #expect(WriteAheadLogDamage.inspect(Array(log.prefix(20))) == nil)
    }

    @Test func anEngineOpeningADamagedLogKeepsACopyAndServes() async throws {
        let (image, log) = try await Self.crashImage(events: 12)
        var damaged = log
        damaged[32 + 3 * Self.frameSize + 24 + 7] ^= 0x01
        try Data(damaged).write(to: URL(fileURLWithPath: image + "-wal"))

        let engine = try Engine(appID: "wal", databasePath: image, functions: [])
        let (found, copy) = try #require(engine.database.damagedLog)
        #expect(found.validFrames == 3)
        let kept = try #require(copy)
        #expect(FileManager.default.contents(atPath: kept).map(Array.init) == damaged, "the copy is the log as it was found")
        try await engine.start()
        let ids = try await engine.send([AnyEvent(name: "wal/after")])
        #expect(ids.count == 1, "the engine serves on what survived")
        #expect(try await engine.events(named: "wal/event").count < 12, "SQLite dropped the commits after the damage")
        await engine.shutdown()
    }
}
