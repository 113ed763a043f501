import Foundation
import Inngest
import Synchronization
import Testing

@testable import InngestEngine

/// An engine on a fresh SQLite file in a temporary directory, with a test clock.
struct Harness {
    let directory: URL
    let clock: TestClock
    let engine: Engine

    init(_ functions: [InngestFunction], clock: TestClock = TestClock(), directory: URL? = nil, maxParkedRuns: Int = 10_000) async throws {
        let directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("inngest-tests-\(UUID().uuidString)")
        self.directory = directory
        self.clock = clock
        self.engine = try Engine(
            appID: "test-app", databasePath: directory.appendingPathComponent("engine.sqlite").path,
            functions: functions,
            options: .init(clock: clock, maxParkedRuns: maxParkedRuns, backoff: Backoff(base: .seconds(10), jitter: 0)))
        try await engine.start()
    }

    /// Lets time pass in steps, settling the engine at each, so timers fire in order.
    func advance(by duration: Duration, step: Duration = .seconds(1)) async {
        await engine.settle()
        let target = clock.now().adding(duration)
        while true {
            let next = engine.nextTimerDate.map { min(max($0, clock.now()), target) } ?? target
            clock.advance(to: next)
            await engine.settle()
            if next >= target { break }
        }
    }

    /// Waits (bounded) until `condition` holds: for states that settling cannot reach, such as
    /// step bodies held by a test gate (they count as work in flight).
    func until(_ what: String, _ condition: @Sendable () async throws -> Bool) async throws {
        for _ in 0..<10_000 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("timed out waiting until \(what)")
    }

    func onlyRun(of function: String) async throws -> RunDetail {
        let runs = try await engine.runs(function: function)
        try #require(runs.count == 1, "expected one run of \(function), found \(runs.count)")
        return try #require(try await engine.run(id: runs[0].id))
    }
}

struct Flaky: Error, CustomStringConvertible {
    var description: String { "flaky" }
}

extension Date {
    func adding(_ duration: Duration) -> Date {
        addingTimeInterval(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
