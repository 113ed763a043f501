/// Where a step is: finished, or what it waits for.
public enum StepStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case completed
    case failed
    /// Backing off before its next attempt (the last attempt's error is kept).
    case retrying
    case sleeping
    /// Waiting for an event.
    case waiting
    /// Waiting for an invoked run to end.
    case invoking

    /// Completed or failed: the step's result is recorded for good.
    public var isFinal: Bool { self == .completed || self == .failed }
}
