import Logging

/// What a handler receives: the event(s) that started the run, the run's identity,
/// the step tools and a logger.
public struct Context<Payload: Codable & Sendable>: Sendable {
    /// The event that started the run (the first one of a batch).
    public let event: Event<Payload>
    /// Every event of the run: the batch for a function with `batchEvents`, else just ``event``.
    public let events: [Event<Payload>]
    /// The run's id (a ULID).
    public let runID: String
    /// The function's id within its app.
    public let functionID: String
    /// The current attempt of the current step, from 0.
    public let attempt: Int
    /// Attempts allowed per step: retries + 1.
    public let maxAttempts: Int
    /// The step tools.
    public let step: Step
    /// A logger whose lines are not repeated when the handler is replayed: lines written
    /// while the handler re-runs past recorded steps are dropped.
    public let logger: Logger

    public init(event: Event<Payload>, events: [Event<Payload>], runID: String, functionID: String, attempt: Int, maxAttempts: Int, step: Step, logger: Logger) {
        self.event = event
        self.events = events
        self.runID = runID
        self.functionID = functionID
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.step = step
        self.logger = logger
    }
}
