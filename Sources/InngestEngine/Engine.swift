import CoreMetrics
import Foundation
import GRDB
import Inngest
import Logging
import Synchronization
import Tracing

/// The embedded engine: runs functions durably in this process, with a SQLite file and no server.
///
/// ```swift
/// let engine = try Engine(appID: "shop", databasePath: ".inngest/shop.sqlite",
///                         functions: [importProductImages, sendActivationEmail])
/// try await engine.start()
/// try await engine.send(Event(ProductImported(imageURLs: urls)))
/// ```
///
/// Nothing accepted is lost: ``send(_:)-([AnyEvent])`` returns once its events and the runs they start are
/// on disk, and a step's result is on disk before the handler continues with it. Writes of
/// many runs share transactions (group commit), so that costs far less than one fsync per step.
/// Runs execute live: each new step runs, is recorded, and the handler goes on — no replay —
/// until it sleeps, waits or invokes; then it is parked in memory (or evicted past
/// ``Options/maxParkedRuns``) and resumed when its timer or event comes. After a crash, a
/// restarted engine resumes every run from its record; completed steps do not run again.
public final class Engine: Sendable {
    /// Tuning and environment.
    public struct Options: Sendable {
        /// The engine's time: the system clock, or a test clock.
        public var clock: any EngineClock
        /// Parked steps kept in memory; past this, the oldest parked runs are evicted and
        /// resume by replaying their record when woken. A parked task costs about 12 KB
        /// (measured: `swift run -c release inngest-benchmarks parked`); a replay costs a read
        /// and re-running the handler's code up to the parked step (recorded steps do not run).
        public var maxParkedRuns: Int
        /// Runs executing at once besides the parked ones kept in memory. A burst of events
        /// starts at most this many; the others wait in a queue (their record is on disk) and
        /// start as executions end. An execution waiting for a call to its app or for a step
        /// costs about 14–28 KB, a waiting run only its events, so this bounds what a burst to a
        /// slow app holds in memory.
        public var maxActiveRuns = 2_048
        /// How long to wait before a retry.
        public var backoff: Backoff
        /// Where the engine logs.
        public var logger: Logger
        /// How the engine calls apps served over HTTP (see ``Engine/sync(registration:)``);
        /// without one, apps cannot be synced.
        public var appTransport: (any HTTPTransport)?
        /// Signs every call to an app (`X-Inngest-Signature`), as a self-hosted Inngest server
        /// does; apps in cloud mode refuse unsigned calls.
        public var signingKey: SigningKey?
        /// Calls to apps whose body would be larger are sent trimmed (`use_api`); the app
        /// fetches the run's events and steps from the API. `InngestLimits.maxCallBodyBytes` by default.
        public var maxCallBodyBytes = InngestLimits.maxCallBodyBytes
        /// The most calls in flight to one app at once, whatever its functions' own
        /// `concurrency`; further calls wait in the engine, taken in turn from each function, so
        /// one busy function does not hold up another. The transport must allow as many
        /// connections per host (`AsyncHTTPClientTransport(maxConnectionsPerHost:)`).
        public var maxConcurrentCallsPerApp = 256
        /// Whether calls to apps offer checkpointing (`ctx.fn_id`, `ctx.qi_id`): an SDK that
        /// checkpoints (TypeScript, Swift) then runs consecutive steps in one call and posts
        /// them to ``Engine/checkpoint(_:)``, instead of answering one step per call. On by
        /// default, as on the Inngest server.
        public var offersCheckpointing = true
        /// How long ``Engine/shutdown()`` lets step bodies in flight finish (on ``clock``)
        /// before it stops the engine anyway; at most a day. 30 seconds by default, as
        /// Kubernetes waits before it kills a pod.
        public var shutdownGracePeriod: Duration = .seconds(30)
        /// How long finished runs (completed, failed, cancelled, skipped), their steps and
        /// events no remaining run needs are kept; then a background sweep deletes them in
        /// small batches and the file gives the space back. 7 days by default (what Inngest's
        /// free tier keeps); at most 10 years; `nil` keeps everything.
        public var retention: Duration? = .seconds(7 * 86_400)
        /// Where the engine's metrics go (see the README's "Running in production"): the
        /// process's bootstrapped `MetricsSystem` by default.
        public var metricsFactory: any MetricsFactory = MetricsSystem.factory
        /// Hooks around every run and step of the engine's own functions, and its sends (see
        /// ``/Inngest/InngestMiddleware``; ``/Inngest/PayloadCodecMiddleware`` encrypts what is stored). Functions
        /// of apps served over HTTP run their own app's middleware.
        public var middleware: [any InngestMiddleware] = []
        /// Where spans of runs and step attempts go (see the README's "Running in production");
        /// `nil`: the tracer bootstrapped in `InstrumentationSystem` when the engine is created.
        public var tracer: (any Tracer)?
        /// Stands in for steps (the test kit's mocks); `nil` in production.
        package var stepInterceptor: (any StepInterceptor)?

        /// Options with defaults for everything not given.
        ///
        /// - Parameters:
        ///   - clock: The engine's time.
        ///   - maxParkedRuns: Parked runs kept in memory before the oldest are evicted.
        ///   - backoff: How long to wait before a retry.
        ///   - logger: Where the engine logs.
        ///   - appTransport: How the engine calls apps served over HTTP.
        ///   - signingKey: Signs every call to an app.
        public init(
            clock: any EngineClock = SystemClock(), maxParkedRuns: Int = 1_000, backoff: Backoff = Backoff(),
            logger: Logger = Logger(label: "inngest.engine"), appTransport: (any HTTPTransport)? = nil,
            signingKey: SigningKey? = nil
        ) {
            self.clock = clock
            self.maxParkedRuns = maxParkedRuns
            self.backoff = backoff
            self.logger = logger
            self.appTransport = appTransport
            self.signingKey = signingKey
        }
    }

    /// The app's id: the prefix of its functions' ids.
    public let appID: String
    let options: Options
    let database: EngineDatabase
    let registry: RunRegistry
    let activity = ActivityTracker()
    let concurrency = ConcurrencyLimiter()
    let waitConditions = ConditionCache()
    let catalog: FunctionCatalog
    let timerLoop: TimerLoop
    /// One gate per synced app, kept across re-syncs so calls in flight stay counted.
    let appGates = Mutex<[String: AppCallGate]>([:])
    /// Calls to apps now open for checkpoints.
    let checkpointCalls = CheckpointCalls()
    let lifecycle = EngineLifecycle()
    /// Whether a retention sweep is running (one at a time).
    let sweeping = Atomic<Bool>(false)
    let metrics: EngineMetrics
    /// Tells watchers (the dashboard, `inngest dev`'s run log) that something was committed and which runs ended.
    package let changes: ChangeFeed
    let middleware: MiddlewareStack
    /// `nil` when nothing is traced.
    let tracer: ExecutionTracer?
    /// Samples the gauges while the engine runs.
    let gaugeSampler = Mutex<Task<Void, Never>?>(nil)
    /// This engine's claim on the database file, released when it stops (`nil` in memory or once stopped).
    let writerLock: Mutex<WriterLock?>

    /// Opens (or creates) the database and takes its writer lock: one engine writes a file.
    ///
    /// - Parameters:
    ///   - appID: The app's id: the prefix of its functions' ids.
    ///   - databasePath: The SQLite file, created if missing; `":memory:"` for a database
    ///     that lives only as long as the engine.
    ///   - functions: The functions to run, usually `Functions.all`.
    ///   - options: Limits, clock, retention, middleware, tracer and metrics.
    /// - Throws: `InvalidFunctionConfiguration` for the first function with invalid options,
    ///   or an error naming duplicate ids; ``EngineError/invalidOption(_:)`` for an option out
    ///   of range; ``EngineError/databaseInUse(path:holderPID:)`` if another engine (in any
    ///   process) has the file open; a database error if the file cannot be opened.
    public init(appID: String, databasePath: String, functions: [InngestFunction], options: Options = Options()) throws {
        try options.validate()
        self.appID = appID
        self.options = options
        self.catalog = try FunctionCatalog(appID: appID, functions: functions)
        // Locked before the file is opened, so a second engine does not even migrate it.
        self.writerLock = Mutex(databasePath == EngineDatabase.inMemoryPath ? nil : try WriterLock(databasePath: databasePath))
        let metrics = EngineMetrics(factory: options.metricsFactory)
        self.metrics = metrics
        self.middleware = MiddlewareStack(options.middleware)
        self.tracer = ExecutionTracer(options.tracer)
        let changes = ChangeFeed()
        self.changes = changes
        self.database = try EngineDatabase(
            path: databasePath,
            onCommit: { writes in
                metrics.recordTransaction(writes: writes)
                changes.signalCommit()
            })
        self.registry = RunRegistry(maxParked: options.maxParkedRuns, maxActive: options.maxActiveRuns)
        self.timerLoop = TimerLoop(clock: options.clock)
        if let (damage, copy) = database.damagedLog {
            options.logger.error(
                """
                the database's write-ahead log was damaged: SQLite kept its first \(damage.validFrames) valid frames and dropped \(damage.droppedFrames) \
                after them, \(damage.droppedCommits) committed transactions among them (acknowledged work since then is lost); \
                \(copy.map { "a copy of the log is at \($0)" } ?? "the log could not be copied")
                """)
        }
    }

    var clock: any EngineClock { options.clock }
    var logger: Logger { options.logger }

    /// Resumes the runs a previous process left unfinished, schedules cron triggers and starts
    /// the timer loop. Call once (or run the engine as a swift-service-lifecycle `Service`, which starts it).
    ///
    /// - Throws: ``EngineError/alreadyStarted`` if called again or after ``shutdown()``.
    public func start() async throws {
        guard lifecycle.markRunning() else { throw EngineError.alreadyStarted }
        let now = clock.now()
        try await restoreSyncedApps()
        let functions = catalog.all.map(\.function)
        let (recovered, cronTimers) = try await database.write { [self] database -> ([String], Int64?) in
            let unfinished = try Runs.toRecover(in: database)
            let earliest = try CronScheduling.ensureTimers(in: database, functions: functions, now: now)
            let retention = try scheduleRetention(in: database, now: now)
            return (unfinished, [earliest, retention].compactMap { $0 }.min())
        }
        for runID in recovered { execute(RunStart(runID: runID)) }
        timerLoop.start { [weak self] in await self?.fireDueTimers() ?? nil }
        startGaugeSampler()
        if let cronTimers { timerLoop.nudge(cronTimers) }
    }

    /// Waits until the engine has nothing left to do at the current time: every run is
    /// finished or parked, every due timer fired. With a clock that moves only when told
    /// (the test kit's), advance the clock and settle again to let time pass.
    package func settle() async {
        // Work in flight can start more work (a write wakes a run, a run writes), so wait for
        // several consecutive idle observations.
        var quiet = 0
        while quiet < 3 {
            await activity.idle()
            if timerLoop.hasDueWork(now: clock.now()) {
                quiet = 0
                await Task.yield()
                continue
            }
            await Task.yield()
            quiet = activity.isIdle ? quiet + 1 : 0
        }
    }

    /// When the next timer is due, as far as the timer loop knows (it learns of new timers as they are written).
    package var nextTimerDate: Date? { timerLoop.deadline.map(Date.init(milliseconds:)) }

    /// Statistics of the group-commit writer: transactions committed and writes in them.
    public var writeStatistics: (transactions: Int, writes: Int) { database.writer.statistics }

    /// Runs currently holding an in-memory task (executing or parked).
    public var liveRunCount: Int { registry.activeCount }

    /// Applies what a committed write asked for. Once a shutdown began, executions are not
    /// started: the runs are on disk and go on at the next start.
    func apply(_ effects: Effects) {
        metrics.recordCommitted(effects)
        if !effects.runsEnded.isEmpty { changes.publish(ended: effects.runsEnded) }
        for start in effects.starts { execute(start) }
        for (runID, hashedID, wake) in effects.wakes {
            if registry.wake(runID, hashedID, with: wake) == .notActive {
                execute(RunStart(runID: runID))
            }
        }
        for runID in effects.interrupts { registry.interrupt(runID) }
        if let due = effects.earliestTimer { timerLoop.nudge(due) }
        if effects.sweepHistory { startHistorySweep() }
    }

    /// Writes with `operation`, then applies the effects it returns.
    func commit(_ operation: @escaping @Sendable (Database) throws -> Effects) async throws {
        activity.begin()
        defer { activity.end() }
        let effects = try await database.write(operation)
        apply(effects)
    }
}

/// Problems the engine reports to callers.
public enum EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    case duplicateFunction(String)
    case unknownRun(String)
    case invalidRegistration(String)
    case noAppTransport
    /// Another engine has the database file open for writing (`holderPID`: its process, when known).
    case databaseInUse(path: String, holderPID: Int32?)
    /// The lock file next to the database cannot be opened or locked.
    case lockUnavailable(path: String, reason: String)
    /// A reader was pointed at a file that does not exist.
    case noDatabase(path: String)
    /// An ``Engine/Options`` value is out of range.
    case invalidOption(String)
    /// ``Engine/start()`` was called a second time, or after a shutdown.
    case alreadyStarted
    /// The engine was shut down; nothing more is written.
    case shutDown
    /// No function with this id is registered (an invoke, or a rerun of a run whose function is gone).
    case unknownFunction(String)
    /// The run has no step with this hashed id (a rerun from a step).
    case unknownStep(runID: String, hashedID: String)
    /// A run-control request that cannot be carried out as asked, with the reason.
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .duplicateFunction(let id):
            return "two functions have the id \"\(id)\"; function ids must be unique in an app"
        case .unknownRun(let id):
            return "no run has the id \"\(id)\""
        case .invalidRegistration(let reason):
            return "the app cannot be synced: \(reason); nothing was changed"
        case .noAppTransport:
            return "the engine has no HTTP transport (Options.appTransport), so it cannot call apps served over HTTP"
        case .databaseInUse(let path, let holder):
            let who = holder.map { "process \($0)" } ?? "another process"
            return "the database \(path) is in use by another engine (\(who)); one engine writes a database at a time (readers: EngineReader)"
        case .lockUnavailable(let path, let reason):
            return "the writer lock \(path) cannot be taken: \(reason)"
        case .noDatabase(let path):
            return "there is no database at \(path)"
        case .invalidOption(let problem):
            return "invalid engine option: \(problem)"
        case .alreadyStarted:
            return "the engine was already started (start() is called once; a shut-down engine is not started again, open a new one)"
        case .shutDown:
            return "the engine is shut down"
        case .unknownFunction(let id):
            return "no function with the id \"\(id)\" is registered"
        case .unknownStep(let runID, let hashedID):
            return "run \(runID) has no step with the id \"\(hashedID)\""
        case .invalidRequest(let problem):
            return problem
        }
    }
}

extension Engine.Options {
    /// The longest ``shutdownGracePeriod``.
    static let maxShutdownGracePeriod: Duration = .seconds(86_400)

    /// Checks every option that has a range, before anything is opened.
    func validate() throws {
        guard shutdownGracePeriod > .zero, shutdownGracePeriod <= Self.maxShutdownGracePeriod else {
            throw EngineError.invalidOption("shutdownGracePeriod must be more than 0 and at most 1 day, not \(shutdownGracePeriod)")
        }
        if let retention, retention <= .zero || retention > Self.maxRetention {
            throw EngineError.invalidOption("retention must be more than 0 and at most 10 years (or nil to keep everything), not \(retention)")
        }
        guard maxParkedRuns >= 0 else { throw EngineError.invalidOption("maxParkedRuns must be 0 or more, not \(maxParkedRuns)") }
        guard maxActiveRuns > 0 else { throw EngineError.invalidOption("maxActiveRuns must be 1 or more, not \(maxActiveRuns)") }
        guard maxConcurrentCallsPerApp > 0 else {
            throw EngineError.invalidOption("maxConcurrentCallsPerApp must be 1 or more, not \(maxConcurrentCallsPerApp)")
        }
    }
}
