import Foundation
import GRDB
import Inngest
import Synchronization

/// The embedded engine's driver: a new step runs now and its result is durable before the
/// handler continues; sleeps, waits and invokes park the run until their timer or event.
final class LiveDriver: StepDriver {
    private let services: Services
    private let runID: String
    private let functionID: String
    private let handle: ExecutionHandle
    private let maxAttempts: Int
    private let runEvent: JSONValue
    /// Concurrency slots each step of this run takes while its body runs, and its priority.
    private let slots: [ConcurrencyLimiter.Slot]
    private let priority: Int64
    /// Failed attempts of steps that were backing off when this execution started.
    private let retryAttempts: Mutex<[String: Int]>
    /// Completion order of steps finished here, continuing the record's (a timer or event
    /// that finishes a parked step numbers it in the store); and whether the run has
    /// function-level failures to forget once a step completes.
    private let progress: Mutex<(sequence: Int, runAttempt: Int)>
    private let stoppedByShutdown = Atomic<Bool>(false)
    /// The error of this execution's first write that the store failed (disk full, I/O error).
    private let failedWrite = Mutex<(any Error)?>(nil)
    /// Whether this execution is the run's very first (no step done, no attempt failed): its first body is the first step.
    private let awaitsFirstStep: Atomic<Bool>

    init(
        services: Services, runID: String, handle: ExecutionHandle, function: FunctionCatalog.Entry, retryAttempts: [String: Int],
        runEvent: JSONValue, completedSteps: Int, runAttempt: Int, priority: Int64
    ) {
        self.services = services
        self.runID = runID
        self.functionID = function.key
        self.handle = handle
        self.maxAttempts = function.function.configuration.maxAttempts
        self.slots = ConcurrencyLimiter.slots(for: function.options, functionID: function.key, event: runEvent)
        self.priority = priority
        self.retryAttempts = Mutex(retryAttempts)
        self.runEvent = runEvent
        self.progress = Mutex((completedSteps, runAttempt))
        self.awaitsFirstStep = Atomic(completedSteps == 0 && runAttempt == 0 && retryAttempts.isEmpty)
    }

    /// The next completion number, and whether the run's function-level attempts must be reset.
    private func nextSequence() -> (sequence: Int, resetAttempt: Bool) {
        progress.withLock { progress in
            progress.sequence += 1
            defer { progress.runAttempt = 0 }
            return (progress.sequence, progress.runAttempt > 0)
        }
    }

    /// Whether the engine's shutdown stopped this execution at a step: then nothing about the
    /// run is recorded (whatever the handler made of the interruption), and it resumes at the
    /// next start. (A parked step the shutdown wakes is stopped through its handle instead.)
    var stoppedForShutdown: Bool { stoppedByShutdown.load(ordering: .acquiring) }

    /// Why a write of this execution failed, if one did: then no later step runs, nothing
    /// more is recorded, and the engine tries the run again from its record.
    var storeFailure: (any Error)? { failedWrite.withLock { $0 } }

    /// Commits a write of this run; a failure of the store stops the execution (see
    /// ``storeFailure``). Other errors (a shutdown) reach the handler as before.
    private func record(_ write: @escaping @Sendable (Database) throws -> Effects) async throws {
        do {
            try await services.commit(write)
        } catch let error as DatabaseError {
            failedWrite.withLock { $0 = $0 ?? error }
            throw ExecutionInterrupted()
        }
    }

    func resolve(_ step: PendingStep, in execution: StepExecution) async throws -> StepMemo {
        if handle.isInterrupted || storeFailure != nil { throw ExecutionInterrupted() }
        if !services.lifecycle.acceptsWork {
            stoppedByShutdown.store(true, ordering: .releasing)
            throw ExecutionInterrupted()
        }
        let operation = services.interceptor?.replacement(for: step, runID: runID, functionID: functionID) ?? step.operation
        switch operation {
        case .run(let run):
            return try await runStep(step, run)
        case .sleep(let target):
            return try await sleep(step, until: target)
        case .waitForEvent(let request):
            return try await wait(step, for: request)
        case .invoke(let request):
            return try await invoke(step, request)
        case .waitForSignal(let request):
            return try await waitForSignal(step, request)
        }
    }

    /// The engine's time.
    var now: Date { services.clock.now() }

    /// Runs `work` holding this run's concurrency slots, counted as work in flight: how a
    /// call to an app that may run a step in it (discovery) takes its turn like a step body.
    func withStepAdmission<T: Sendable>(_ work: @Sendable () async -> T) async -> T {
        await services.concurrency.acquire(slots, priority: priority, now: services.clock.now())
        services.activity.begin()
        let result = await work()
        services.activity.end()
        services.concurrency.release(slots)
        return result
    }

    // MARK: run

    private func runStep(_ step: PendingStep, _ run: RunStep) async throws -> StepMemo {
        let identity = step.identity
        var failures = retryAttempts.withLock { $0.removeValue(forKey: identity.hashedID) ?? 0 }
        let (runID, services, maxAttempts, handle, slots) = (self.runID, self.services, self.maxAttempts, self.handle, self.slots)
        while true {
            await services.concurrency.acquire(slots, priority: priority, now: services.clock.now())
            if handle.isInterrupted {
                services.concurrency.release(slots)
                throw ExecutionInterrupted()
            }
            let startedAt = services.clock.now()
            if awaitsFirstStep.exchange(false, ordering: .acquiringAndReleasing) {
                services.metrics.recordFirstStep(ofRun: runID, at: startedAt)
            }
            // A body awaiting I/O has no job queued but is work in flight: `settle()` waits for it.
            services.activity.begin()
            let outcome = await run.body(failures)
            services.activity.end()
            services.concurrency.release(slots)
            if handle.isInterrupted { throw ExecutionInterrupted() }
            let now = services.clock.now()
            let attempts = failures + 1
            switch outcome {
            case .success(let value):
                return try await recordCompleted(identity, kind: run.kind, output: value, attempts: attempts, startedAt: startedAt, now: now)
            case .failure(let error, let retriability):
                failures = attempts
                guard case .retriable(let retryAt) = retriability, attempts < maxAttempts else {
                    let memo = StepMemo.error(error)
                    let sequence = nextSequence().sequence
                    try await record { database in
                        try StepRecords.finish(
                            identity, kind: run.kind, memo: memo, attempts: attempts, runID: runID,
                            startedAt: startedAt, sequence: sequence, in: database, now: now)
                        return Effects()
                    }
                    services.metrics.recordStep(run.kind, .failed, duration: now.timeIntervalSince(startedAt))
                    return memo
                }
                let due = services.backoff.retryDate(now: now, failures: attempts, retryAt: retryAt)
                try await record { database in
                    var effects = Effects()
                    try StepRecords.pending(
                        identity, kind: run.kind, status: .retrying, attempts: attempts, error: error,
                        runID: runID, startedAt: startedAt, in: database)
                    try StepAttempts.insert(
                        runID: runID, hashedID: identity.hashedID, attempt: attempts, startedAt: startedAt, endedAt: now, error: error,
                        in: database)
                    try Runs.park(runID, in: database)
                    effects.addTimer(try Timers.insert(.retryStep, due: due, runID: runID, hashedID: identity.hashedID, in: database))
                    return effects
                }
                services.metrics.recordStep(run.kind, .retrying, duration: now.timeIntervalSince(startedAt))
                switch await services.registry.park(runID, identity.hashedID) {
                case .retry: continue
                case .resolved(let memo): return memo
                case .interrupted: throw ExecutionInterrupted()
                }
            }
        }
    }

    func record(ranStep step: PendingStep, output: JSONValue, in execution: StepExecution) async throws -> StepMemo {
        if handle.isInterrupted || storeFailure != nil || !services.lifecycle.acceptsWork { throw ExecutionInterrupted() }
        guard case .run(let run) = step.operation else { return try await resolve(step, in: execution) }
        let now = services.clock.now()
        if awaitsFirstStep.exchange(false, ordering: .acquiringAndReleasing) {
            services.metrics.recordFirstStep(ofRun: runID, at: now)
        }
        return try await recordCompleted(step.identity, kind: run.kind, output: output, attempts: 1, startedAt: now, now: now)
    }

    /// Commits a completed step; the first completed step after function-level failures gives
    /// the function a fresh set of attempts.
    private func recordCompleted(
        _ identity: StepIdentity, kind: StepKind, output: JSONValue, attempts: Int, startedAt: Date, now: Date
    ) async throws -> StepMemo {
        let memo = StepMemo.data(output)
        let (sequence, resetAttempt) = nextSequence()
        let runID = self.runID
        try await record { database in
            try StepRecords.finish(
                identity, kind: kind, memo: memo, attempts: attempts, runID: runID,
                startedAt: startedAt, sequence: sequence, in: database, now: now)
            if resetAttempt { try Runs.resetAttempts(runID, in: database) }
            return Effects()
        }
        services.metrics.recordStep(kind, .completed, duration: now.timeIntervalSince(startedAt))
        return memo
    }

    // MARK: sleep

    private func sleep(_ step: PendingStep, until target: SleepTarget) async throws -> StepMemo {
        let now = services.clock.now()
        let due: Date
        switch target {
        case .duration(let duration): due = now.adding(try duration.duration())
        case .date(let date):
            if date.timeIntervalSince(now) > Double(InngestLimits.maxWait.components.seconds) {
                throw StepUsageError(stepID: step.identity.userID, problem: .durationTooLong("sleepUntil \(ISO8601Timestamp.string(from: date))", limit: "366d from now"))
            }
            due = date
        }
        return try await park(step, kind: .sleep, status: .sleeping, detail: StepDetail(until: max(due, now))) { database, runID, identity in
            try Timers.insertReturningDue(.sleep, due: max(due, now), runID: runID, hashedID: identity.hashedID, in: database)
        }
    }

    // MARK: waitForEvent

    private func wait(_ step: PendingStep, for request: WaitForEventRequest) async throws -> StepMemo {
        let now = services.clock.now()
        let expires = now.adding(try request.timeout.duration())
        let runEvent = self.runEvent
        let detail = StepDetail(until: expires, event: request.event, condition: request.condition)
        return try await park(step, kind: .waitForEvent, status: .waiting, detail: detail) { database, runID, identity in
            try Waits.insert(
                runID: runID, hashedID: identity.hashedID, kind: "wait", eventName: request.event,
                condition: request.condition, runEvent: runEvent, expiresAt: expires, in: database)
            return try Timers.insertReturningDue(.waitTimeout, due: expires, runID: runID, hashedID: identity.hashedID, in: database)
        }
    }

    // MARK: waitForSignal

    private func waitForSignal(_ step: PendingStep, _ request: WaitForSignalRequest) async throws -> StepMemo {
        let now = services.clock.now()
        let expires = now.adding(try request.timeout.duration())
        let schedule = SignalWaits.schedule(request, expires: expires, now: now, endRun: services.endRun)
        return try await park(step, kind: .waitForSignal, status: .waiting, detail: StepDetail(until: expires, signal: request.signal), schedule: schedule)
    }

    // MARK: invoke

    private func invoke(_ step: PendingStep, _ request: InvokeRequest) async throws -> StepMemo {
        let services = self.services
        let now = services.clock.now()
        guard let target = services.catalog.entry(compositeID: request.functionID) else {
            let memo = StepMemo.error(
                SerializedError(
                    name: "NonRetriableError",
                    message: "invoked function \"\(request.functionID)\" is not registered with this engine (apps: \(services.catalog.appIDs.joined(separator: ", ")))"))
            let (identity, runID) = (step.identity, self.runID)
            let sequence = nextSequence().sequence
            try await record { database in
                try StepRecords.finish(
                    identity, kind: .invoke, memo: memo, attempts: 0, runID: runID, startedAt: now,
                    sequence: sequence, in: database, now: now)
                return Effects()
            }
            return memo
        }
        let expires = request.timeout.flatMap { try? $0.duration() }.map { now.adding($0) }
        // The invoked run continues this run's trace.
        let traceHeaders = services.tracer?.currentHeaders ?? TraceHeaders()
        let childRunID = ULID.make(at: now)
        let detail = StepDetail(until: expires, function: request.functionID, runID: childRunID)
        return try await park(step, kind: .invoke, status: .invoking, detail: detail) { database, runID, identity in
            let correlation = "\(runID).\(identity.hashedID)"
            var data = request.payload["data"]?.objectValue ?? [:]
            data["_inngest"] = [
                "fn_id": .string(request.functionID),
                "correlation_id": .string(correlation),
                "expire": .integer((expires ?? now.adding(InngestLimits.maxWait)).milliseconds),
                "source_app_id": .string(services.appID),
                "name": .string(step.displayName),
            ]
            let event = AnyEvent(name: InngestEventName.functionInvoked, data: .object(data), id: nil, ts: now.milliseconds, user: [:], v: request.payload["v"]?.stringValue)
            let eventID = ULID.make(at: now)
            try Events.insert(eventID, event, text: try StoredJSON.text(event), senderID: nil, at: now, in: database)
            var effects = try target.createRun(
                runID: childRunID, events: [event], eventID: eventID, parent: correlation, traceHeaders: traceHeaders, in: database, now: now)
            if let expires {
                effects.addTimer(try Timers.insert(.invokeTimeout, due: expires, runID: runID, hashedID: identity.hashedID, in: database))
            }
            return effects
        }
    }

    // MARK: Parking

    /// Records the pending step with whatever `schedule` adds (a timer, a wait, a child run),
    /// parks the run, and returns the step's result once it is durable.
    private func park(
        _ step: PendingStep, kind: StepKind, status: StepStatus, detail: StepDetail,
        schedule: @escaping @Sendable (Database, String, StepIdentity) throws -> Effects
    ) async throws -> StepMemo {
        let (services, runID, identity) = (self.services, self.runID, step.identity)
        let now = services.clock.now()
        try await record { database in
            try StepRecords.pending(
                identity, kind: kind, status: status, attempts: 0, detail: detail, runID: runID, startedAt: now, in: database)
            try Runs.park(runID, in: database)
            return try schedule(database, runID, identity)
        }
        services.metrics.recordStep(kind, .parked)
        switch await services.registry.park(runID, identity.hashedID) {
        case .resolved(let memo):
            // The timer or event that resolved the step gave it the next completion number.
            _ = nextSequence()
            return memo
        case .retry, .interrupted: throw ExecutionInterrupted()
        }
    }
}

extension Timers {
    /// A timer as an effect, for writes whose only effect is the timer.
    static func insertReturningDue(_ kind: Kind, due: Date, runID: String, hashedID: String, in database: Database) throws -> Effects {
        var effects = Effects()
        effects.addTimer(try insert(kind, due: due, runID: runID, hashedID: hashedID, in: database))
        return effects
    }
}
