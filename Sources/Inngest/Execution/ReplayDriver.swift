import Synchronization

/// The driver of the wire protocol: one request runs the handler from the top against the
/// recorded results and ends at the first new step(s).
///
/// New steps wait here until the handler's ``JobQueue`` drains, i.e. until every parallel
/// branch has reached its step. Then, in a discovery call, a lone `step.run` runs at once
/// (immediate execution) and anything else is reported as ops; in a targeted call only
/// the targeted step runs. Every other waiting step is released with ``ExecutionInterrupted``.
final class ReplayDriver: StepDriver {
    private enum Decision { case execute, interrupt }

    private struct Waiting {
        let token: Int
        let step: PendingStep
        let continuation: CheckedContinuation<Decision, Never>
    }

    private struct State {
        var waiting: [Waiting] = []
        var nextToken = 0
        var cancelledTokens: Set<Int> = []
        var runningBody = false
        var outcome: ExecutionOutcome?
        /// Steps that ran here and are not yet checkpointed.
        var buffered: [Opcode] = []
        var lastCheckpoint: Duration = .zero
        /// The session's maximum runtime has passed: new steps go back to the server.
        var runtimeExceeded = false
        var outcomeWaiter: CheckedContinuation<ExecutionOutcome, Never>?
    }

    private let targetStepID: String?
    private let immediateExecution: Bool
    /// Failed attempts of the step this request runs.
    private let attempt: Int
    private let isFinalAttempt: Bool
    /// Set when this call checkpoints (a discovery call the server offered it for).
    private let checkpointing: CheckpointSession?
    private let state = Mutex(State())

    init(targetStepID: String?, immediateExecution: Bool, attempt: Int, isFinalAttempt: Bool, checkpointing: CheckpointSession? = nil) {
        self.targetStepID = targetStepID
        self.immediateExecution = immediateExecution
        self.attempt = attempt
        self.isFinalAttempt = isFinalAttempt
        self.checkpointing = targetStepID == nil && immediateExecution ? checkpointing : nil
    }

    func resolve(_ step: PendingStep, in execution: StepExecution) async throws -> StepMemo {
        if step.identity.hashedID == targetStepID {
            let claimed = state.withLock { state in
                guard state.outcome == nil, !state.runningBody else { return false }
                state.runningBody = true
                return true
            }
            guard claimed else { throw ExecutionInterrupted() }
            try await runAndFinish(step)
        }
        switch await wait(step) {
        case .execute:
            // A call that began as a retry hands its step back at once, as TypeScript does:
            // the next step then starts with a fresh attempt count on the server.
            if let checkpointing, attempt == 0, case .run(let run) = step.operation {
                return try await runAndContinue(step, run, checkpointing)
            }
            try await runAndFinish(step)
        case .interrupt: throw ExecutionInterrupted()
        }
    }

    /// Runs the step and, when it succeeds, buffers its op (checkpointing the buffer when it
    /// is full or old enough) and returns the result so the handler goes on in this request.
    /// A failed step, a failed checkpoint or a stale dispatch ends the request.
    private func runAndContinue(_ step: PendingStep, _ run: RunStep, _ checkpointing: CheckpointSession) async throws -> StepMemo {
        let outcome = await run.body(attempt)
        let op = Opcode(ran: step, outcome: outcome, isFinalAttempt: isFinalAttempt)
        guard case .success(let value) = outcome else {
            // Steps that ran before are stored first; if that fails they are the answer, and
            // this step runs again in a later call.
            finish(await checkpointBuffer(checkpointing) ?? .steps([op]))
            throw ExecutionInterrupted()
        }
        let due = state.withLock { state in
            state.buffered.append(op)
            if state.buffered.count >= checkpointing.options.bufferedSteps { return true }
            guard let interval = checkpointing.options.maxInterval else { return false }
            return checkpointing.elapsed() - state.lastCheckpoint >= interval
        }
        if due, let failure = await checkpointBuffer(checkpointing) {
            finish(failure)
            throw ExecutionInterrupted()
        }
        state.withLock { $0.runningBody = false }
        return .data(value)
    }

    /// Sends the buffered ops; `nil` when they are stored (or there were none), else the
    /// call's answer: the ops themselves (the server stores them from the answer), or a
    /// non-retriable failure for a stale dispatch, whose answer the server ignores.
    private func checkpointBuffer(_ checkpointing: CheckpointSession) async -> ExecutionOutcome? {
        let ops = state.withLock { state in
            defer {
                state.buffered = []
                state.lastCheckpoint = checkpointing.elapsed()
            }
            return state.buffered
        }
        guard !ops.isEmpty else { return nil }
        do {
            try await checkpointing.checkpointer.checkpoint(ops)
            return nil
        } catch .staleDispatch {
            let error = SerializedError(name: "StaleDispatch", message: "the server has moved on from this call; no further step runs in it")
            return .failed(error, .nonRetriable)
        } catch {
            return .steps(ops)
        }
    }

    /// Runs the step (or reports it, if it is not code), ends the request with its op,
    /// and stops the handler here.
    private func runAndFinish(_ step: PendingStep) async throws -> Never {
        let op: Opcode
        if case .run(let run) = step.operation {
            op = Opcode(ran: step, outcome: await run.body(attempt), isFinalAttempt: isFinalAttempt)
        } else {
            op = Opcode(reporting: step)
        }
        finish(.steps([op]))
        throw ExecutionInterrupted()
    }

    private func wait(_ step: PendingStep) async -> Decision {
        let token = state.withLock { state in
            state.nextToken += 1
            return state.nextToken
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let immediate: Decision? = state.withLock { state in
                    if state.outcome != nil || state.cancelledTokens.contains(token) { return .interrupt }
                    state.waiting.append(Waiting(token: token, step: step, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            // A branch the handler no longer needs (e.g. a sibling threw): let it unwind.
            let continuation = state.withLock { state -> CheckedContinuation<Decision, Never>? in
                if let index = state.waiting.firstIndex(where: { $0.token == token }) {
                    return state.waiting.remove(at: index).continuation
                }
                state.cancelledTokens.insert(token)
                return nil
            }
            continuation?.resume(returning: .interrupt)
        }
    }

    /// Every task of the handler is suspended: decide about the steps that wait here.
    func queueDrained() {
        let runNow: CheckedContinuation<Decision, Never>? = state.withLock { state in
            guard state.outcome == nil, !state.runningBody, !state.waiting.isEmpty, targetStepID == nil,
                state.waiting.count == 1, immediateExecution, case .run = state.waiting[0].step.operation
            else { return nil }
            // Past the maximum runtime the step goes back to the server, which calls again.
            if let checkpointing, let limit = checkpointing.options.maxRuntime, checkpointing.elapsed() >= limit {
                state.runtimeExceeded = true
            }
            if state.runtimeExceeded { return nil }
            state.runningBody = true
            return state.waiting.removeFirst().continuation
        }
        if let runNow {
            runNow.resume(returning: .execute)
            return
        }
        let decided: (outcome: ExecutionOutcome, storeBufferFirst: Bool)? = state.withLock { state in
            guard state.outcome == nil, !state.runningBody, !state.waiting.isEmpty else { return nil }
            if let targetStepID {
                return (.stepNotFound(requested: targetStepID, found: state.waiting.map(\.step.identity.hashedID)), false)
            }
            // Steps that ran here are stored before the new ones are reported; meanwhile the
            // call counts as busy, so no step starts.
            let storeBufferFirst = !state.buffered.isEmpty
            if storeBufferFirst { state.runningBody = true }
            return (.steps(state.waiting.map { Opcode(reporting: $0.step) }), storeBufferFirst)
        }
        guard let decided else { return }
        guard decided.storeBufferFirst, let checkpointing else {
            finish(decided.outcome)
            return
        }
        Task { finish(await checkpointBuffer(checkpointing) ?? decided.outcome) }
    }

    /// The handler returned or threw.
    func handlerEnded(_ result: Result<JSONValue, any Error>) async {
        switch result {
        case .success(let value):
            guard checkpointing != nil else {
                finish(.completed(value))
                return
            }
            // A checkpointed call ends in a `206`: the steps not yet stored, then `RunComplete`.
            let buffered = state.withLock { state in
                defer { state.buffered = [] }
                return state.buffered
            }
            finish(.steps(buffered + [CheckpointSession.runComplete(value)]))
        case .failure(let error):
            var retriability = Retriability(of: error)
            if isFinalAttempt { retriability = .nonRetriable }
            if let checkpointing, let fallback = await checkpointBuffer(checkpointing) {
                finish(fallback)
                return
            }
            finish(.failed(SerializedError(error), retriability))
        }
    }

    /// Records the outcome (the first one wins) and releases every waiting step.
    private func finish(_ outcome: ExecutionOutcome) {
        let (released, waiter) = state.withLock { state -> ([Waiting], CheckedContinuation<ExecutionOutcome, Never>?) in
            guard state.outcome == nil else { return ([], nil) }
            state.outcome = outcome
            defer {
                state.waiting = []
                state.outcomeWaiter = nil
            }
            return (state.waiting, state.outcomeWaiter)
        }
        for waiting in released { waiting.continuation.resume(returning: .interrupt) }
        waiter?.resume(returning: outcome)
    }

    /// Waits for the outcome of the request.
    func outcome() async -> ExecutionOutcome {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> ExecutionOutcome? in
                if let outcome = state.outcome { return outcome }
                state.outcomeWaiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
