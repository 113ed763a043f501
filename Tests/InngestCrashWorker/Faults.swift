// The `faults` mode, for Tests/Chaos/disk-faults.sh: one engine process that the script
// drives line by line on stdin while it breaks the file system under it.
//
//     InngestCrashWorker faults <database> <step log>
//
// Commands, each answered on stdout by lines ending with the line named:
//
//     open <seconds>            open and start the engine, retrying every 250 ms: `error open <why>`
//                               for each different failure, then `opened` or `open-failed`
//     send <count> <first n> <pad bytes> [<nap seconds>]
//                               one `send` per event (its run sleeps <nap> s after its first step): `accepted <id> <n> <ms>` or
//                               `error send <n> <ms> <why>`; then `sent <accepted> <failed>`
//     fill <first n> <pad bytes> <max>
//                               sends until 3 sends in a row failed: the same lines, then
//                               `filled <accepted> <failed> <next n>`
//     wait <seconds>            `done` once no run is unfinished, else `pending <count>`
//     check                     every event this process accepted is stored and its run
//                               completed with its n: `check <accepted> <stored> <completed>`
//     health                    `health <engine health>`
//     quit                      exits 0
//
// `fault-main` runs 3 `step.run` steps, each returning the event's padding (so steps fill the
// disk too), with a `step.sleep` of `nap` seconds after the first when the event has one, and
// returns n.

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

struct FaultInput: Codable, Sendable {
    var n: Int
    var pad: String
    var nap: Int?
}

enum FaultWorker {
    static func functions(logPath: String) -> [InngestFunction] {
        let main = InngestFunction(.init(id: "fault-main", trigger: .event("fault/go"))) { (ctx: Context<FaultInput>) -> Int in
            for stepID in ["f1", "f2", "f3"] {
                let pad = ctx.event.data.pad
                _ = try await ctx.step.run(stepID) { () -> String in
                    try CrashWorker.logStep("\(ctx.runID) \(stepID) ran", to: logPath, sync: false)
                    return pad
                }
                if stepID == "f1", let nap = ctx.event.data.nap { try await ctx.step.sleep("nap", for: .seconds(nap)) }
            }
            return ctx.event.data.n
        }
        return [main]
    }

    /// Stdin lines, read on a thread of their own (a blocking read must not hold one of the
    /// few threads the engine's tasks run on).
    static func commands() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let reader = Thread {
            while let line = readLine() { continuation.yield(line) }
            continuation.finish()
        }
        reader.start()
        return stream
    }

    /// One line, without newlines inside (errors can span lines).
    static func describe(_ error: any Error) -> String {
        "\(error)".replacingOccurrences(of: "\n", with: " ")
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    static func run(databasePath: String, logPath: String) async {
        var engine: Engine?
        var accepted: [(id: String, n: Int)] = []

        /// Sends one event; returns whether it was accepted.
        func sendOne(_ engine: Engine, n: Int, pad: Int, nap: Int = 0) async -> Bool {
            let start = ContinuousClock.now
            do {
                var data: [String: JSONValue] = ["n": .integer(Int64(n)), "pad": .string(String(repeating: "x", count: pad))]
                if nap > 0 { data["nap"] = .integer(Int64(nap)) }
                let event = AnyEvent(name: "fault/go", data: .object(data))
                let id = try await engine.send([event])[0]
                accepted.append((id, n))
                CrashWorker.say("accepted \(id) \(n) \(milliseconds(since: start))")
                return true
            } catch {
                CrashWorker.say("error send \(n) \(milliseconds(since: start)) \(describe(error))")
                return false
            }
        }

        for await line in commands() {
            let words = line.split(separator: " ").map(String.init)
            guard let command = words.first else { continue }
            let numbers = words.dropFirst().map { Int($0) ?? 0 }
            func number(_ index: Int) -> Int { index < numbers.count ? numbers[index] : 0 }
            if command == "quit" { exit(0) }
            if command == "open" {
                let deadline = ContinuousClock.now + .seconds(number(0))
                var lastError = ""
                while engine == nil {
                    do {
                        let opened = try Engine(appID: "fault-app", databasePath: databasePath, functions: functions(logPath: logPath))
                        try await opened.start()
                        engine = opened
                    } catch {
                        let reason = describe(error)
                        if reason != lastError { CrashWorker.say("error open \(reason)") }
                        lastError = reason
                        if ContinuousClock.now > deadline { break }
                        try? await Task.sleep(for: .milliseconds(250))
                    }
                }
                CrashWorker.say(engine == nil ? "open-failed" : "opened")
                continue
            }
            guard let engine else {
                CrashWorker.say("error no engine")
                continue
            }
            switch command {
            case "send":
                var (good, bad) = (0, 0)
                for n in number(1)..<(number(1) + number(0)) {
                    if await sendOne(engine, n: n, pad: number(2), nap: number(3)) { good += 1 } else { bad += 1 }
                }
                CrashWorker.say("sent \(good) \(bad)")
            case "fill":
                var (good, bad, failedInARow, n) = (0, 0, 0, number(0))
                while failedInARow < 3, good + bad < number(2) {
                    if await sendOne(engine, n: n, pad: number(1)) {
                        good += 1
                        failedInARow = 0
                    } else {
                        bad += 1
                        failedInARow += 1
                    }
                    n += 1
                }
                CrashWorker.say("filled \(good) \(bad) \(n)")
            case "wait":
                let deadline = ContinuousClock.now + .seconds(number(0))
                var unfinished = -1
                while ContinuousClock.now < deadline {
                    do {
                        unfinished = 0
                        for status in RunStatus.allCases where !status.isFinal {
                            unfinished += try await engine.runCount(status: status)
                        }
                        if unfinished == 0 { break }
                    } catch {
                        CrashWorker.say("error read \(describe(error))")
                    }
                    try? await Task.sleep(for: .milliseconds(100))
                }
                CrashWorker.say(unfinished == 0 ? "done" : "pending \(unfinished)")
            case "check":
                var (stored, completed) = (0, 0)
                do {
                    for (id, n) in accepted {
                        guard try await engine.event(id: id) != nil else {
                            CrashWorker.say("missing \(id) \(n)")
                            continue
                        }
                        stored += 1
                        let runs = try await engine.runs(startedByEvent: id)
                        if runs.count == 1, runs[0].status == .completed, runs[0].output == .integer(Int64(n)) { completed += 1 }
                    }
                } catch {
                    CrashWorker.say("error read \(describe(error))")
                }
                CrashWorker.say("check \(accepted.count) \(stored) \(completed)")
            case "health":
                CrashWorker.say("health \(await engine.health)")
            default:
                CrashWorker.say("error unknown command \(command)")
            }
        }
        exit(0)
    }
}
