import Foundation
import Inngest

/// A run as the inspection API shows it (``Engine/runs(function:status:limit:)``,
/// ``Engine/runs(startedByEvent:)``, ``RunDetail/run``).
public struct RunSummary: Sendable, Hashable {
    /// The run's id (a ULID: runs sort by creation).
    public let id: String
    /// The function's id as registered: the id itself for the engine's own functions,
    /// `<app>-<id>` for a function of an app synced with `inngest dev`.
    public let functionID: String
    /// Where the run is: ``RunStatus/isFinal`` once it completed, failed or was cancelled.
    public let status: RunStatus
    /// The internal id of the event that started the run.
    public let eventID: String?
    /// When the run was created: when its event was stored.
    public let createdAt: Date
    /// When its first execution began; `nil` while it waits (a future `ts`, flow control).
    public let startedAt: Date?
    /// When it ended; `nil` while it is not final.
    public let endedAt: Date?
    /// The handler's return value as JSON, once completed (`null` for `Void`).
    public let output: JSONValue?
    /// The final error of a failed run.
    public let error: SerializedError?
    /// For a run started by an `invoke`: the invoking run.
    public var parentRunID: String? = nil
    /// For a rerun: the run it reruns.
    public var rerunOf: String? = nil
}

/// A step of a run as the inspection API shows it.
public struct StepSummary: Sendable, Hashable {
    /// The wire id: the SHA-1 of ``userID`` (with `:<index>` for a repeat).
    public let hashedID: String
    /// The id the code passed, e.g. `"charge-card"`.
    public let userID: String
    /// The repeat index of the id (0 for its first use).
    public let index: Int
    /// `run`, `sleep`, `waitForEvent`, `invoke`, `sendEvent`.
    public let kind: StepKind
    /// Where the step is: running, sleeping or waiting, retrying, or final.
    public let status: StepStatus
    /// Attempts made (run steps); 0 for steps that run no code.
    public let attempts: Int
    /// When the step was first reached.
    public let startedAt: Date?
    /// When it got its result or failed for good.
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
    /// The run itself.
    public let run: RunSummary
    /// Its steps, in the order they finished.
    public let steps: [StepSummary]
    /// The trace fields the run continues, as the tracer propagated them from the send or
    /// invoke that started it (W3C `traceparent`, `tracestate` with OpenTelemetry); empty
    /// when it was started outside a trace or nothing was traced.
    public let traceContext: [String: String]
    /// The events the run was started with (several for a batch).
    public var events: [AnyEvent] = []
    /// Attempts of the function itself that failed and were retried: an error outside any
    /// step, or an app that could not be reached. (A step's own are in its summary.)
    public var failedAttempts: [StepAttempt] = []
}

/// An event as the engine stored it.
public struct StoredEvent: Sendable, Hashable {
    /// The internal id the engine gave it.
    public let internalID: String
    /// The event as sent, with its `id`, `ts` and `data`.
    public let event: AnyEvent
    /// When the engine stored it.
    public let receivedAt: Date
}
