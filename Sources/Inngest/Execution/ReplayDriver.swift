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
        var outcomeWaiter: CheckedContinuation<ExecutionOutcome, Never>?
    }

    private let targetStepID: String?
    private let immediateExecution: Bool
    /// Failed attempts of the step this request runs.
    private let attempt: Int
    private let isFinalAttempt: Bool
    private let state = Mutex(State())

    init(targetStepID: String?, immediateExecution: Bool, attempt: Int, isFinalAttempt: Bool) {
        self.targetStepID = targetStepID
        self.immediateExecution = immediateExecution
        self.attempt = attempt
        self.isFinalAttempt = isFinalAttempt
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
        case .execute: try await runAndFinish(step)
        case .interrupt: throw ExecutionInterrupted()
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
            state.runningBody = true
            return state.waiting.removeFirst().continuation
        }
        if let runNow {
            runNow.resume(returning: .execute)
            return
        }
        let decided: ExecutionOutcome? = state.withLock { state in
            guard state.outcome == nil, !state.runningBody, !state.waiting.isEmpty else { return nil }
            if let targetStepID {
                return .stepNotFound(requested: targetStepID, found: state.waiting.map(\.step.identity.hashedID))
            }
            return .steps(state.waiting.map { Opcode(reporting: $0.step) })
        }
        if let decided { finish(decided) }
    }

    /// The handler returned or threw.
    func handlerEnded(_ result: Result<JSONValue, any Error>) {
        switch result {
        case .success(let value):
            finish(.completed(value))
        case .failure(let error):
            var retriability = Retriability(of: error)
            if isFinalAttempt { retriability = .nonRetriable }
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
