import Foundation
import Inngest
import InngestEngine
import Synchronization

/// The engine the scenarios share, the clock they compress, and the checks they made.
final class DemoSession: Sendable {
    let engine: Engine
    let clock: DemoClock
    /// Appended to the demo's user ids. The database outlives an invocation, and a run an
    /// interrupted invocation left waiting for `app/post.created` must not be matched by
    /// this invocation's events (nor the other way round).
    let invocationTag: String
    private let failedChecks = Mutex<[String]>([])

    init(engine: Engine, clock: DemoClock, invocationTag: String) {
        self.engine = engine
        self.clock = clock
        self.invocationTag = invocationTag
    }

    // MARK: Narration

    /// A line of the scenario's story, indented under its heading.
    func say(_ line: String) {
        Console.line("  " + line)
    }

    func show(_ detail: RunDetail, note: String? = nil) {
        Console.line()
        for line in Timeline(detail: detail, note: note).lines() { Console.line(line) }
    }

    // MARK: Events and runs

    /// Sends events (saying so) and returns their internal ids; `send` returns once they and
    /// the runs they start are on disk.
    @discardableResult
    func send(_ events: [AnyEvent]) async throws -> [String] {
        for event in events {
            say("-> send \(event.name) \(Format.json(event.data, limit: 70))")
        }
        return try await engine.send(events)
    }

    /// Sends one event and returns its internal id.
    @discardableResult
    func send(_ event: AnyEvent) async throws -> String {
        let ids = try await send([event])
        guard ids.count == 1, let id = ids.first else { throw DemoError.unexpectedEventIDs(sent: 1, received: ids.count) }
        return id
    }

    /// Lets the engine run until nothing is left to do at the current engine time.
    ///
    /// Waits until the engine has nothing left to do at the current engine time.
    func settle() async throws {
        await engine.settle()
    }

    /// The one run an event of this invocation started for `functionID`.
    func run(of functionID: String, startedBy eventID: String) async throws -> RunDetail {
        let runs = try await engine.runs(startedByEvent: eventID).filter { $0.functionID == functionID }
        guard runs.count == 1, let run = runs.first else {
            throw DemoError.unexpectedRunCount(functionID: functionID, eventID: eventID, found: runs.count)
        }
        return try await detail(of: run.id)
    }

    func detail(of runID: String) async throws -> RunDetail {
        guard let detail = try await engine.run(id: runID) else { throw DemoError.missingRun(runID) }
        return detail
    }

    // MARK: Time compression

    /// Moves the engine clock `interval` forward, stopping at every timer on the way so they
    /// fire in order, and says so: the waits it lets pass take no wall time.
    func compressTime(by interval: TimeInterval, because reason: String) async throws {
        say("⏩ time compressed: advancing the engine clock by \(Format.duration(interval)) (\(reason))")
        try await settle()
        let target = clock.now().addingTimeInterval(interval)
        while true {
            let next = engine.nextTimerDate.map { min(max($0, clock.now()), target) } ?? target
            clock.jump(to: next)
            try await settle()
            if next >= target { break }
        }
    }

    /// Jumps the engine clock to the next timer (a retry's backoff, a sleep) and lets it fire.
    /// Returns how far the clock jumped, or `nil` if no timer is pending.
    @discardableResult
    func skipToNextTimer(because reason: String) async throws -> TimeInterval? {
        try await settle()
        guard let next = engine.nextTimerDate else { return nil }
        let gap = max(0, next.timeIntervalSince(clock.now()))
        say("⏩ time compressed: jumping the engine clock \(Format.duration(gap)) ahead (\(reason))")
        clock.jump(to: next)
        try await settle()
        return gap
    }

    // MARK: Checks

    /// Records whether an outcome Inngest's docs promise happened, and says so.
    func expect(_ condition: Bool, _ outcome: String) {
        if condition {
            say("✓ \(outcome)")
        } else {
            say("✗ NOT AS EXPECTED: \(outcome)")
            failedChecks.withLock { $0.append(outcome) }
        }
    }

    var failures: [String] { failedChecks.withLock { $0 } }
}

/// What stops the demo before its checks can run.
enum DemoError: Error, CustomStringConvertible {
    case missingRun(String)
    case unexpectedRunCount(functionID: String, eventID: String, found: Int)
    case unexpectedEventIDs(sent: Int, received: Int)

    var description: String {
        switch self {
        case .missingRun(let id):
            return "run \(id) is not in the database"
        case .unexpectedRunCount(let functionID, let eventID, let found):
            return "expected one run of \(functionID) for event \(eventID), found \(found)"
        case .unexpectedEventIDs(let sent, let received):
            return "sent \(sent) events but the engine returned \(received) ids"
        }
    }
}
