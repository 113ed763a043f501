import Foundation
import Inngest
import InngestEngine

/// Memory with 100,000 runs parked in `sleep`, with the default bound on in-memory parked
/// runs (the rest evicted, resumed from the record when their timer fires) and with every
/// run kept in memory.
enum ParkedRunsBenchmark {
    static let runs = 100_000

    /// `inngest-benchmarks parked [bound|default] [RUNS]`: one bound per process, so no
    /// measurement includes another engine's memory. RUNS defaults to 100,000. Besides the
    /// sentence, one `PEER-RESULT {json}` line (seconds to park, RSS in MB, CPU seconds) for
    /// Benchmarks/Peers.
    static func run() async throws {
        let bound = CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? Engine.Options().maxParkedRuns
        try await measure(maxParked: bound, runs: try positiveArgument(3, default: runs, name: "RUNS"))
    }

    static func measure(maxParked: Int, runs: Int = ParkedRunsBenchmark.runs) async throws {
        let sleeper = InngestFunction(.init(id: "sleeper", trigger: .event("bench/sleep"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.sleep("nap", "1h")
        }
        let before = residentMemoryBytes()
        let engine = try Engine(
            appID: "bench", databasePath: temporaryDatabasePath("parked"), functions: [sleeper],
            options: .init(maxParkedRuns: maxParked))
        try await engine.start()
        let cpuBefore = processCPUSeconds()
        let start = ContinuousClock.now
        try await ScaleBenchmark.start(runs, of: "bench/sleep", on: engine)
        while try await engine.runCount(function: "sleeper", status: .waiting) < runs {
            try await Task.sleep(for: .milliseconds(100))
        }
        let elapsed = seconds(since: start)
        let cpu = processCPUSeconds() - cpuBefore
        await engine.settle()
        let rssBeforeTrim = residentMemoryBytes()
        // Freed memory glibc has not returned to the system yet is not held by parked runs.
        releaseFreedMemory()
        let rss = residentMemoryBytes()
        print("  RSS before returning freed memory to the system: \(rssBeforeTrim / 1_048_576) MB")
        print(
            """
            parked runs: \(runs) sleeping runs (in-memory bound \(maxParked), \(engine.liveRunCount) held in memory) \
            parked in \(format(elapsed, 1)) s; RSS \(rss / 1_048_576) MB (process before engine: \(before / 1_048_576) MB)
            """)
        printPeerResult([
            "runs": Double(runs), "wall": elapsed, "cpu": cpu, "rss_mb": Double(rss) / 1_048_576, "rss_untrimmed_mb": Double(rssBeforeTrim) / 1_048_576,
        ])
        await engine.shutdown()
    }
}
