import Foundation
import Inngest
import InngestEngine
import InngestTesting

/// Bounded history: one-step runs passing through an engine with 1 h retention, against the
/// same with none. Time is a test clock: each chunk of 10,000 runs is sent, run to its end,
/// then 6 minutes pass (the retention sweep fires when due), so 1,000,000 runs span 10 hours
/// and about 100,000 are kept at a time. Reports the database's size (with its WAL),
/// steps/s over the first and last tenth of the runs, and CPU and bytes written per step.
///
///     swift run -c release inngest-benchmarks retention [runs] [forever-first]
enum RetentionBenchmark {
    static let chunk = 10_000
    static let minutesPerChunk = 6

    struct Outcome {
        var firstTenthStepsPerSecond = 0.0
        var lastTenthStepsPerSecond = 0.0
        var sizes: [Int] = []
        var cpuMicrosecondsPerStep = 0.0
        var bytesWrittenPerStep = 0.0
    }

    static func run() async throws {
        let arguments = CommandLine.arguments
        let runs = arguments.count > 2 ? max(chunk * 10, Int(arguments[2]) ?? 1_000_000) / chunk * chunk : 1_000_000
        // `forever-first` swaps the order, to see what the order costs.
        let foreverFirst = arguments.count > 3 && arguments[3] == "forever-first"
        let forever0 = foreverFirst ? try await measure(runs: runs, retention: nil) : nil
        let kept = try await measure(runs: runs, retention: .seconds(3_600))
        let forever: Outcome
        if let forever0 { forever = forever0 } else { forever = try await measure(runs: runs, retention: nil) }
        for (name, outcome) in [("1 h retention", kept), ("no retention", forever)] {
            let sizes = outcome.sizes
            let mb = { (bytes: Int) in format(Double(bytes) / 1_048_576, 1) }
            print(
                """
                retention, \(runs) one-step runs, \(name): first tenth \(format(outcome.firstTenthStepsPerSecond, 0)) steps/s, \
                last tenth \(format(outcome.lastTenthStepsPerSecond, 0)) steps/s, \(format(outcome.cpuMicrosecondsPerStep)) µs CPU/step, \
                \(format(outcome.bytesWrittenPerStep / 1_024, 1)) KB written/step; \
                file \(mb(sizes[sizes.count / 10 - 1])) MB after the first tenth, \(mb(sizes[sizes.count / 2 - 1])) MB at half, \
                \(mb(sizes.last ?? 0)) MB at the end, at most \(mb(sizes.max() ?? 0)) MB
                """)
        }
        print(
            "retention: last-tenth steps/s with 1 h retention / without: \(format(kept.lastTenthStepsPerSecond / forever.lastTenthStepsPerSecond, 2)); "
                + "whole run CPU per step ratio \(format(kept.cpuMicrosecondsPerStep / forever.cpuMicrosecondsPerStep, 2))")
    }

    static func measure(runs: Int, retention: Duration?) async throws -> Outcome {
        let function = InngestFunction(.init(id: "pass-through", trigger: .event("bench/pass"))) { (ctx: Context<JSONValue>) -> Int in
            try await ctx.step.run("only") { 1 }
        }
        let clock = TestClock()
        var options = Engine.Options(clock: clock)
        options.retention = retention
        let path = temporaryDatabasePath("retention")
        let engine = try Engine(appID: "bench", databasePath: path, functions: [function], options: options)
        try await engine.start()
        var outcome = Outcome()
        let chunks = runs / chunk
        var tenthStart = ContinuousClock.now
        let cpuStart = processCPUSeconds()
        let writtenStart = bytesWritten()
        for index in 0..<chunks {
            if index % (chunks / 10) == 0 { tenthStart = ContinuousClock.now }
            for _ in 0..<(chunk / 1_000) {
                try await engine.send(Array(repeating: AnyEvent(name: "bench/pass"), count: 1_000))
            }
            await engine.settle()
            await engine.letTimePass(.seconds(60 * minutesPerChunk), on: clock)
            outcome.sizes.append(fileSize(path) + fileSize(path + "-wal"))
            if (index + 1) % (chunks / 10) == 0 {
                let rate = Double(chunk * chunks / 10) / seconds(since: tenthStart)
                if index + 1 == chunks / 10 { outcome.firstTenthStepsPerSecond = rate }
                if index + 1 == chunks { outcome.lastTenthStepsPerSecond = rate }
            }
        }
        outcome.cpuMicrosecondsPerStep = (processCPUSeconds() - cpuStart) * 1e6 / Double(runs)
        outcome.bytesWrittenPerStep = Double(bytesWritten() - writtenStart) / Double(runs)
        let completed = try await engine.runCount(function: "pass-through", status: .completed)
        let expected = retention == nil ? runs : completed
        precondition(completed == expected && completed > 0, "runs did not complete: \(completed)")
        await engine.shutdown()
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        return outcome
    }

    /// Bytes this process has written with write(2) and its kind (WAL frames, checkpoints),
    /// from /proc (Linux); 0 elsewhere.
    static func bytesWritten() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return 0 }
        let line = text.split(separator: "\n").first { $0.hasPrefix("wchar:") }
        return line.flatMap { Int($0.dropFirst("wchar:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
