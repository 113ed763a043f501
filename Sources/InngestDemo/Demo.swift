import Foundation
import Inngest
import InngestEngine

/// The README's first command: Inngest's documented scenarios on the embedded engine, with
/// a timeline of every run and a check of every outcome.
enum Demo {
    static let appID = "inngest-demo"
    static let databasePath = ".inngest/demo.sqlite"

    /// Plays every scenario; returns the process's exit status (non-zero if any outcome was not the expected one).
    static func run() async -> Int32 {
        let clock = DemoClock()
        let scenarios: [any Scenario] = [ImportProductImages(), ActivationEmail(), ComputeSquare(), FanOut(), FlakyStep()]
        let databaseURL = URL(fileURLWithPath: databasePath, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
        let reused = FileManager.default.fileExists(atPath: databaseURL.path)
        do {
            let engine = try Engine(
                appID: appID, databasePath: databaseURL.path, functions: scenarios.flatMap(\.functions),
                options: Engine.Options(clock: clock))
            try await continueEngineTime(of: engine, on: clock)
            printHeader(database: databaseURL.path, reused: reused, clockOffset: clock.offset, scenarioCount: scenarios.count)
            try await engine.start()
            let session = DemoSession(engine: engine, clock: clock, invocationTag: makeInvocationTag())
            // Runs an interrupted invocation left unfinished resume here; they are not shown.
            try await session.settle()
            for (number, scenario) in scenarios.enumerated() {
                printHeading(number: number + 1, scenario: scenario)
                try await scenario.play(in: session)
            }
            await engine.shutdown()
            return reportOutcome(failures: session.failures, scenarioCount: scenarios.count, database: databaseURL.path)
        } catch {
            Console.error("inngest-demo: stopped: \(error)")
            return 1
        }
    }

    /// Earlier invocations jumped the engine clock ahead (a 24-hour wait, backoffs) and stored
    /// runs and events at those times. Starting from where they left off keeps engine time
    /// from running backwards, so newest-first listings and pending timers stay in order.
    private static func continueEngineTime(of engine: Engine, on clock: DemoClock) async throws {
        guard let latest = try await engine.events(limit: 1).first?.receivedAt, latest > clock.now() else { return }
        clock.jump(to: latest.addingTimeInterval(0.001))
    }

    /// A short random tag that keeps this invocation's user ids apart from earlier ones.
    private static func makeInvocationTag() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        return String((0..<4).compactMap { _ in alphabet.randomElement() })
    }

    private static func printHeader(database: String, reused: Bool, clockOffset: TimeInterval, scenarioCount: Int) {
        Console.line(
            """
            swift-inngest demo: durable step functions on the embedded engine
              \(scenarioCount) scenarios from Inngest's docs, run in this process on a SQLite file (no server).
              Each run is shown as a timeline: its steps with kind, attempts, duration and result.
              database: \(database) (\(reused ? "reused; only this invocation's runs are shown" : "created"))
              time:     durations are engine time; waits and backoffs are compressed (⏩) by jumping the
                        engine clock forward, so a 24h wait takes no wall time
            """)
        if clockOffset > 0 {
            Console.line("  clock:    starts \(Format.duration(clockOffset)) ahead of wall time, where earlier invocations left it")
        }
    }

    private static func printHeading(number: Int, scenario: any Scenario) {
        let title = "== \(number). \(scenario.title) "
        Console.line()
        Console.line(title + String(repeating: "=", count: max(3, 78 - title.count)))
        Console.line("  \(scenario.summary)")
        Console.line()
    }

    private static func reportOutcome(failures: [String], scenarioCount: Int, database: String) -> Int32 {
        Console.line()
        guard failures.isEmpty else {
            Console.line("✗ \(Format.count(failures.count, "expected outcome")) did not happen:")
            for failure in failures { Console.line("   - \(failure)") }
            Console.error("inngest-demo: \(Format.count(failures.count, "expected outcome")) did not happen (listed above)")
            return 1
        }
        Console.line("✓ All \(scenarioCount) scenarios ended as Inngest's docs describe.")
        Console.line("  Everything above is stored in \(database); run the demo again to add to it.")
        return 0
    }
}
