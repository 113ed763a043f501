import Synchronization

/// One execution of a handler: the core every driver shares.
///
/// It gives each step call its identity (with Inngest's repeat counter), returns recorded
/// results, rejects nested steps and runs past the step limit, and hands new steps to
/// the ``StepDriver``.
package final class StepExecution: Sendable {
    /// The id of the app the function belongs to; resolves ``FunctionReference``s without an app.
    package let appID: String
    /// The run this execution belongs to.
    package let runID: String
    package let driver: any StepDriver
    /// Sends events for `step.sendEvent`.
    package let eventSender: any EventSender
    /// The recorded results this execution started with, by hashed step id.
    package let recorded: [String: StepMemo]
    /// Hashed ids of ``recorded`` in the order the steps finished (Inngest's `ctx.stack`);
    /// empty when the driver does not know it.
    package let recordedOrder: [String]
    /// The function's id within its app.
    package let functionID: String
    /// Attempts allowed per step: whether a failed attempt is the last one.
    package let maxAttempts: Int
    package let middleware: MiddlewareStack
    package let tracer: ExecutionTracer?

    private struct State {
        var memo: [String: StepMemo]
        var repeats: [String: Int] = [:]
        var stepCount = 0
        /// Recorded results not yet returned: while any remain, the handler is replaying.
        var unconsumed: Int
    }

    private let state: Mutex<State>

    /// - Parameters:
    ///   - memo: recorded results by hashed step id.
    ///   - order: the hashed ids of `memo` in the order the steps finished.
    package init(
        appID: String, runID: String = "", functionID: String = "", maxAttempts: Int = 1, memo: [String: StepMemo] = [:], order: [String] = [],
        driver: any StepDriver, eventSender: any EventSender = NoEventSender(), middleware: MiddlewareStack = MiddlewareStack(),
        tracer: ExecutionTracer? = nil
    ) {
        self.appID = appID
        self.functionID = functionID
        self.maxAttempts = maxAttempts
        self.middleware = middleware
        self.tracer = tracer
        self.recorded = memo
        self.recordedOrder = order
        self.runID = runID
        self.driver = driver
        self.eventSender = eventSender
        self.state = Mutex(State(memo: memo, unconsumed: memo.count))
    }

    /// True while the handler is re-running code whose steps already have results: log
    /// lines written then were written before and are not repeated.
    package var isReplaying: Bool {
        state.withLock { $0.unconsumed > 0 }
    }

    /// The step tool's entry: identity, nesting check, memo lookup, then the driver.
    func perform(_ userID: String, displayName: String?, operation: (StepIdentity) throws -> StepOperation) async throws -> (StepIdentity, StepMemo) {
        if let outer = StepScope.current, outer.execution == ObjectIdentifier(self) {
            throw StepUsageError(stepID: userID, problem: .nested(outer: outer.identity.userID, inner: userID))
        }
        let (identity, recorded) = try state.withLock { state throws -> (StepIdentity, StepMemo?) in
            let index = state.repeats[userID, default: 0]
            state.repeats[userID] = index + 1
            state.stepCount += 1
            if state.stepCount > InngestLimits.maxStepsPerRun {
                throw StepUsageError(stepID: userID, problem: .tooManySteps(limit: InngestLimits.maxStepsPerRun))
            }
            let identity = StepIdentity(userID: userID, index: index)
            let recorded = state.memo.removeValue(forKey: identity.hashedID)
            if recorded != nil { state.unconsumed -= 1 }
            return (identity, recorded)
        }
        if let recorded { return (identity, recorded) }
        var operation = try operation(identity)
        if !middleware.isEmpty { operation = try await passingMiddleware(operation, of: identity) }
        let step = PendingStep(identity: identity, displayName: displayName ?? userID, operation: operation)
        return (identity, try await driver.resolve(step, in: self))
    }

    /// What an invoke hands to the other function passes the middleware on its way out. (Its
    /// own function, so a parked step's frame does not hold what only this needs.)
    private func passingMiddleware(_ operation: StepOperation, of identity: StepIdentity) async throws -> StepOperation {
        guard case .invoke(let request) = operation, case .object(var payload) = request.payload else { return operation }
        payload["data"] = try await middleware.transformStepInput(payload["data"] ?? [:], of: stepInfo(identity, kind: .invoke))
        return .invoke(InvokeRequest(functionID: request.functionID, payload: .object(payload), timeout: request.timeout))
    }

    /// Wraps a step body: marks the task as inside the step (to catch nesting), runs the
    /// closure, and passes its result through the JSON codec within the output limit, then
    /// through the middleware's `wrapStep`; each attempt in a span when traced.
    func body<Output: Encodable & Sendable>(
        of identity: StepIdentity, kind: StepKind = .run, _ closure: @escaping @Sendable () async throws -> Output
    ) -> @Sendable (_ attempt: Int) async -> StepBodyOutcome {
        let (execution, runID, functionID) = (ObjectIdentifier(self), self.runID, self.functionID)
        let (middleware, tracer, maxAttempts) = (self.middleware, self.tracer, self.maxAttempts)
        return { (attempt: Int) async -> StepBodyOutcome in
            // A new scope per body execution: its send counter restarts, so a re-run body
            // (after a crash or a retry) numbers its sends the same way.
            let scope = StepScope(execution: execution, runID: runID, identity: identity)
            @Sendable func run() async throws -> JSONValue {
                let output = try await StepScope.$current.withValue(scope) { try await closure() }
                return try Self.encode(output, of: identity)
            }
            // The common case: `run` is not escaped, so no closure is allocated for the hooks.
            if middleware.isEmpty && tracer == nil { return await Self.outcome(of: run) }
            let info = StepInfo(identity: identity, kind: kind, attempt: attempt, functionID: functionID, runID: runID)
            let wrapped: @Sendable () async throws -> JSONValue
            if middleware.isEmpty {
                wrapped = run
            } else {
                wrapped = { try await middleware.wrapStep(info, body: run) }
            }
            guard let tracer else { return await Self.outcome(of: wrapped) }
            return await tracer.traceAttempt(of: info, maxAttempts: maxAttempts) { await Self.outcome(of: wrapped) }
        }
    }

    private static func outcome(of attempt: @Sendable () async throws -> JSONValue) async -> StepBodyOutcome {
        do {
            return .success(try await attempt())
        } catch {
            return .failure(SerializedError(error), Retriability(of: error))
        }
    }

    /// A step's result as the handler reads it: through the middleware's `transformStepOutput`.
    @inline(__always)
    func output(_ value: JSONValue, of identity: StepIdentity, kind: StepKind) async throws -> JSONValue {
        guard !middleware.isEmpty else { return value }
        return try await middleware.transformStepOutput(value, of: stepInfo(identity, kind: kind))
    }

    func stepInfo(_ identity: StepIdentity, kind: StepKind) -> StepInfo {
        StepInfo(identity: identity, kind: kind, attempt: 0, functionID: functionID, runID: runID)
    }

    package static func encode<Output: Encodable>(_ output: Output, of identity: StepIdentity) throws -> JSONValue {
        let bytes: Int
        let json: JSONValue
        do {
            let data = try JSONCodec.shared.encode(output)
            bytes = data.count
            json = try JSONCodec.shared.decode(JSONValue.self, from: data)
        } catch {
            throw StepUsageError(stepID: identity.userID, problem: .unencodableOutput(String(describing: error)))
        }
        if bytes > InngestLimits.maxStepOutputBytes {
            throw StepUsageError(stepID: identity.userID, problem: .outputTooLarge(bytes: bytes, limit: InngestLimits.maxStepOutputBytes))
        }
        return json
    }

    package static func decode<Value: Decodable>(_ type: Value.Type, from json: JSONValue, of identity: StepIdentity) throws -> Value {
        do {
            return try JSONCodec.shared.decode(type, from: json)
        } catch {
            throw StepUsageError(stepID: identity.userID, problem: .undecodableResult(type: String(describing: type), reason: String(describing: error)))
        }
    }
}

/// The step whose body the current task is running, if any.
package struct StepScope: Sendable {
    let execution: ObjectIdentifier
    package let runID: String
    package let identity: StepIdentity
    private let sends = SendCounter()

    init(execution: ObjectIdentifier, runID: String, identity: StepIdentity) {
        self.execution = execution
        self.runID = runID
        self.identity = identity
    }

    /// Numbers the sends made by this execution of the step's body: 0, 1, 2, …
    package func nextSendIndex() -> Int { sends.next() }

    @TaskLocal static var current: StepScope?
}

private final class SendCounter: Sendable {
    private let count = Mutex(0)

    func next() -> Int {
        count.withLock { count in
            defer { count += 1 }
            return count
        }
    }
}

extension StepExecution {
    /// The step whose body the current task runs, if any: lets an engine make a step's side
    /// effects (such as sending events) idempotent across replays.
    /// The origin of the next send made by the step body the current task runs, `nil`
    /// outside a step body. `step.sendEvent` passes it to its sender; a sender's own `send`
    /// called directly inside a body may use it too, so such a send is not repeated by a retry.
    package static func nextSendOrigin() -> EventSendOrigin? {
        StepScope.current.map { EventSendOrigin(runID: $0.runID, stepID: $0.identity.hashedID, sendIndex: $0.nextSendIndex()) }
    }
}
