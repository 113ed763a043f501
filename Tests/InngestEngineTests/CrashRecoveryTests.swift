import Foundation
import Inngest
import InngestEngine
import InngestTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Crash recovery at the process level: a child process running the engine
/// (`InngestCrashWorker`) is SIGKILLed at random points, several times, and started again on
/// the same database until it reports that every run has ended. Then the database and the
/// workers' step log must show that every run completed, no completed step ran again, each
/// step result is stored exactly once and no accepted event was lost.
///
/// Real time is used only to pick kill points; correctness never depends on it. Set
/// `INNGEST_CRASH_SEED` to repeat a sequence of kill decisions.
@Suite(.tags(.crashRecovery)) struct CrashRecoveryTests {
    /// `crash/go` events per wave; a wave that ends before all kills were made is followed by another.
    static let eventsPerWave = 24
    static let kills = 8
    static let deadline: Duration = .seconds(120)
    // The worker's functions (Tests/InngestCrashWorker/main.swift): keep the two in step.
    static let mainSteps = (1...20).map { String(format: "step-%02d", $0) }
    static let childSteps = (1...3).map { "child-\($0)" }
    /// `<26-char run id> <7-char step id> <36-char uuid> ran|saw\n`
    static let logLineBytes = 26 + 1 + 7 + 1 + 36 + 1 + 3 + 1

    @Test(.timeLimit(.minutes(3)))
    func killedWorkersLoseNothingAndRunNoCompletedStepAgain() async throws {
        let worker = try Self.workerURL()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = directory.appendingPathComponent("engine.sqlite").path
        let stepLog = directory.appendingPathComponent("steps.log").path
        let seed = ProcessInfo.processInfo.environment["INNGEST_CRASH_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1 ... .max)
        var random = SplitMix64(seed: seed)
        let clock = ContinuousClock()
        let started = clock.now

        var accepted: [String] = []
        var wanted = Self.eventsPerWave
        var nextNumber = 0
        var killPoints: [String] = []
        var launches = 0
        var finished = false
        while !finished {
            let remaining = wanted - accepted.count
            let arguments =
                remaining > 0
                ? ["send", database, stepLog, String(remaining), String(nextNumber)]
                : ["resume", database, stepLog]
            nextNumber += max(0, remaining)
            launches += 1
            let launch = try WorkerLaunch(worker, arguments: arguments, in: directory, number: launches)
            defer { launch.killIfRunning() }

            // Where to kill this one: while it sends (after some events were accepted), after
            // some more step bodies logged (spread over the work left), or a random time after
            // it was launched (during recovery, while runs sleep, at the end).
            var trigger: KillTrigger?
            let killsLeft = Self.kills - killPoints.count
            if killsLeft > 0 {
                let logged = Self.fileSize(stepLog) / Self.logLineBytes
                // A `ran` and a `saw` line per step, more after replays.
                let linesLeft = max(0, 2 * wanted * (Self.mainSteps.count + Self.childSteps.count) - logged)
                if remaining > 0, killPoints.isEmpty || Int.random(in: 0..<3, using: &random) == 0 {
                    trigger = .accepted(Int.random(in: 0..<remaining, using: &random), orAfter: .milliseconds(900))
                } else if Int.random(in: 0..<4, using: &random) == 0 {
                    trigger = .afterLaunch(.milliseconds(Int.random(in: 0...1_200, using: &random)))
                } else {
                    let span = max(2, linesLeft * 2 / (killsLeft + 1))
                    trigger = .logged(logged + Int.random(in: 1...span, using: &random), orAfter: .milliseconds(1_500))
                }
            }
            var killedAt: String?
            while launch.isRunning {
                if clock.now - started > Self.deadline {
                    launch.killIfRunning()
                    Issue.record(
                        """
                        crash recovery did not finish within \(Self.deadline) (seed \(seed)): \(launches) launches, \
                        \(killPoints.count) kills, \(accepted.count) events accepted (files in \(directory.path)); last worker \(arguments[0]) \
                        stdout:\n\(launch.output)\nstderr:\n\(launch.errors)
                        """)
                    return
                }
                if let trigger, let point = trigger.reached(launch: launch, stepLog: stepLog, clock: clock) {
                    launch.kill()
                    killedAt = point
                    break
                }
                try await Task.sleep(for: .milliseconds(2))
            }
            await launch.waitForExit()
            // Accepted before the kill: `send` had returned, so the event must survive.
            for id in launch.acceptedIDs where !accepted.contains(id) { accepted.append(id) }
            // (A worker that exited on its own just before the kill is treated as not killed.)
            if let killedAt, launch.wasKilled {
                killPoints.append("\(arguments[0]): \(killedAt)")
                continue
            }
            try #require(
                launch.exitedCleanly && launch.isDone,
                """
                worker \(launches) (\(arguments.joined(separator: " "))) failed (seed \(seed), files in \(directory.path)): \(launch.status)
                stdout:\n\(launch.output)\nstderr:\n\(launch.errors)
                """)
            if accepted.count < wanted { continue }
            // Everything ended before every kill was made: another wave.
            if killPoints.count < Self.kills { wanted += Self.eventsPerWave } else { finished = true }
        }
        let wallTime = clock.now - started

        let report = try await Self.verify(database: database, stepLog: stepLog, accepted: accepted)
        print(
            """
            crash recovery (seed \(seed)): \(killPoints.count) kills over \(launches) launches in \(wallTime); \
            \(accepted.count) events accepted, \(report.runs) runs, \(report.bodies) step bodies run, \
            \(report.reruns) re-run after a kill (in flight, result not yet committed)
              kill points: \(killPoints.joined(separator: "; "))
            """)
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Checks

    struct Report {
        var runs = 0
        var bodies = 0
        var reruns = 0
    }

    /// Reads the database (with an ``EngineReader``) and the step log.
    static func verify(database: String, stepLog: String, accepted: [String]) async throws -> Report {
        var report = Report()
        // The step log, in order: `ran` for every body execution, `saw` whenever the handler got
        // the step's result back (then durable). After a step's first `saw`, no body of it may
        // run again; every `saw` shows the same uuid; the last `ran` uuid is what the store holds.
        let lines = try String(contentsOfFile: stepLog, encoding: .utf8).split(separator: "\n")
        var lastRan: [String: String] = [:]
        var executions: [String: Int] = [:]
        var saw: [String: String] = [:]
        var ranAfterSeen: [String] = []
        var sawDifferent: [String] = []
        for line in lines {
            let fields = line.split(separator: " ").map(String.init)
            try #require(
                fields.count == 4 && UUID(uuidString: fields[2]) != nil && ["ran", "saw"].contains(fields[3]),
                "malformed step log line: \(line)")
            let key = "\(fields[0]) \(fields[1])"
            if fields[3] == "ran" {
                if saw[key] != nil { ranAfterSeen.append(key) }
                lastRan[key] = fields[2]
                executions[key, default: 0] += 1
            } else {
                if let earlier = saw[key], earlier != fields[2] { sawDifferent.append(key) }
                saw[key] = saw[key] ?? fields[2]
            }
        }
        #expect(ranAfterSeen.isEmpty, "completed steps ran again after the handler had their result: \(ranAfterSeen.prefix(10))")
        #expect(sawDifferent.isEmpty, "the handler got different results for the same step: \(sawDifferent.prefix(10))")
        report.bodies = executions.values.reduce(0, +)
        report.reruns = executions.values.reduce(0) { $0 + $1 - 1 }

        let engine = try EngineReader(databasePath: database)
        let runs = try await engine.runs(limit: 1_000_000)
        report.runs = runs.count
        let unfinished = runs.filter { $0.status != .completed }
        #expect(unfinished.isEmpty, "runs not completed: \(unfinished.map { "\($0.id) \($0.functionID) \($0.status) \($0.error.map { "\($0)" } ?? "")" })")

        // No accepted event is lost, and every stored event started exactly one run.
        let goEvents = try await engine.events(named: "crash/go", limit: 1_000_000)
        let childEvents = try await engine.events(named: "crash/child", limit: 1_000_000)
        let storedIDs = Set(goEvents.map(\.internalID))
        let lost = accepted.filter { !storedIDs.contains($0) }
        #expect(lost.isEmpty, "accepted events missing from the store: \(lost)")
        #expect(accepted.count == Set(accepted).count, "an internal event id was returned twice")
        let runsByEvent = Dictionary(grouping: runs, by: { $0.eventID ?? "" })
        for event in goEvents + childEvents {
            #expect(
                runsByEvent[event.internalID]?.count == 1,
                "event \(event.internalID) (\(event.event.name)) started \(runsByEvent[event.internalID]?.count ?? 0) runs, not 1")
        }
        let parents = runs.filter { $0.functionID == "crash-steps" }
        let children = runs.filter { $0.functionID == "crash-child" }
        #expect(parents.count == goEvents.count)
        // The fan-out sent its event once per parent run, however often the parent was replayed.
        let childParents = childEvents.compactMap { $0.event.data["parent"]?.stringValue }
        #expect(childParents.sorted() == parents.map(\.id).sorted(), "each parent run must send exactly one crash/child event")
        #expect(children.count == parents.count)
        // Each run ended once: one `inngest/function.finished` per run.
        let finishedRuns = try await engine.events(named: "inngest/function.finished", limit: 1_000_000)
            .compactMap { $0.event.data["run_id"]?.stringValue }
        #expect(finishedRuns.sorted() == runs.map(\.id).sorted(), "each run must emit inngest/function.finished exactly once")

        // Each step is stored once, completed once, with the result of the last body execution,
        // which is also the one the handler got. Problems are collected to report them together.
        var problems: [String] = []
        var recordedSteps = Set<String>()
        for summary in runs {
            let detail = try #require(try await engine.run(id: summary.id))
            let expected = summary.functionID == "crash-steps" ? mainSteps + ["nap", "fan-out"] : childSteps
            if detail.steps.map(\.userID).sorted() != expected.sorted() {
                problems.append("run \(summary.id) has steps \(detail.steps.map(\.userID)), expected \(expected)")
            }
            if Set(detail.steps.map(\.hashedID)).count != detail.steps.count {
                problems.append("run \(summary.id) stores a step twice")
            }
            var outputs: [JSONValue] = []
            for step in detail.steps {
                let key = "\(summary.id) \(step.userID)"
                let stored = step.output.map { "\($0)" } ?? "nothing"
                if step.status != .completed { problems.append("step \(key) is \(step.status)") }
                guard step.kind == .run else { continue }
                recordedSteps.insert(key)
                if step.attempts != 1 { problems.append("step \(key) took \(step.attempts) attempts") }
                if step.output != lastRan[key].map(JSONValue.string) {
                    problems.append("step \(key) stored \(stored) but its last body execution returned \(lastRan[key] ?? "nothing"): a completed step ran again")
                }
                if step.output != saw[key].map(JSONValue.string) {
                    problems.append("step \(key) stored \(stored) but the handler got \(saw[key] ?? "nothing")")
                }
                outputs.append(step.output ?? .null)
            }
            // The handler's last execution, replayed or not, returned exactly the stored results.
            if summary.output != .array(outputs) {
                problems.append("run \(summary.id) returned \(summary.output.map { "\($0)" } ?? "nothing"), its steps stored \(outputs)")
            }
        }
        for orphan in Set(lastRan.keys).union(saw.keys).subtracting(recordedSteps).sorted() {
            problems.append("step \(orphan) ran but is not recorded")
        }
        #expect(problems.isEmpty, "\(problems.count) problems in the record:\n\(problems.prefix(20).joined(separator: "\n"))")
        return report
    }

    // MARK: Worker processes

    /// The worker executable, built with the tests into the same products directory.
    static func workerURL() throws -> URL {
        let name = "InngestCrashWorker"
        let manager = FileManager.default
        var starts: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["INNGEST_CRASH_WORKER"] {
            return URL(fileURLWithPath: explicit)
        }
        // The test executable (Linux) or bundle (macOS) sits in the products directory.
        #if os(Linux)
            starts.append(URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath())
        #endif
        starts.append(URL(fileURLWithPath: CommandLine.arguments[0], relativeTo: URL(fileURLWithPath: manager.currentDirectoryPath)))
        starts += Bundle.allBundles.map(\.bundleURL).filter { $0.pathExtension == "xctest" }
        if let executable = Bundle.main.executableURL { starts.append(executable) }
        var candidates: [URL] = []
        for start in starts {
            var directory = start.standardizedFileURL.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(directory.appendingPathComponent(name))
                directory.deleteLastPathComponent()
            }
        }
        // Last resort: the package's own build directory.
        let build = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build")
        candidates.append(build.appendingPathComponent("debug").appendingPathComponent(name))
        for triple in (try? manager.contentsOfDirectory(atPath: build.path)) ?? [] {
            candidates.append(build.appendingPathComponent(triple).appendingPathComponent("debug").appendingPathComponent(name))
        }
        guard let found = candidates.first(where: { manager.isExecutableFile(atPath: $0.path) }) else {
            throw WorkerNotFound(searched: candidates.map(\.path))
        }
        return found
    }

    struct WorkerNotFound: Error, CustomStringConvertible {
        let searched: [String]
        var description: String {
            "InngestCrashWorker not found (build it with `swift build --build-tests`, or set INNGEST_CRASH_WORKER); looked at:\n"
                + searched.joined(separator: "\n")
        }
    }

    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }
}

/// When to SIGKILL a worker.
enum KillTrigger {
    /// This long after it was launched.
    case afterLaunch(Duration)
    /// Once it has printed this many `accepted` lines (or after the delay).
    case accepted(Int, orAfter: Duration)
    /// Once the step log has this many lines (or after the delay).
    case logged(Int, orAfter: Duration)

    /// A description of the kill point once it is reached.
    func reached(launch: WorkerLaunch, stepLog: String, clock: ContinuousClock) -> String? {
        if case .afterLaunch(let delay) = self {
            return clock.now - launch.launchedAt >= delay ? "\(delay) after launch\(launch.hasStarted ? "" : ", before the engine started")" : nil
        }
        // The others count from the worker's `started` line (its engine has recovered).
        guard launch.hasStarted, let since = launch.startedAt else { return nil }
        let elapsed = clock.now - since
        switch self {
        case .afterLaunch:
            return nil
        case .accepted(let count, let delay):
            if launch.acceptedIDs.count >= count { return "after \(launch.acceptedIDs.count) events accepted" }
            if elapsed >= delay { return "after \(delay) (\(launch.acceptedIDs.count) accepted)" }
        case .logged(let lines, let delay):
            let logged = CrashRecoveryTests.fileSize(stepLog) / CrashRecoveryTests.logLineBytes
            if logged >= lines { return "at step log line \(logged)" }
            if elapsed >= delay { return "after \(delay) (step log line \(logged))" }
        }
        return nil
    }
}

/// One run of the worker process, its stdout and stderr in files.
final class WorkerLaunch {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String
    let launchedAt = ContinuousClock.now
    private(set) var startedAt: ContinuousClock.Instant?
    private var killed = false

    init(_ executable: URL, arguments: [String], in directory: URL, number: Int) throws {
        stdoutPath = directory.appendingPathComponent("worker-\(number).out").path
        stderrPath = directory.appendingPathComponent("worker-\(number).err").path
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        let handles = [
            try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath)),
            try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath)),
        ]
        process.standardOutput = handles[0]
        process.standardError = handles[1]
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The child has its own copies now.
        for handle in handles { try? handle.close() }
    }

    var isRunning: Bool { process.isRunning }

    var output: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    private var lines: [Substring] { output.split(separator: "\n") }

    /// True once the engine has started (recovery done); records when it was first seen.
    var hasStarted: Bool {
        if startedAt == nil, lines.contains("started") { startedAt = ContinuousClock.now }
        return startedAt != nil
    }

    var acceptedIDs: [String] {
        lines.compactMap { line in line.hasPrefix("accepted ") ? String(line.dropFirst("accepted ".count)) : nil }
    }

    var isDone: Bool { lines.contains("done") }

    func kill() {
        killed = true
        sendSignal(SIGKILL, to: process.processIdentifier)
    }

    /// SIGTERM: what a process manager sends to stop it gracefully.
    func terminate() {
        sendSignal(SIGTERM, to: process.processIdentifier)
    }

    var hasStopped: Bool { lines.contains("stopped") }
    var hasSentAll: Bool { lines.contains("sent") }

    func killIfRunning() {
        if process.isRunning { sendSignal(SIGKILL, to: process.processIdentifier) }
    }

    func waitForExit() async {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(2)) }
    }

    var wasKilled: Bool { killed && process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL }
    var exitedCleanly: Bool { process.terminationReason == .exit && process.terminationStatus == 0 }
    var status: String { "\(process.terminationReason == .exit ? "exit status" : "signal") \(process.terminationStatus)" }
}

private func sendSignal(_ signal: Int32, to pid: Int32) {
    _ = kill(pid, signal)
}

/// A small seeded generator, so that `INNGEST_CRASH_SEED` repeats the kill decisions.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
