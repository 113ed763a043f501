import Foundation
import Inngest
import InngestEngine

// Measures the embedded engine. Run release-built:
//     swift run -c release inngest-benchmarks [steps|latency|parked|flow|intake|retention|dashboard|stepids|replay|all]
// Each benchmark uses a fresh SQLite file in a temporary directory (WAL, synchronous=FULL).

let which = CommandLine.arguments.dropFirst().first ?? "all"
let benchmarks: [(String, () async throws -> Void)] = [
    ("steps", DurableStepsBenchmark.run),
    ("latency", FirstStepLatencyBenchmark.run),
    ("parked", ParkedRunsBenchmark.run),
    ("flow", FlowControlBenchmark.run),
    ("intake", EventIntakeBenchmark.run),
]
// Long (minutes): run by name only.
let namedOnly: [(String, () async throws -> Void)] = [
    ("retention", RetentionBenchmark.run), ("dashboard", DashboardBenchmark.run), ("stepids", StepIDHashBenchmark.run),
    ("replay", LiveVersusReplayBenchmark.run),
]
print("swift-inngest engine benchmarks (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
for (name, benchmark) in benchmarks where which == "all" || which == name {
    try await benchmark()
}
for (name, benchmark) in namedOnly where which == name {
    try await benchmark()
}
