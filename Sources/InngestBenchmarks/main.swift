import Dispatch
import Foundation
import Inngest
import InngestEngine

// Measures the embedded engine. Run release-built:
//     swift run -c release inngest-benchmarks [steps|latency|parked|flow|intake|retention|dashboard|stepids|replay|step-path|scale|served|all]
// Each benchmark uses a fresh SQLite file in a temporary directory (WAL, synchronous=FULL).

enum BenchmarkCommand {
    static let all: [(String, @Sendable () async throws -> Void)] = [
        ("steps", DurableStepsBenchmark.run),
        ("latency", FirstStepLatencyBenchmark.run),
        ("parked", ParkedRunsBenchmark.run),
        ("flow", FlowControlBenchmark.run),
        ("intake", EventIntakeBenchmark.run),
    ]
    /// Long (minutes) or for a tool: run by name only.
    static let namedOnly: [(String, @Sendable () async throws -> Void)] = [
        ("retention", RetentionBenchmark.run), ("dashboard", DashboardBenchmark.run), ("stepids", StepIDHashBenchmark.run),
        ("replay", LiveVersusReplayBenchmark.run), ("step-path", StepPathBenchmark.run), ("scale", ScaleBenchmark.run),
        ("served", ServedStepsBenchmark.run),
    ]

    static func run(_ which: String) async throws {
        print("swift-inngest engine benchmarks (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
        for (name, benchmark) in all where which == "all" || which == name {
            try await benchmark()
        }
        for (name, benchmark) in namedOnly where which == name {
            try await benchmark()
        }
    }

    /// Runs the benchmarks on a task while the main thread waits: not an async `main`, which
    /// ends in `dispatch_main`, where valgrind 3.19 (Debian 12) crashes, so callgrind could not
    /// count `step-path`.
    static func main() {
        let which = CommandLine.arguments.dropFirst().first ?? "all"
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                try await run(which)
            } catch {
                FileHandle.standardError.write(Data("inngest-benchmarks: \(error)\n".utf8))
                exit(1)
            }
            finished.signal()
        }
        finished.wait()
    }
}

BenchmarkCommand.main()
