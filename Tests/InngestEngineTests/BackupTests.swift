import Foundation
import Inngest
import InngestTesting
import Logging
import Testing

@testable import InngestEngine

/// `EngineReader.backup(to:)` (and `inngest backup`): a copy taken while the engine runs.
@Suite struct BackupTests {
    @Test func aBackupTakenWhileTheEngineRunsHoldsItsRunsAndAnEngineOnTheCopyGoesOn() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-backup-\(UUID().uuidString)")
        let path = directory.appendingPathComponent("engine.sqlite").path
        let copy = directory.appendingPathComponent("copy/engine.sqlite").path
        let napper = InngestFunction(.init(id: "napper", trigger: .event("nap"))) { (ctx: Context<JSONValue>) -> String in
            let before: String = try await ctx.step.run("before") { "awake" }
            try await ctx.step.sleep("nap", "1h")
            return before + " and rested"
        }
        let clock = TestClock()
        let options = Engine.Options(clock: clock, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let engine = try Engine(appID: "app", databasePath: path, functions: [napper], options: options)
        try await engine.start()
        try await engine.send(Array(repeating: AnyEvent(name: "nap"), count: 3))
        await engine.settle()

        try EngineReader(databasePath: path).backup(to: copy)
        // The original goes on; the copy keeps the moment it was taken.
        await engine.letTimePass(.seconds(3_600), on: clock)
        #expect(try await engine.runCount(status: .completed) == 3)
        let copied = try EngineReader(databasePath: copy)
        #expect(try await copied.runCount(status: .waiting) == 3)
        let run = try #require(try await copied.runs().first)
        #expect(try await copied.run(id: run.id)?.steps.map(\.userID) == ["before", "nap"])

        // Restored: an engine on the copy finishes the runs from where the copy has them.
        let restored = try Engine(appID: "app", databasePath: copy, functions: [napper], options: options)
        try await restored.start()
        await restored.letTimePass(.seconds(3_600), on: clock)
        #expect(try await restored.run(id: run.id)?.run.output == "awake and rested")

        #expect(throws: EngineError.invalidOption("the backup target \(copy) exists; a backup is written to a new file")) {
            try EngineReader(databasePath: path).backup(to: copy)
        }
        await engine.shutdown()
        await restored.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}
