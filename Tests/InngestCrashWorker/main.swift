// A child process for the crash-recovery tests (CrashRecoveryTests), which SIGKILL it at
// random points and start it again on the same database.
//
//     InngestCrashWorker send   <database> <step log> <count> <first n>
//     InngestCrashWorker resume <database> <step log>
//     InngestCrashWorker serve  <database> <step log> <count>
//
// Both modes open the engine with the real clock and start it (which resumes what an earlier,
// killed process left unfinished). `send` then sends `count` `crash/go` events, one per
// `send`, printing `accepted <internal id>` only after `send` returned (the event is durable).
// Both then wait until every run in the database has ended, print `done` and exit 0.
//
// Every `step.run` body appends `<run id> <step id> <uuid> ran` to the step log (O_APPEND,
// fsync before it returns) and returns the uuid; the handler appends `<run id> <step id>
// <uuid> saw` when the step returns to it (the result is durable by then), on replays too.
// So the test can tell which bodies ran, how often, whether one ran after its result was
// durable, and which execution's result the engine stored.
//
// `chaos` and `faults` (for the scripts in Tests/Chaos) are described in Chaos.swift and Faults.swift.
//
// `serve` (for LifecycleProcessTests) runs the engine as a service of a `ServiceGroup` that
// shuts down gracefully on SIGTERM, sends `count` events (printing `accepted` lines, then
// `sent`), and prints `stopped` once the group has returned after a SIGTERM, then exits 0.

import Foundation
import Inngest
import InngestEngine
import Logging
import ServiceLifecycle
import UnixSignals

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The worker's functions and helpers (nonisolated: step bodies run on the engine's executors).
enum CrashWorker {
    /// Writes one line to stdout with a single unbuffered write(2): a line the parent reads
    /// was printed before any later kill.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("crash worker: \(message)\n".utf8))
        exit(2)
    }

    /// Appends one line to the step log, and with `sync` makes it durable before returning
    /// (without, the line still survives SIGKILL once `write` returned: it is in the page cache).
    static func logStep(_ line: String, to logPath: String, sync: Bool = true) throws {
        let descriptor = open(logPath, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        let bytes = Array((line + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        guard !sync || fsync(descriptor) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// A step body: a little (async) work so that kills land inside bodies too, then the log line.
    static func body(runID: String, stepID: String, logPath: String) async throws -> String {
        try await Task.sleep(for: .milliseconds(Int.random(in: 1...6)))
        let uuid = UUID().uuidString
        try logStep("\(runID) \(stepID) \(uuid) ran", to: logPath)
        return uuid
    }

    /// A `step.run` whose result the handler logs when it sees it.
    static func loggedStep(_ stepID: String, of ctx: Context<JSONValue>, logPath: String) async throws -> String {
        let uuid = try await ctx.step.run(stepID) { try await body(runID: ctx.runID, stepID: stepID, logPath: logPath) }
        try logStep("\(ctx.runID) \(stepID) \(uuid) saw", to: logPath, sync: false)
        return uuid
    }

    // The step ids CrashRecoveryTests expects: keep the two in step.
    static let mainSteps = (1...20).map { String(format: "step-%02d", $0) }
    static let childSteps = (1...3).map { "child-\($0)" }

    /// 20 `step.run` steps with a 1 s `step.sleep` after the 10th and a fan-out `step.sendEvent`
    /// (to `crash-child`) after the 12th. Returns every step's uuid in order.
    static func functions(logPath: String) -> [InngestFunction] {
        let main = InngestFunction(.init(id: "crash-steps", trigger: .event("crash/go"))) { (ctx: Context<JSONValue>) -> [String] in
            var uuids: [String] = []
            for (index, stepID) in mainSteps.enumerated() {
                uuids.append(try await loggedStep(stepID, of: ctx, logPath: logPath))
                if index == 9 { try await ctx.step.sleep("nap", "1s") }
                if index == 11 {
                    try await ctx.step.sendEvent("fan-out", Event(name: "crash/child", data: ["parent": .string(ctx.runID)]))
                }
            }
            return uuids
        }
        // The fan-out target: three steps.
        let child = InngestFunction(.init(id: "crash-child", trigger: .event("crash/child"))) { (ctx: Context<JSONValue>) -> [String] in
            var uuids: [String] = []
            for stepID in childSteps {
                uuids.append(try await loggedStep(stepID, of: ctx, logPath: logPath))
            }
            return uuids
        }
        return [main, child]
    }

    /// The engine as a service until SIGTERM; `count` events sent once it runs.
    static func serve(databasePath: String, logPath: String, count: Int) async {
        do {
            let engine = try Engine(appID: "crash-app", databasePath: databasePath, functions: functions(logPath: logPath))
            let logger = Logger(label: "crash-worker", factory: { _ in SwiftLogNoOpLogHandler() })
            let group = ServiceGroup(services: [engine], gracefulShutdownSignals: [.sigterm], cancellationSignals: [], logger: logger)
            let sender = Task {
                // `send` works before the group has started the engine: the runs start then.
                for number in 0..<count {
                    let ids = try await engine.send([AnyEvent(name: "crash/go", data: ["n": .integer(Int64(number))])])
                    say("accepted \(ids[0])")
                }
                say("sent")
            }
            say("started")
            try await group.run()
            _ = await sender.result
            say("stopped")
            exit(0)
        } catch {
            fail("\(error)")
        }
    }

    static func run(arguments: [String]) async {
        if arguments.count == 6, arguments[1] == "chaos" {
            await ChaosWorker.run(databasePath: arguments[2], logPath: arguments[3], count: Int(arguments[4]) ?? 0, first: Int(arguments[5]) ?? 0)
        }
        if arguments.count == 4, arguments[1] == "faults" {
            await FaultWorker.run(databasePath: arguments[2], logPath: arguments[3])
        }
        if arguments.count == 5, arguments[1] == "serve" {
            await serve(databasePath: arguments[2], logPath: arguments[3], count: Int(arguments[4]) ?? 0)
        }
        guard arguments.count >= 4, ["send", "resume"].contains(arguments[1]) else {
            fail("usage: InngestCrashWorker send|resume <database> <step log> [<count> <first n>] | serve <database> <step log> <count>")
        }
        let (mode, databasePath, logPath) = (arguments[1], arguments[2], arguments[3])
        let sendCount = mode == "send" && arguments.count > 4 ? Int(arguments[4]) ?? 0 : 0
        let firstNumber = arguments.count > 5 ? Int(arguments[5]) ?? 0 : 0
        do {
            let engine = try Engine(appID: "crash-app", databasePath: databasePath, functions: functions(logPath: logPath))
            try await engine.start()
            say("started")
            for number in firstNumber..<(firstNumber + sendCount) {
                let ids = try await engine.send([AnyEvent(name: "crash/go", data: ["n": .integer(Int64(number))])])
                say("accepted \(ids[0])")
            }
            // Done when no run is left unfinished. Runs are created in the transaction that
            // stores their event (a child's in its parent's `sendEvent` step), so none can
            // appear later.
            while true {
                await engine.settle()
                var unfinished = 0
                for status in RunStatus.allCases where !status.isFinal {
                    unfinished += try await engine.runs(status: status, limit: 1).count
                }
                if unfinished == 0 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            say("done")
            exit(0)
        } catch {
            fail("\(error)")
        }
    }
}

await CrashWorker.run(arguments: CommandLine.arguments)
