/// Where a run is in its life.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Created, not started yet (a delayed event, or waiting for its start time).
    case queued
    /// Executing, or ready to.
    case running
    /// Parked: sleeping, waiting for an event or an invoked run, or backing off before a retry.
    case waiting
    case completed
    case failed
    case cancelled
    /// Never ran: a rate limit, an idempotency key or a singleton turned the event away.
    /// The run's error says which.
    case skipped

    /// Completed, failed, cancelled or skipped: nothing more happens to the run.
    public var isFinal: Bool { self == .completed || self == .failed || self == .cancelled || self == .skipped }
}
