// The `chaos` mode, for Tests/Chaos/engine-chaos.sh:
//
//     InngestCrashWorker chaos <database> <step log> <count> <first n>
//
// Starts the engine on the file (resuming what a killed process left), sends `count`
// `chaos/go` events numbered from `first n`, printing `accepted <internal id> <n>` once each
// `send` returned, answers the runs' `waitForEvent` steps, and prints `done` once no run is
// left unfinished.
//
// `chaos-main` has 10 steps: 7 `step.run`, a `step.sleep` of 1 or 2 s, an `invoke` of
// `chaos-child` (2 `step.run`) and a `waitForEvent`, which for n % 3 == 0 waits for an event
// nobody sends (it times out after 1 s) and otherwise for `chaos/signal` with the same n,
// which this process sends once the wait is registered. Every output is a function of n
// (see Tests/Chaos/check-chaos.py).
//
// Step log lines: `launch <pid>` when a process starts; for every body execution
// `<run id> <step id> <uuid> begin` before its work and `... ran` after it; `... saw` when the
// handler got the (then durable) result back, on replays too. The uuid of `ran` is in the
// stored result, so the checker can tell which execution the store kept.

import Foundation
import Inngest
import InngestEngine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

struct ChaosInput: Codable, Sendable {
    var n: Int
}

struct ChaosStepResult: Codable, Sendable {
    var value: Int
    var uuid: String
}

struct ChaosSignal: Codable, Sendable {
    var n: Int
    var token: Int
}

struct ChaosOutput: Codable, Sendable {
    var n: Int
    var steps: [Int]
    var child: Int
    var token: Int?
}

enum ChaosWorker {
    static let child = FunctionReference<ChaosInput, Int>(id: "chaos-child")

    /// A body: logs `begin`, works a few ms (so kills land inside bodies), logs `ran`.
    static func body(runID: String, stepID: String, value: Int, logPath: String) async throws -> ChaosStepResult {
        let uuid = UUID().uuidString
        try CrashWorker.logStep("\(runID) \(stepID) \(uuid) begin", to: logPath, sync: false)
        try await Task.sleep(for: .milliseconds(Int.random(in: 1...8)))
        try CrashWorker.logStep("\(runID) \(stepID) \(uuid) ran", to: logPath)
        return ChaosStepResult(value: value, uuid: uuid)
    }

    static func step<Payload>(_ stepID: String, value: Int, of ctx: Context<Payload>, logPath: String) async throws -> Int {
        let result = try await ctx.step.run(stepID) { try await body(runID: ctx.runID, stepID: stepID, value: value, logPath: logPath) }
        try CrashWorker.logStep("\(ctx.runID) \(stepID) \(result.uuid) saw", to: logPath, sync: false)
        return result.value
    }

    static func functions(logPath: String) -> [InngestFunction] {
        let main = InngestFunction(.init(id: "chaos-main", trigger: .event("chaos/go"))) { (ctx: Context<ChaosInput>) -> ChaosOutput in
            let n = ctx.event.data.n
            var values: [Int] = []
            values.append(try await step("s1", value: n * 100 + 1, of: ctx, logPath: logPath))
            values.append(try await step("s2", value: n * 100 + 2, of: ctx, logPath: logPath))
            try await ctx.step.sleep("nap", n % 2 == 0 ? "1s" : "2s")
            values.append(try await step("s3", value: n * 100 + 3, of: ctx, logPath: logPath))
            let child = try await ctx.step.invoke("square", function: child, data: ChaosInput(n: n), timeout: "10m")
            values.append(try await step("s4", value: n * 100 + 4, of: ctx, logPath: logPath))
            let signal =
                n % 3 == 0
                ? try await ctx.step.waitForEvent("signal", event: "chaos/never", as: ChaosSignal.self, timeout: "1s")
                : try await ctx.step.waitForEvent("signal", event: "chaos/signal", as: ChaosSignal.self, timeout: "10m", match: "data.n")
            values.append(try await step("s5", value: n * 100 + 5, of: ctx, logPath: logPath))
            values.append(try await step("s6", value: n * 100 + 6, of: ctx, logPath: logPath))
            values.append(try await step("s7", value: n * 100 + 7, of: ctx, logPath: logPath))
            return ChaosOutput(n: n, steps: values, child: child, token: signal?.data.token)
        }
        let square = InngestFunction(.init(id: "chaos-child")) { (ctx: Context<ChaosInput>) -> Int in
            let n = ctx.event.data.n
            let square = try await step("c1", value: n * n, of: ctx, logPath: logPath)
            return try await step("c2", value: square + 1, of: ctx, logPath: logPath)
        }
        return [main, square]
    }

    /// Sends `chaos/signal` for every run whose `signal` step waits for it, again if it still
    /// waits a few seconds later (a signal sent in the instant before the wait was stored
    /// would match nothing).
    static func answerWaits(_ engine: Engine) async {
        var signalled: [String: ContinuousClock.Instant] = [:]
        while !Task.isCancelled {
            do {
                var events: [AnyEvent] = []
                let now = ContinuousClock.now
                for run in try await engine.runs(function: "chaos-main", status: .waiting, limit: 1_000_000) {
                    if let last = signalled[run.id], now - last < .seconds(3) { continue }
                    guard let detail = try await engine.run(id: run.id),
                        detail.steps.contains(where: { $0.userID == "signal" && $0.status == .waiting }),
                        case .integer(let n)? = detail.events.first?.data["n"]
                    else { continue }
                    signalled[run.id] = now
                    events.append(AnyEvent(name: "chaos/signal", data: ["n": .integer(n), "token": .integer(n * 7)]))
                }
                if !events.isEmpty { try await engine.send(events) }
            } catch {
                CrashWorker.say("signal error \(error)")
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    static func run(databasePath: String, logPath: String, count: Int, first: Int) async {
        do {
            try CrashWorker.logStep("launch \(getpid())", to: logPath)
            let engine = try Engine(appID: "chaos-app", databasePath: databasePath, functions: functions(logPath: logPath))
            try await engine.start()
            CrashWorker.say("started")
            let answering = Task { await answerWaits(engine) }
            for n in first..<(first + count) {
                let ids = try await engine.send([AnyEvent(name: "chaos/go", data: ["n": .integer(Int64(n))])])
                CrashWorker.say("accepted \(ids[0]) \(n)")
            }
            CrashWorker.say("sent")
            while true {
                var unfinished = 0
                for status in RunStatus.allCases where !status.isFinal {
                    unfinished += try await engine.runs(status: status, limit: 1).count
                }
                if unfinished == 0 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            answering.cancel()
            CrashWorker.say("done")
            exit(0)
        } catch {
            CrashWorker.fail("\(error)")
        }
    }
}
