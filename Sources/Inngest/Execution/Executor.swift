import Logging

/// Runs one call of a function the way the wire protocol wants it: the handler replays
/// the recorded steps and the call ends at the first new step(s).
///
/// Pure: no I/O and no clock. Step bodies run when the protocol says so; `step.sendEvent`
/// uses the ``EventSender`` it is given.
public struct Executor: Sendable {
    public let appID: String
    public let eventSender: any EventSender
    public let logger: Logger

    public init(appID: String, eventSender: any EventSender = NoEventSender(), logger: Logger = Logger(label: "inngest")) {
        self.appID = appID
        self.eventSender = eventSender
        self.logger = logger
    }

    public func execute(_ function: InngestFunction, _ request: ExecutionRequest) async -> ExecutionOutcome {
        let memo = request.steps.compactMapValues(StepMemo.init(wire:))
        let maxAttempts = request.maxAttempts ?? function.configuration.maxAttempts
        let driver = ReplayDriver(
            targetStepID: request.targetStepID,
            immediateExecution: !request.disableImmediateExecution,
            attempt: request.attempt, isFinalAttempt: request.attempt + 1 >= maxAttempts)
        let execution = StepExecution(appID: appID, runID: request.runID, memo: memo, driver: driver, eventSender: eventSender)
        let input = HandlerInput(
            events: request.events, runID: request.runID, attempt: request.attempt,
            maxAttempts: maxAttempts, execution: execution, logger: logger)
        let queue = JobQueue(label: "inngest.run.\(request.runID)", onIdle: { driver.queueDrained() })
        let handler = Task(executorPreference: queue) {
            do {
                driver.handlerEnded(.success(try await function.call(input)))
            } catch {
                driver.handlerEnded(.failure(error))
            }
        }
        let outcome = await driver.outcome()
        // Branches still unwinding after the answer should stop as soon as they look.
        handler.cancel()
        return outcome
    }
}
