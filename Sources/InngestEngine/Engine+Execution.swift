import Foundation
import GRDB
import Inngest
import Logging
import Tracing

extension Engine {
    /// Executes a run's handler once, live, unless an execution of it is already active.
    ///
    /// Each run gets its own serial job queue: its parallel branches take their step ids in a
    /// fixed order (so a replay computes the same ids), and its jobs count as work in flight.
    ///
    /// Executions in memory are bounded (``Engine/Options/maxActiveRuns`` besides the parked
    /// ones): past that a run waits in a queue, its record on disk, and starts when an
    /// execution ends. A burst of events to a slow app thus holds its events, not tasks.
    func execute(_ start: RunStart) {
        // Shutting down: the run stays as recorded and the next engine on the file resumes it.
        guard lifecycle.acceptsWork, case .started(let handle) = registry.begin(start) else { return }
        let activity = self.activity
        let queue = JobQueue(label: "inngest.engine.run") { started in started ? activity.begin() : activity.end() }
        Task(executorPreference: queue) {
            await self.runExecution(start, handle: handle)
            let (replay, next) = self.registry.end(start.runID)
            if replay { self.execute(RunStart(runID: start.runID)) }
            if let next { self.execute(next) }
        }
    }

    /// The frames of an execution stay allocated while its run is parked in memory, so the
    /// ones below the handler hold little: reading the run, a missing function, a store failure
    /// and recording the outcome are each a call of their own, not part of these frames.
    private func runExecution(_ start: RunStart, handle: ExecutionHandle) async {
        do {
            guard let run = try await loadRun(start), !run.status.isFinal else { return }
            guard let entry = catalog[run.functionID] else { return try await failForMissingFunction(start.runID, run.functionID) }
            if let tracer {
                try await executeTraced(run, start.runID, of: entry, handle: handle, tracer: tracer)
            } else {
                try await execute(run, start.runID, of: entry, handle: handle, trace: nil)
            }
        } catch {
            executionFailed(start, error)
        }
    }

    /// The function is gone (an app synced without it): the run cannot go on.
    @inline(never)
    private func failForMissingFunction(_ runID: String, _ functionID: String) async throws {
        let failure = SerializedError(name: "FunctionNotFound", message: "function \"\(functionID)\" is no longer registered")
        let now = clock.now()
        try await commit { [self] database in try endRun(runID, .failed(failure), in: database, now: now) }
    }

    @inline(never)
    private func executionFailed(_ start: RunStart, _ error: any Error) {
        let runID = start.runID
        if case EngineError.shutDown = error {
            // A body that outlived the shutdown's grace period: its result is not recorded.
            logger.debug("run \(runID) stopped by the shutdown; it resumes at the next start")
            return
        }
        // The store failed (disk full, I/O error, a read-only file): the run's record is
        // unchanged. Try it again from the record, later and less often each time, so the
        // run goes on once the store works again (space freed) without spinning meanwhile.
        let failures = start.storeFailures + 1
        let delay = Self.storeRetryDelay(afterFailures: failures)
        logger.error("run \(runID) could not be executed: \(error); trying again in \(delay)")
        Task { [weak self] in
            try? await Task.sleep(for: delay)
            guard let self, self.lifecycle.acceptsWork else { return }
            self.execute(RunStart(runID: runID, storeFailures: failures))
        }
    }

    /// 1 s after a run's first store failure, doubling up to a minute. Real time, whatever the
    /// engine's clock: the store recovers in real time.
    static func storeRetryDelay(afterFailures failures: Int) -> Duration {
        .seconds(min(60, 1 << min(failures - 1, 6)))
    }

    /// One execution in a span (for a run that stays in memory, the whole run), continuing the
    /// trace of the send or invoke that started the run. Apart, so an untraced execution's
    /// frames, kept while its run is parked, hold nothing of tracing.
    @inline(never)
    private func executeTraced(
        _ run: LoadedRun, _ runID: String, of entry: FunctionCatalog.Entry, handle: ExecutionHandle, tracer: ExecutionTracer
    ) async throws {
        let span = tracer.startRun(
            functionID: entry.function.id, runID: runID, attempt: run.attempt, parent: run.traceHeaders.context(with: tracer.tracer))
        let trace = RunTrace(span: span)
        defer { trace.end() }
        try await ServiceContext.withValue(span.context) {
            try await execute(run, runID, of: entry, handle: handle, trace: trace)
        }
    }

    /// Runs the handler once and records how the execution ended, unless it was stopped.
    private func execute(_ run: LoadedRun, _ runID: String, of entry: FunctionCatalog.Entry, handle: ExecutionHandle, trace: RunTrace?) async throws {
        let startedAt = clock.now()
        let attempt = run.attempt
        let (driver, input) = try prepareExecution(of: run, runID, entry, handle: handle)
        let result: Result<JSONValue, any Error>
        do {
            result = .success(try await entry.function.call(input))
        } catch {
            result = .failure(error)
        }
        // A cancelled, evicted or shut-down execution stops without recording anything:
        // the run's record is already final (cancelled) or resumes later from it.
        if handle.isInterrupted || driver.stoppedForShutdown { return }
        // A write of a step failed: the handler's outcome (it got the store's error) is not the
        // run's. The record stays as it was; `runExecution` tries the run again.
        if let failure = driver.storeFailure { throw failure }
        try await record(result, of: runID, attempt: attempt, maxAttempts: entry.function.configuration.maxAttempts, startedAt: startedAt, trace: trace)
    }

    /// The driver and the handler's input of one execution.
    @inline(never)
    private func prepareExecution(
        of run: LoadedRun, _ runID: String, _ entry: FunctionCatalog.Entry, handle: ExecutionHandle
    ) throws -> (LiveDriver, HandlerInput) {
        let function = entry.function
        let maxAttempts = function.configuration.maxAttempts
        let driver = LiveDriver(
            services: driverServices, runID: runID, handle: handle, function: entry,
            retryAttempts: run.retryAttempts, runEvent: try JSONCodec.shared.jsonValue(of: run.events.first),
            completedSteps: run.completedSteps, runAttempt: run.attempt, priority: run.priority)
        let execution = StepExecution(
            appID: appID, runID: runID, functionID: function.id, maxAttempts: maxAttempts, memo: run.memo, order: run.order,
            driver: driver, eventSender: self, middleware: middleware, tracer: tracer)
        let input = HandlerInput(
            events: run.events, runID: runID, attempt: run.attempt, maxAttempts: maxAttempts,
            execution: execution, logger: logger,
            isFirstExecution: run.memo.isEmpty && run.attempt == 0 && run.retryAttempts.isEmpty && run.completedSteps == 0)
        return (driver, input)
    }

    /// Records how the handler ended: the run's output, its failure, or a retry of the function.
    @inline(never)
    private func record(
        _ result: Result<JSONValue, any Error>, of runID: String, attempt: Int, maxAttempts: Int, startedAt: Date, trace: RunTrace?
    ) async throws {
        let now = clock.now()
        switch result {
        case .success(let output):
            try await commit { [self] database in try endRun(runID, .completed(output), in: database, now: now) }
            trace?.outcome = "completed"
        case .failure(let error as ExecutionInterrupted):
            _ = error
        case .failure(let error):
            let failures = attempt + 1
            let retriability = Retriability(of: error)
            trace?.error = SerializedError(error)
            if case .retriable(let retryAt) = retriability, failures < maxAttempts {
                let due = options.backoff.retryDate(now: now, failures: failures, retryAt: retryAt)
                let failure = SerializedError(error)
                try await commit { database in
                    var effects = Effects()
                    if try Runs.parkForRetry(runID, failures: failures, in: database) {
                        effects.addTimer(try Timers.insert(.retryRun, due: due, runID: runID, in: database))
                        try StepAttempts.insert(
                            runID: runID, hashedID: StepAttempts.runLevel, attempt: failures, startedAt: startedAt, endedAt: now, error: failure,
                            in: database)
                    }
                    return effects
                }
                trace?.outcome = "retrying"
            } else {
                let failure = SerializedError(error)
                try await commit { [self] database in try endRun(runID, .failed(failure), in: database, now: now) }
                trace?.outcome = "failed"
            }
        }
    }

    /// A fresh run carries its state; any other is read from its record (a replay).
    @inline(never)
    private func loadRun(_ start: RunStart) async throws -> LoadedRun? {
        if let fresh = start.fresh { return fresh }
        let runID = start.runID
        // Counted as work in flight: while the read runs, the run has no job queued.
        activity.begin()
        defer { activity.end() }
        return try await database.read { database -> LoadedRun? in
            guard let run = try Runs.row(runID, in: database),
                let status = RunStatus(rawValue: run["status"])
            else { return nil }
            var memo: [String: StepMemo] = [:]
            var order: [String] = []
            var retryAttempts: [String: Int] = [:]
            var completedSteps = 0
            for step in try StepRecords.all(ofRun: runID, in: database) {
                completedSteps = max(completedSteps, step["seq"] as Int? ?? 0)
                let hashedID: String = step["hashed_id"]
                let status = StepStatus(rawValue: step["status"])
                if status?.isFinal == true {
                    if let wire = try StoredJSON.value(JSONValue.self, from: step["memo"]), let recorded = StepMemo(wire: wire) {
                        memo[hashedID] = recorded
                        order.append(hashedID)
                    }
                } else if status == .retrying {
                    retryAttempts[hashedID] = step["attempts"]
                }
            }
            return LoadedRun(
                functionID: run["function_id"], status: status,
                events: try StoredJSON.value([AnyEvent].self, from: run["events"]) ?? [],
                attempt: run["attempt"], memo: memo, order: order, retryAttempts: retryAttempts, completedSteps: completedSteps,
                priority: run["priority"], traceHeaders: TraceHeaders(stored: run["trace_context"]))
        }
    }
}

/// The span of one execution of a run and how the execution ended.
private final class RunTrace: @unchecked Sendable {
    let span: any Span
    /// Set by the execution's task alone, read when it ends.
    var outcome = "stopped"
    var error: SerializedError?

    init(span: any Span) {
        self.span = span
    }

    func end() {
        ExecutionTracer.end(span, outcome: outcome, error: error)
    }
}
