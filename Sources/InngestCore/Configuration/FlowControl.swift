/// Limits how many runs start per period; excess runs wait their turn (nothing is dropped).
public struct Throttle: Sendable, Hashable, Codable {
    /// How many runs start per period.
    public var limit: Int
    /// The period, 1 s to 7 days.
    public var period: InngestDuration
    /// How many runs may start at once at the beginning of a period.
    public var burst: Int?
    /// A CEL expression over `event`; each distinct value is throttled separately.
    public var key: String?

    /// - Parameters:
    ///   - limit: How many runs start per period.
    ///   - period: The period, 1 s to 7 days.
    ///   - burst: How many runs may start at once at the beginning of a period.
    ///   - key: A CEL expression over `event`; each distinct value is throttled separately.
    public init(limit: Int, period: InngestDuration, burst: Int? = nil, key: String? = nil) {
        self.limit = limit
        self.period = period
        self.burst = burst
        self.key = key
    }
}

/// Limits how many runs start per period; excess events start no run and are recorded as skipped.
public struct RateLimit: Sendable, Hashable, Codable {
    /// How many runs start per period.
    public var limit: Int
    /// The period, 1 s to 24 hours.
    public var period: InngestDuration
    /// A CEL expression over `event`; each distinct value is limited separately.
    public var key: String?

    /// - Parameters:
    ///   - limit: How many runs start per period.
    ///   - period: The period, 1 s to 24 hours.
    ///   - key: A CEL expression over `event`; each distinct value is limited separately.
    public init(limit: Int, period: InngestDuration, key: String? = nil) {
        self.limit = limit
        self.period = period
        self.key = key
    }
}

/// Delays a run until no new matching event arrived for `period`; the last event wins.
public struct Debounce: Sendable, Hashable, Codable {
    /// How long no new matching event must arrive before the run starts.
    public var period: InngestDuration
    /// A CEL expression over `event`; each distinct value is debounced separately.
    public var key: String?
    /// The longest a run may be delayed, however many events keep arriving.
    public var timeout: InngestDuration?

    /// - Parameters:
    ///   - period: How long no new matching event must arrive; 1 s to 7 days.
    ///   - key: A CEL expression over `event`; each distinct value is debounced separately.
    ///   - timeout: The longest a run may be delayed.
    public init(period: InngestDuration, key: String? = nil, timeout: InngestDuration? = nil) {
        self.period = period
        self.key = key
        self.timeout = timeout
    }
}

/// Gives runs a queue advantage: `run` is a CEL expression over `event` that yields
/// seconds (positive runs sooner, negative later).
public struct Priority: Sendable, Hashable, Codable {
    /// The CEL expression giving seconds of advantage.
    public var run: String

    /// - Parameter run: A CEL expression over `event` giving seconds of advantage.
    public init(run: String) { self.run = run }
}

/// Collects events and starts one run with all of them (`ctx.events`).
public struct BatchEvents: Sendable, Hashable, Codable {
    /// The most events in one batch.
    public var maxSize: Int
    /// How long to wait for a batch to fill before running it anyway.
    public var timeout: InngestDuration
    /// A CEL expression over `event`; events with different values go into different batches.
    public var key: String?
    /// A CEL expression over `event`; events for which it is false run unbatched.
    public var condition: String?

    /// - Parameters:
    ///   - maxSize: The most events in one batch.
    ///   - timeout: How long to wait for a batch to fill before running it anyway.
    ///   - key: A CEL expression over `event`; events with different values go into different batches.
    ///   - condition: A CEL expression over `event`; events for which it is false run unbatched.
    public init(maxSize: Int, timeout: InngestDuration, key: String? = nil, if condition: String? = nil) {
        self.maxSize = maxSize
        self.timeout = timeout
        self.key = key
        self.condition = condition
    }

    private enum CodingKeys: String, CodingKey {
        case maxSize, timeout, key
        case condition = "if"
    }
}

/// Cancels a run that has not started, or not finished, in time.
public struct Timeouts: Sendable, Hashable, Codable {
    /// From the run being queued to its first attempt.
    public var start: InngestDuration?
    /// From the first attempt to the run's end.
    public var finish: InngestDuration?

    /// - Parameters:
    ///   - start: From the run being queued to its first attempt.
    ///   - finish: From the first attempt to the run's end.
    public init(start: InngestDuration? = nil, finish: InngestDuration? = nil) {
        self.start = start
        self.finish = finish
    }
}

/// At most one run at a time (per key).
public struct Singleton: Sendable, Hashable, Codable {
    /// What a new run does while one is running.
    public enum Mode: String, Sendable, Hashable, Codable {
        /// A new run is skipped while one is running.
        case skip
        /// A new run cancels the one that is running.
        case cancel
    }

    /// A CEL expression over `event`; each distinct value has its own singleton.
    public var key: String?
    /// What a new run does while one is running.
    public var mode: Mode

    /// - Parameters:
    ///   - key: A CEL expression over `event`; each distinct value has its own singleton.
    ///   - mode: What a new run does while one is running.
    public init(key: String? = nil, mode: Mode) {
        self.key = key
        self.mode = mode
    }
}

/// Cancels a run when a matching event arrives.
public struct Cancellation: Sendable, Hashable {
    /// The name of the cancelling event.
    public var event: String
    /// A CEL expression where `event` is the run's triggering event and `async` the cancelling one.
    public var condition: String?
    /// How long after the run starts the cancellation stays armed.
    public var timeout: InngestDuration?

    /// A cancellation by the event named `event`.
    ///
    /// - Parameters:
    ///   - event: The name of the cancelling event.
    ///   - condition: CEL over `event` (the run's trigger) and `async` (the cancelling event).
    ///   - match: a dotted field path present in both events, e.g. `"data.order_id"`;
    ///     sugar for `if: "event.data.order_id == async.data.order_id"`.
    ///   - timeout: How long after the run starts the cancellation stays armed; always when `nil`.
    public init(event: String, if condition: String? = nil, match: String? = nil, timeout: InngestDuration? = nil) {
        self.event = event
        self.condition = Self.combine(condition: condition, match: match)
        self.timeout = timeout
    }

    /// A cancellation by the event that carries `Payload`.
    ///
    /// - Parameters:
    ///   - payload: The payload type, whose `eventName` names the cancelling event.
    ///   - condition: CEL over `event` (the run's trigger) and `async` (the cancelling event).
    ///   - match: A dotted field path that both events must carry with the same value.
    ///   - timeout: How long after the run starts the cancellation stays armed; always when `nil`.
    public init<Payload: EventPayload>(_ payload: Payload.Type, if condition: String? = nil, match: String? = nil, timeout: InngestDuration? = nil) {
        self.init(event: Payload.eventName, if: condition, match: match, timeout: timeout)
    }

    /// `match` and `if` together must both hold.
    package static func combine(condition: String?, match: String?) -> String? {
        guard let match else { return condition }
        let matchExpression = "event.\(match) == async.\(match)"
        guard let condition else { return matchExpression }
        return "(\(matchExpression)) && (\(condition))"
    }
}

extension Cancellation: Codable {
    private enum CodingKeys: String, CodingKey {
        case event, timeout
        case condition = "if"
    }
}
