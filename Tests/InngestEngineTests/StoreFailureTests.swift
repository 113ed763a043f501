import Foundation
import GRDB
import Inngest
import InngestTesting
import Synchronization
import Testing

@testable import InngestEngine

/// The store failing under a running engine (disk full, an I/O error): a step whose result
/// cannot be written does not fail its run, and the run goes on in the same process once the
/// store works again. Tests/Chaos/disk-faults.sh checks the same on real file systems.
@Suite struct StoreFailureTests {
    /// Commits are fsynced (`synchronous = FULL`) on the connection that writes, as the engine
    /// promises: a database pool switches its writer to `NORMAL` when it sets up WAL mode.
    @Test func theWriterSyncsEveryCommit() async throws {
        let harness = try await Harness([])
        let level = try await harness.engine.database.pool.writeWithoutTransaction { database in
            try Int.fetchOne(database, sql: "PRAGMA synchronous")
        }
        #expect(level == 2, "PRAGMA synchronous is \(level.map(String.init) ?? "nil") on the writer, not 2 (FULL)")
    }

    @Test(.timeLimit(.minutes(1))) func aStepWhoseResultCannotBeStoredIsRunAgainOnceTheStoreWorks() async throws {
        let released = Atomic<Bool>(false)
        let bodies = Atomic<Int>(0)
        let function = InngestFunction(.init(id: "big", trigger: .event("test/big"))) { (ctx: Context<JSONValue>) -> Int in
            let text = try await ctx.step.run("big") { () -> String in
                bodies.add(1, ordering: .relaxed)
                while !released.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(1)) }
                return String(repeating: "x", count: 256 * 1024)
            }
            return text.count
        }
        let harness = try await Harness([function])
        let engine = harness.engine
        try await engine.send([AnyEvent(name: "test/big")])
        // The file may not grow: the step's 256 KiB result does not fit (SQLITE_FULL), as on a full disk.
        try await engine.database.pool.writeWithoutTransaction { database in
            let pages = try Int.fetchOne(database, sql: "PRAGMA page_count") ?? 0
            _ = try Int.fetchOne(database, sql: "PRAGMA max_page_count = \(pages)")
        }
        released.store(true, ordering: .releasing)

        // The write fails, the run is tried again (1 s later, real time), and fails again.
        try await harness.until("the step body ran again after its result could not be stored") { bodies.load(ordering: .relaxed) >= 2 }
        let run = try await harness.onlyRun(of: "big").run
        // Not failed, and not parked for a function-level retry: the failure was the store's.
        #expect(run.status == .running, "the run is \(run.status) while the store fails")

        try await engine.database.pool.writeWithoutTransaction { database in
            _ = try Int.fetchOne(database, sql: "PRAGMA max_page_count = 1073741823")
        }
        try await harness.until("the run completed once the store worked again") {
            try await engine.runs(function: "big").first?.status == .completed
        }
        let finished = try await harness.onlyRun(of: "big")
        #expect(finished.run.output == .integer(256 * 1024))
        #expect(finished.steps.filter { $0.userID == "big" }.count == 1)
        #expect(await engine.health.writer == .ok)
    }
}
