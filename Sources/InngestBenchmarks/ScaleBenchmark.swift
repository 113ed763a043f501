import Foundation
import Inngest
import InngestEngine

/// Parked runs and wake-ups at scale, with the engine's default bounds:
///
///     inngest-benchmarks scale parked [N]     N runs (1,000,000) parked in a 1-hour sleep: time and RSS
///     inngest-benchmarks scale wake [N]       N runs (100,000) sleeping until one instant: resumed runs/s
///     inngest-benchmarks scale waiters [N]    N runs (100,000) in waitForEvent, then one matching event each: matched events/s
///     inngest-benchmarks scale fanout [N]     N runs (10,000) waiting for the same event, then that one event
///
/// Each workload gets its own process and database file, so no figure includes another's
/// memory. Runs are started in sends of 1,000 events.
enum ScaleBenchmark {
    static func run() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst(2))
        let workload = arguments.first ?? ""
        let count = try arguments.dropFirst().first.map { argument -> Int in
            guard let count = Int(argument), (1...10_000_000).contains(count) else {
                throw BenchmarkUsageError("scale takes a count from 1 to 10,000,000, not \(argument)")
            }
            return count
        }
        switch workload {
        case "parked": try await ParkedRunsBenchmark.measure(maxParked: Engine.Options().maxParkedRuns, runs: count ?? 1_000_000)
        case "wake": try await wake(count ?? 100_000)
        case "waiters": try await waiters(count ?? 100_000)
        case "fanout": try await fanOut(count ?? 10_000)
        default: throw BenchmarkUsageError("scale takes parked, wake, waiters or fanout, not \"\(workload)\"")
        }
    }

    /// Starts `count` runs of `function`, one event each, in sends of 1,000.
    static func start(_ count: Int, of event: String, on engine: Engine, data: (Int) -> JSONValue = { _ in [:] }) async throws {
        var next = 0
        while next < count {
            let batch = next..<min(count, next + 1_000)
            try await engine.send(batch.map { AnyEvent(name: event, data: data($0)) })
            next = batch.upperBound
        }
    }

    /// Waits until `count` runs of `function` have `status`, polling every 20 ms.
    static func until(_ count: Int, of function: String, are status: RunStatus, on engine: Engine) async throws {
        while try await engine.runCount(function: function, status: status) < count {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Every run sleeps until the same instant, far enough ahead for all to park first; the
    /// rate is of the runs completed after that instant.
    static func wake(_ count: Int) async throws {
        let due = Date().addingTimeInterval(Double(count) / 10_000 + 10)
        let sleeper = InngestFunction(.init(id: "sleeper", trigger: .event("bench/sleep"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.sleepUntil("until", due)
        }
        let engine = try Engine(appID: "bench", databasePath: temporaryDatabasePath("wake"), functions: [sleeper])
        try await engine.start()
        let parkStart = ContinuousClock.now
        try await start(count, of: "bench/sleep", on: engine)
        try await until(count, of: "sleeper", are: .waiting, on: engine)
        let parked = seconds(since: parkStart)
        let wait = due.timeIntervalSinceNow
        guard wait > 0 else { throw BenchmarkUsageError("the runs took \(format(parked)) s to park, past their wake-up time") }
        try await Task.sleep(for: .seconds(wait))
        let wakeStart = ContinuousClock.now
        try await until(count, of: "sleeper", are: .completed, on: engine)
        let elapsed = seconds(since: wakeStart)
        print(
            """
            scale wake: \(count) runs parked in \(format(parked)) s; all resumed and completed \(format(elapsed, 2)) s after their \
            common wake-up time = \(format(Double(count) / elapsed, 0)) runs/s; RSS \(residentMemoryBytes() / 1_048_576) MB
            """)
        await engine.shutdown()
    }

    /// Each run waits for an answer matched on `data.id`; one answer per run is sent, in
    /// sends of 1,000. The rate is of answers sent until every run has completed.
    static func waiters(_ count: Int) async throws {
        let waiter = InngestFunction(.init(id: "waiter", trigger: .event("bench/ask"))) { (ctx: Context<JSONValue>) -> Bool in
            let answer = try await ctx.step.waitForEvent("answer", event: "bench/answer", timeout: "1h", match: "data.id")
            return answer != nil
        }
        let engine = try Engine(appID: "bench", databasePath: temporaryDatabasePath("waiters"), functions: [waiter])
        try await engine.start()
        let parkStart = ContinuousClock.now
        try await start(count, of: "bench/ask", on: engine) { ["id": .integer(Int64($0))] }
        try await until(count, of: "waiter", are: .waiting, on: engine)
        let parked = seconds(since: parkStart)
        let matchStart = ContinuousClock.now
        try await start(count, of: "bench/answer", on: engine) { ["id": .integer(Int64($0))] }
        let sent = seconds(since: matchStart)
        try await until(count, of: "waiter", are: .completed, on: engine)
        let elapsed = seconds(since: matchStart)
        print(
            """
            scale waiters: \(count) runs waiting, parked in \(format(parked)) s; \(count) matching events sent in \(format(sent, 2)) s, \
            every run completed after \(format(elapsed, 2)) s = \(format(Double(count) / elapsed, 0)) matched events/s \
            (\(format(elapsed / Double(count) * 1e6, 1)) µs each); RSS \(residentMemoryBytes() / 1_048_576) MB
            """)
        await engine.shutdown()
    }

    /// Every run waits for the same event (the same `data.group`); one event resumes them all.
    static func fanOut(_ count: Int) async throws {
        let listener = InngestFunction(.init(id: "listener", trigger: .event("bench/listen"))) { (ctx: Context<JSONValue>) -> Bool in
            let news = try await ctx.step.waitForEvent("news", event: "bench/news", timeout: "1h", match: "data.group")
            return news != nil
        }
        let engine = try Engine(appID: "bench", databasePath: temporaryDatabasePath("fanout"), functions: [listener])
        try await engine.start()
        try await start(count, of: "bench/listen", on: engine) { _ in ["group": "all"] }
        try await until(count, of: "listener", are: .waiting, on: engine)
        let sendStart = ContinuousClock.now
        try await engine.send([AnyEvent(name: "bench/news", data: ["group": "all"])])
        let sent = seconds(since: sendStart)
        try await until(count, of: "listener", are: .completed, on: engine)
        let elapsed = seconds(since: sendStart)
        print(
            """
            scale fanout: one event matched \(count) waiting runs; the send returned after \(format(sent * 1_000, 1)) ms, \
            every run completed after \(format(elapsed, 2)) s = \(format(Double(count) / elapsed, 0)) runs/s
            """)
        await engine.shutdown()
    }
}
