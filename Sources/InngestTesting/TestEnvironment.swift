import Foundation
import Inngest
import InngestEngine
import Logging
import Synchronization
import Tracing

/// Runs functions on the real embedded engine, with a virtual clock that skips time by
/// itself, and lets a test mock steps and invokes.
///
/// Everything a function does goes through the same engine as in production — step
/// records, retries with their backoff, ``/Inngest/NonRetriableError`` and ``/Inngest/RetryAfterError``,
/// `onFailure`, `cancelOn`, timeouts and flow control — on a SQLite file in a temporary
/// directory. When nothing can run, the clock jumps to the next timer (a sleep, a wait's
/// timeout, a retry's backoff, a debounce, a cron time), so a flow that waits a week takes
/// milliseconds.
///
/// ```swift
/// @Test func remindsUsersWhoDoNotPost() async throws {
///     let environment = try await TestEnvironment(functions: [Functions.activationEmail])
///     let run = try await environment.execute(Functions.activationEmail, event: Event(UserSignedUp(userID: "u1")))
///     #expect(try run.expectCompleted(as: String.self) == "reminded")   // the 24 h wait timed out
/// }
/// ```
public final class TestEnvironment: Sendable {
    /// The engine the functions run on; its inspection API reads the runs.
    public let engine: Engine
    /// The virtual clock: moved by the environment, or by ``advance(by:)``.
    public let clock: TestClock
    /// The id of the app under test.
    public let appID: String
    /// The most virtual time ``execute(_:event:)-(_,AnyEvent)`` and ``executeStep(_:of:event:)`` skip
    /// before they give up and report what the runs wait for.
    public let timeHorizon: Duration
    private let functionIDs: Set<String>
    private let interceptor: MockInterceptor
    private let directory: URL?
    private let eventsSentByTest = Mutex<Set<String>>([])

    /// An environment running `functions` on a new engine with a virtual clock.
    ///
    /// - Parameters:
    ///   - appID: The id of the app under test.
    ///   - functions: the functions of the app under test (their failure handlers are added).
    ///   - mocks: results that stand in for steps and invokes.
    ///   - now: where the virtual clock starts.
    ///   - backoff: the retry backoff; production's by default.
    ///   - timeHorizon: The most virtual time a run is driven before the environment reports
    ///     what it waits for; 400 days by default.
    ///   - databasePath: a file to keep the engine's record in; a temporary file, deleted with
    ///     the environment, by default.
    ///   - logger: The engine's logger; silent by default.
    ///   - middleware: the app's middleware, as the engine's options take them.
    ///   - tracer: where spans of runs and steps go (the `InstrumentationSystem`'s by default).
    /// - Throws: What creating the engine throws: an invalid function, or a database that
    ///   cannot be opened.
    public convenience init(
        appID: String = "test-app", functions: [InngestFunction], mocks: StepMocks = StepMocks(),
        now: Date = TestClock.defaultStart, backoff: Backoff = Backoff(), timeHorizon: Duration = .seconds(400 * 86_400),
        databasePath: String? = nil, logger: Logger = Logger(label: "inngest.testing", factory: { _ in SwiftLogNoOpLogHandler() }),
        middleware: [any InngestMiddleware] = [], tracer: (any Tracer)? = nil
    ) async throws {
        try await self.init(
            appID: appID, functions: functions, mocks: mocks, clock: TestClock(now: now), backoff: backoff, timeHorizon: timeHorizon,
            databasePath: databasePath, maxParkedRuns: 100_000, logger: logger, middleware: middleware, tracer: tracer)
    }

    /// With a clock shared across environments (an engine restarted on the same file) and the
    /// engine's in-memory bound of parked runs (to test eviction).
    package init(
        appID: String = "test-app", functions: [InngestFunction], mocks: StepMocks = StepMocks(), clock: TestClock,
        backoff: Backoff = Backoff(), timeHorizon: Duration = .seconds(400 * 86_400), databasePath: String? = nil,
        maxParkedRuns: Int, logger: Logger = Logger(label: "inngest.testing", factory: { _ in SwiftLogNoOpLogHandler() }),
        middleware: [any InngestMiddleware] = [], tracer: (any Tracer)? = nil
    ) async throws {
        let directory: URL?
        let path: String
        if let databasePath {
            directory = nil
            path = databasePath
        } else {
            let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-testing-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
            directory = temporary
            path = temporary.appendingPathComponent("engine.sqlite").path
        }
        let interceptor = MockInterceptor(mocks: mocks, appID: appID)
        var options = Engine.Options(clock: clock, maxParkedRuns: maxParkedRuns, backoff: backoff, logger: logger)
        options.stepInterceptor = interceptor
        options.middleware = middleware
        options.tracer = tracer
        // A test inspects runs however far it moved the clock: nothing is deleted.
        options.retention = nil
        self.engine = try Engine(appID: appID, databasePath: path, functions: functions, options: options)
        self.clock = clock
        self.appID = appID
        self.timeHorizon = timeHorizon
        self.functionIDs = Set(functions.map(\.id))
        self.interceptor = interceptor
        self.directory = directory
        try await engine.start()
    }

    deinit {
        engine.stopNow()
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    // MARK: Events

    /// Sends events as an app would; returns their internal ids.
    @discardableResult
    /// - Parameter events: The events to send.
    /// - Returns: Their internal ids, in order.
    /// - Throws: What the engine's `send` throws, e.g. `InvalidEvent`.
    public func send(_ events: [AnyEvent]) async throws -> [String] {
        let ids = try await engine.send(events)
        eventsSentByTest.withLock { $0.formUnion(ids) }
        return ids
    }

    @discardableResult
    /// Sends one typed event as an app would.
    ///
    /// - Parameter event: The event to send.
    /// - Returns: Its internal id.
    /// - Throws: What the engine's `send` throws, e.g. `InvalidEvent`.
    public func send<Payload: Codable & Sendable>(_ event: Event<Payload>) async throws -> String {
        try await send([try event.erased()])[0]
    }

    /// Events the functions sent (`step.sendEvent`, lifecycle events such as
    /// `inngest/function.finished`), oldest first; not those the test sent.
    ///
    /// - Parameter name: Only events of this name; all when `nil`.
    /// - Returns: The events, oldest first.
    /// - Throws: A database error if the read fails.
    public func sentEvents(named name: String? = nil) async throws -> [AnyEvent] {
        let sentByTest = eventsSentByTest.withLock { $0 }
        return try await engine.events(named: name, limit: Int.max).reversed().filter { !sentByTest.contains($0.internalID) }.map(\.event)
    }

    // MARK: Running

    /// Sends `event` and runs the run of `function` it starts to its end, skipping time
    /// whenever nothing can run.
    ///
    /// - Throws: ``TestEnvironmentFailure`` when the event starts no run of the function, when
    ///   a step mock of the function was never reached (naming the steps that were), when a
    ///   mocked value does not decode as the step's result type, or when the run would wait
    ///   forever (no timer left, or none within ``timeHorizon``).
    ///
    /// - Parameters:
    ///   - function: The function whose run to drive.
    ///   - event: The event that starts it.
    /// - Returns: The finished run, with its steps.
    public func execute(_ function: InngestFunction, event: AnyEvent) async throws -> TestRun {
        let runID = try await start(function, event: event)
        try await drive { try await self.engine.run(id: runID)?.run.status.isFinal == true }
        let run = try await testRun(runID)
        try checkMocks(of: run)
        return run
    }

    /// Sends a typed `event` and runs the run of `function` it starts to its end, skipping time
    /// whenever nothing can run.
    ///
    /// - Parameters:
    ///   - function: The function whose run to drive.
    ///   - event: The event that starts it.
    /// - Returns: The finished run, with its steps.
    /// - Throws: As ``execute(_:event:)-(_,AnyEvent)``.
    public func execute<Payload: Codable & Sendable>(_ function: InngestFunction, event: Event<Payload>) async throws -> TestRun {
        try await execute(function, event: try event.erased())
    }

    /// Sends `event` and runs the run of `function` it starts up to step `stepID`: once that
    /// step has its result, no further step runs and the run is cancelled. Returns the step.
    ///
    /// - Parameters:
    ///   - stepID: The id of the step to stop after.
    ///   - function: The function whose run to drive.
    ///   - event: The event that starts it.
    /// - Returns: The step, with its result or error.
    /// - Throws: ``TestEnvironmentFailure`` when the run ends or would wait forever before the step.
    public func executeStep(_ stepID: String, of function: InngestFunction, event: AnyEvent) async throws -> StepSummary {
        interceptor.haltAfter(step: stepID, inRunsOf: function.id)
        defer { interceptor.haltAfter(step: stepID, inRunsOf: nil) }
        let runID = try await start(function, event: event)
        try await drive {
            guard let detail = try await self.engine.run(id: runID) else { return true }
            return detail.run.status.isFinal || detail.steps.contains { $0.userID == stepID && $0.status.isFinal }
        }
        let run = try await testRun(runID)
        if !run.status.isFinal { try await engine.cancelRun(id: runID) }
        try checkMockTypes(of: run)
        guard let step = run.step(stepID), step.status.isFinal else {
            throw TestEnvironmentFailure(
                "the run ended without reaching step \"\(stepID)\"; it reached \(reachedList(runID))", runs: [run])
        }
        return step
    }

    /// Lets `duration` of virtual time pass, firing every timer on the way in order.
    ///
    /// - Parameter duration: How much virtual time passes.
    public func advance(by duration: Duration) async {
        await engine.letTimePass(duration, on: clock)
    }

    /// Waits until the engine has nothing left to do at the current virtual time.
    public func settle() async {
        await engine.settle()
    }

    // MARK: Reading

    /// The run with `id`, or `nil`.
    ///
    /// - Parameter id: The run's id.
    /// - Returns: The run with its steps, or `nil`.
    /// - Throws: A database error if the read fails.
    public func run(id: String) async throws -> TestRun? {
        guard try await engine.run(id: id) != nil else { return nil }
        return try await testRun(id)
    }

    /// The runs of `function`, oldest first.
    ///
    /// - Parameter function: The function whose runs to read.
    /// - Returns: Its runs, oldest first.
    /// - Throws: A database error if the read fails.
    public func runs(of function: InngestFunction) async throws -> [TestRun] {
        try await runs(ofFunctionID: function.id)
    }

    /// The runs of `function`'s `onFailure` handler (each started by an
    /// `inngest/function.failed` event), oldest first.
    ///
    /// - Parameter function: The function whose failure handler's runs to read.
    /// - Returns: The handler's runs, oldest first.
    /// - Throws: A database error if the read fails.
    public func failureHandlerRuns(of function: InngestFunction) async throws -> [TestRun] {
        try await runs(ofFunctionID: "\(function.id)-failure")
    }

    private func runs(ofFunctionID functionID: String) async throws -> [TestRun] {
        var runs: [TestRun] = []
        for summary in try await engine.runs(function: functionID, limit: Int.max).reversed() {
            runs.append(try await testRun(summary.id))
        }
        return runs
    }

    // MARK: Internals

    private func start(_ function: InngestFunction, event: AnyEvent) async throws -> String {
        guard functionIDs.contains(function.id) else {
            throw TestEnvironmentFailure("function \"\(function.id)\" is not in the environment (it has: \(functionIDs.sorted().joined(separator: ", ")))")
        }
        let eventID = try await send([event])[0]
        guard let run = try await engine.runs(startedByEvent: eventID).first(where: { $0.functionID == function.id }) else {
            throw TestEnvironmentFailure("event \"\(event.name)\" started no run of \"\(function.id)\" (its triggers: \(function.configuration.triggers))")
        }
        return run.id
    }

    /// Settles, then moves the clock to the next timer, until `done` holds.
    private func drive(until done: @Sendable () async throws -> Bool) async throws {
        let start = clock.now()
        let horizon = start.adding(timeHorizon)
        for _ in 0..<1_000_000 {
            await engine.settle()
            if try await done() { return }
            guard let next = engine.nextTimerDate else {
                throw TestEnvironmentFailure("the run would wait forever: nothing can run and no timer is set", runs: try await unfinishedRuns())
            }
            guard next <= horizon else {
                throw TestEnvironmentFailure(
                    "the run would wait past the time horizon (\(timeHorizon) from \(ISO8601Timestamp.string(from: start))): the next timer is at \(ISO8601Timestamp.string(from: next))",
                    runs: try await unfinishedRuns())
            }
            clock.advance(to: max(next, clock.now()))
        }
        throw TestEnvironmentFailure("the runs did not settle after a million timers", runs: try await unfinishedRuns())
    }

    private func testRun(_ runID: String) async throws -> TestRun {
        guard let detail = try await engine.run(id: runID) else { throw EngineError.unknownRun(runID) }
        return TestRun(detail: detail, events: try await engine.events(ofRun: runID) ?? [])
    }

    private func unfinishedRuns() async throws -> [TestRun] {
        var runs: [TestRun] = []
        for summary in try await engine.runs(limit: Int.max) where !summary.status.isFinal {
            var run = try await testRun(summary.id)
            run.openWaits = try await engine.openWaits(ofRun: summary.id)
            runs.append(run)
        }
        return runs
    }

    private func reachedList(_ runID: String) -> String {
        let reached = interceptor.reached(by: runID).map { "\"\($0.userID)\"" }
        return reached.isEmpty ? "no step" : reached.joined(separator: ", ")
    }

    private func checkMocks(of run: TestRun) throws {
        try checkMockTypes(of: run)
        let unused = interceptor.unusedStepMocks(applyingTo: run.functionID)
        guard unused.isEmpty else {
            throw TestEnvironmentFailure(
                "step mock\(unused.count == 1 ? "" : "s") \(unused.map { "\"\($0)\"" }.joined(separator: ", ")) never applied: the run reached \(reachedList(run.id))",
                runs: [run])
        }
    }

    /// A mocked value that does not decode as the step's result type fails the run with the
    /// step's decoding error; say so with both types.
    private func checkMockTypes(of run: TestRun) throws {
        for error in [run.error].compactMap({ $0 }) + run.steps.compactMap(\.error) {
            for id in interceptor.mockedStepIDs where error.message.hasPrefix("the recorded result of step \"\(id)\" does not decode as") {
                let mockType = interceptor.mockTypeName(ofStep: id) ?? "?"
                throw TestEnvironmentFailure("the mock of step \"\(id)\" gives a \(mockType), which the step's result type cannot take: \(error.message)", runs: [run])
            }
        }
    }
}

/// The environment could not do what a test asked; the description shows the runs concerned.
public struct TestEnvironmentFailure: Error, Sendable, CustomStringConvertible {
    /// What could not be done.
    public let message: String
    /// The runs concerned, with their timelines.
    public let runs: [TestRun]

    init(_ message: String, runs: [TestRun] = []) {
        self.message = message
        self.runs = runs
    }

    public var description: String {
        ([message] + runs.map(\.timeline)).joined(separator: "\n")
    }
}
