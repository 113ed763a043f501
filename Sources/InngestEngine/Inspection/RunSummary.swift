import Foundation
import Inngest

/// A run as the inspection API shows it.
public struct RunSummary: Sendable, Hashable {
    public let id: String
    public let functionID: String
    public let status: RunStatus
    /// The internal id of the event that started the run.
    public let eventID: String?
    public let createdAt: Date
    public let startedAt: Date?
    public let endedAt: Date?
    public let output: JSONValue?
    public let error: SerializedError?
    /// For a run started by an `invoke`: the invoking run.
    public var parentRunID: String? = nil
    /// For a rerun: the run it reruns.
    public var rerunOf: String? = nil
}

/// A step of a run as the inspection API shows it.
public struct StepSummary: Sendable, Hashable {
    public let hashedID: String
    public let userID: String
    /// The repeat index of the id (0 for its first use).
    public let index: Int
    public let kind: StepKind
    public let status: StepStatus
    /// Attempts made (run steps); 0 for steps that run no code.
    public let attempts: Int
    public let startedAt: Date?
    public let endedAt: Date?
    /// The recorded result: a `run`'s value, the awaited event, an invoked run's output.
    public let output: JSONValue?
    /// The final error, or the last attempt's error while retrying.
    public let error: SerializedError?
    /// What a sleep, wait or invoke waits for (or waited for).
    public var detail: StepDetail? = nil
    /// Each failed attempt that was retried, oldest first (the final attempt's error is ``error``).
    public var failedAttempts: [StepAttempt] = []
}

/// One run with its steps in the order they finished (unfinished ones last).
public struct RunDetail: Sendable, Hashable {
    public let run: RunSummary
    public let steps: [StepSummary]
    /// The trace fields the run continues, as the tracer propagated them from the send or
    /// invoke that started it (W3C `traceparent`, `tracestate` with OpenTelemetry); empty
    /// when it was started outside a trace or nothing was traced.
    public let traceContext: [String: String]
    /// The events the run was started with (several for a batch).
    public var events: [AnyEvent] = []
}

/// An event as the engine stored it.
public struct StoredEvent: Sendable, Hashable {
    /// The internal id the engine gave it.
    public let internalID: String
    public let event: AnyEvent
    public let receivedAt: Date
}
