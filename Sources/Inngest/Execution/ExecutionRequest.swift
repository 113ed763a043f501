/// One call of a function, as the Inngest server (or this project's dev server) makes it:
/// the events, the recorded step results and the call's context.
public struct ExecutionRequest: Sendable {
    /// The run's events; the first is `event`. Never empty.
    public var events: [AnyEvent]
    /// Recorded results by hashed step id, as sent in the `steps` map.
    public var steps: [String: JSONValue]
    /// The run's id.
    public var runID: String
    /// The attempt of this call, from 0 (per step: it restarts after a step succeeds).
    public var attempt: Int
    /// Attempts allowed; `nil` to use the function's own retries + 1.
    public var maxAttempts: Int?
    /// The hashed id of the one step to run, or `nil` to discover (the wire's `stepId=step`).
    public var targetStepID: String?
    /// Report every new `step.run` as planned instead of running a lone one at once.
    public var disableImmediateExecution: Bool

    public init(
        events: [AnyEvent], steps: [String: JSONValue] = [:], runID: String, attempt: Int = 0, maxAttempts: Int? = nil,
        targetStepID: String? = nil, disableImmediateExecution: Bool = false
    ) {
        self.events = events
        self.steps = steps
        self.runID = runID
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.targetStepID = targetStepID == "step" ? nil : targetStepID
        self.disableImmediateExecution = disableImmediateExecution
    }
}

/// What one call of a function came to.
public enum ExecutionOutcome: Sendable, Hashable {
    /// The function returned this value (HTTP `200`).
    case completed(JSONValue)
    /// Steps to report: new steps found, or the one step that ran (HTTP `206`).
    case steps([Opcode])
    /// The function threw. `retriable` is false for ``NonRetriableError``, an uncaught
    /// ``StepError`` and the final attempt.
    case failed(SerializedError, Retriability)
    /// The targeted step was not reached; `found` lists the new steps that were.
    case stepNotFound(requested: String, found: [String])
}
