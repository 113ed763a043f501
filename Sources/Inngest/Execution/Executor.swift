import Logging
import Tracing

/// Runs one call of a function the way the wire protocol wants it: the handler replays
/// the recorded steps and the call ends at the first new step(s).
///
/// Pure: no I/O and no clock. Step bodies run when the protocol says so; `step.sendEvent`
/// uses the ``EventSender`` it is given.
public struct Executor: Sendable {
    /// The app whose functions it runs.
    public let appID: String
    /// Sends the events of `step.sendEvent`.
    public let eventSender: any EventSender
    /// The handlers' logger, before replay awareness.
    public let logger: Logger
    /// Hooks around the run and its steps (see ``InngestMiddleware``).
    public let middleware: [any InngestMiddleware]
    let tracer: ExecutionTracer?

    /// An executor for the functions of one app.
    ///
    /// - Parameters:
    ///   - appID: The app whose functions it runs.
    ///   - eventSender: Sends the events of `step.sendEvent`; none by default.
    ///   - logger: The handlers' logger.
    ///   - middleware: Hooks around the run and its steps.
    ///   - tracer: where the call's span and its step attempts' spans go; the
    ///     `InstrumentationSystem`'s tracer by default. The call's span is a child of the
    ///     current `ServiceContext` (the serve handler sets it from the call's `traceparent`).
    public init(
        appID: String, eventSender: any EventSender = NoEventSender(), logger: Logger = Logger(label: "inngest"),
        middleware: [any InngestMiddleware] = [], tracer: (any Tracer)? = nil
    ) {
        self.appID = appID
        self.eventSender = eventSender
        self.logger = logger
        self.middleware = middleware
        self.tracer = ExecutionTracer(tracer)
    }

    /// Runs one call: replays the recorded steps and stops at the first new ones.
    ///
    /// - Parameters:
    ///   - function: The function the call is for.
    ///   - request: The call: its events, recorded steps, attempt and targeted step.
    /// - Returns: What the call produced: new steps, the function's result or its error.
    public func execute(_ function: InngestFunction, _ request: ExecutionRequest) async -> ExecutionOutcome {
        await execute(function, request, checkpointing: nil)
    }

    /// Runs one call; with `checkpointing`, consecutive steps run in this call and go to the
    /// server's checkpoint API (a discovery call only; others ignore it).
    package func execute(_ function: InngestFunction, _ request: ExecutionRequest, checkpointing: CheckpointSession?) async -> ExecutionOutcome {
        let memo = request.steps.compactMapValues(StepMemo.init(wire:))
        let maxAttempts = request.maxAttempts ?? function.configuration.maxAttempts
        let driver = ReplayDriver(
            targetStepID: request.targetStepID,
            immediateExecution: !request.disableImmediateExecution,
            attempt: request.attempt, isFinalAttempt: request.attempt + 1 >= maxAttempts, checkpointing: checkpointing)
        let execution = StepExecution(
            appID: appID, runID: request.runID, functionID: function.id, maxAttempts: maxAttempts, memo: memo, driver: driver,
            eventSender: eventSender, middleware: MiddlewareStack(middleware), tracer: tracer)
        let input = HandlerInput(
            events: request.events, runID: request.runID, attempt: request.attempt,
            maxAttempts: maxAttempts, execution: execution, logger: logger,
            isFirstExecution: memo.isEmpty && request.attempt == 0 && request.targetStepID == nil)
        let span = tracer?.startRun(functionID: function.id, runID: request.runID, attempt: request.attempt, parent: ServiceContext.current ?? .topLevel)
        let queue = JobQueue(label: "inngest.run.\(request.runID)", onIdle: { driver.queueDrained() })
        let handler = Task(executorPreference: queue) {
            await ServiceContext.withValue(span?.context ?? ServiceContext.current) {
                do {
                    await driver.handlerEnded(.success(try await function.call(input)))
                } catch {
                    await driver.handlerEnded(.failure(error))
                }
            }
        }
        let outcome = await driver.outcome()
        // Branches still unwinding after the answer should stop as soon as they look.
        handler.cancel()
        if let span { ExecutionTracer.end(span, outcome: outcome) }
        return outcome
    }
}
