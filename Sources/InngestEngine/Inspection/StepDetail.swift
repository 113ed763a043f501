import Foundation
import Inngest

/// What a step that parks its run waits for, as recorded when it parked (kept after it resolves).
public struct StepDetail: Sendable, Hashable, Codable {
    /// A sleep's wake time; a wait's or an invoke's deadline.
    public var until: Date?
    /// The event a `waitForEvent` waits for.
    public var event: String?
    /// A `waitForEvent`'s condition (`if`, or the expression its `match` became).
    public var condition: String?
    /// An invoke's target, by composite id (`<app>-<function>`).
    public var function: String?
    /// The run an invoke started.
    public var runID: String?
    /// The signal a `waitForSignal` waits for.
    public var signal: String?

    /// What a parked step waits for; each field given names one thing.
    ///
    /// - Parameters:
    ///   - until: When a sleep ends, or a wait or invoke times out.
    ///   - event: The event a `waitForEvent` waits for.
    ///   - condition: The wait's condition.
    ///   - function: The function an `invoke` runs.
    ///   - runID: The invoked run.
    ///   - signal: The signal a `waitForSignal` waits for.
    public init(
        until: Date? = nil, event: String? = nil, condition: String? = nil, function: String? = nil, runID: String? = nil, signal: String? = nil
    ) {
        self.until = until
        self.event = event
        self.condition = condition
        self.function = function
        self.runID = runID
        self.signal = signal
    }

    enum CodingKeys: String, CodingKey {
        case until, event
        case condition = "if"
        case function
        case runID = "run_id"
        case signal
    }

    // Stored as milliseconds, like every time in the database.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        until = try container.decodeIfPresent(Int64.self, forKey: .until).map(Date.init(milliseconds:))
        event = try container.decodeIfPresent(String.self, forKey: .event)
        condition = try container.decodeIfPresent(String.self, forKey: .condition)
        function = try container.decodeIfPresent(String.self, forKey: .function)
        runID = try container.decodeIfPresent(String.self, forKey: .runID)
        signal = try container.decodeIfPresent(String.self, forKey: .signal)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(until?.milliseconds, forKey: .until)
        try container.encodeIfPresent(event, forKey: .event)
        try container.encodeIfPresent(condition, forKey: .condition)
        try container.encodeIfPresent(function, forKey: .function)
        try container.encodeIfPresent(runID, forKey: .runID)
        try container.encodeIfPresent(signal, forKey: .signal)
    }
}

/// A failed attempt of a step that was retried.
public struct StepAttempt: Sendable, Hashable {
    /// 1 for the first attempt.
    public let number: Int
    /// When the attempt began.
    public let startedAt: Date
    /// When it failed.
    public let endedAt: Date
    /// The error it failed with.
    public let error: SerializedError
}
