import Foundation
import Inngest
import InngestTesting
import Logging
import Synchronization
import Testing
import Tracing

@testable import InngestEngine

/// An engine on a fresh SQLite file in a temporary directory, with a test clock: the test
/// kit's environment, kept on a directory the test can reopen (a restart).
struct Harness {
    let directory: URL
    let environment: TestEnvironment
    var clock: TestClock { environment.clock }
    var engine: Engine { environment.engine }

    init(
        _ functions: [InngestFunction], clock: TestClock = TestClock(), directory: URL? = nil, maxParkedRuns: Int = 10_000,
        middleware: [any InngestMiddleware] = [], tracer: (any Tracer)? = nil
    ) async throws {
        let directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("inngest-tests-\(UUID().uuidString)")
        self.directory = directory
        self.environment = try await TestEnvironment(
            appID: "test-app", functions: functions, clock: clock, backoff: Backoff(base: .seconds(10), jitter: 0),
            databasePath: directory.appendingPathComponent("engine.sqlite").path, maxParkedRuns: maxParkedRuns,
            logger: Logger(label: "inngest.engine"), middleware: middleware, tracer: tracer)
    }

    /// Lets time pass, settling the engine at each timer, so timers fire in order.
    func advance(by duration: Duration) async {
        await environment.advance(by: duration)
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
