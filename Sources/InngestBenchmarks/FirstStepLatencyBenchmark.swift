import Foundation
import Inngest
import InngestEngine
import Synchronization

/// Event → first step latency: from calling `send` to the first step's body starting,
/// for events sent one at a time.
///
///     inngest-benchmarks latency [EVENTS]
///
/// EVENTS defaults to 2,000. Besides the sentence, one `PEER-RESULT {json}` line (p50 and p99 in
/// milliseconds, wall and CPU seconds) for Benchmarks/Peers.
enum FirstStepLatencyBenchmark {
    static let defaultEvents = 2_000

    static func run() async throws {
        let events = try positiveArgument(2, default: defaultEvents, name: "EVENTS")
        let started = Mutex<[Int: ContinuousClock.Instant]>([:])
        let (arrivals, arrival) = AsyncStream.makeStream(of: Int.self)
        let first = InngestFunction(.init(id: "first-step", trigger: .event("bench/latency"))) { (ctx: Context<JSONValue>) in
            let index = Int(ctx.event.data["i"]?.integerValue ?? -1)
            try await ctx.step.run("first") {
                started.withLock { $0[index] = ContinuousClock.now }
                arrival.yield(index)
            }
        }
        let engine = try Engine(appID: "bench", databasePath: temporaryDatabasePath("latency"), functions: [first])
        try await engine.start()
        var sent: [Int: ContinuousClock.Instant] = [:]
        let cpuBefore = processCPUSeconds()
        let start = ContinuousClock.now
        var arrived = arrivals.makeAsyncIterator()
        for index in 0..<events {
            sent[index] = ContinuousClock.now
            try await engine.send([AnyEvent(name: "bench/latency", data: ["i": .integer(Int64(index))])])
            // One event at a time: wait for its first step, so each latency is measured unloaded.
            // Awaited, not polled: a loop of `Task.yield()` took a core from the engine.
            while let next = await arrived.next(), next != index {}
        }
        let elapsed = seconds(since: start)
        let cpu = processCPUSeconds() - cpuBefore
        let latencies = started.withLock { started in
            (0..<events).compactMap { index -> Double? in
                guard let begin = sent[index], let end = started[index] else { return nil }
                return (end - begin).timeInterval * 1_000
            }.sorted()
        }
        print("event -> first step latency over \(latencies.count) events: p50 \(format(percentile(latencies, 0.5), 2)) ms, p99 \(format(percentile(latencies, 0.99), 2)) ms")
        printPeerResult([
            "runs": Double(latencies.count), "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99), "wall": elapsed, "cpu": cpu,
        ])
    }
}
