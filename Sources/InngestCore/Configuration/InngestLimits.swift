/// Inngest's limits, in one place: option validation, the executor and the engines read them here.
public enum InngestLimits {
    /// Retries per step (attempts = retries + 1).
    public static let retries: ClosedRange<Int> = 0...20
    /// Inngest's default when a function sets none: 4 retries, 5 attempts.
    public static let defaultRetries = 4
    /// The most triggers a function has.
    public static let maxTriggers = 10
    /// The most `cancelOn` entries a function has.
    public static let maxCancellations = 5
    /// The most concurrency limits a function has.
    public static let maxConcurrencyLimits = 2
    /// The counts of concurrency, throttle and rate limits (`limit`, `burst`).
    public static let flowControlCount: ClosedRange<Int> = 1...1_000_000
    /// A debounce period: 1 s to 7 days.
    public static let debouncePeriod: ClosedRange<Duration> = .seconds(1) ... .seconds(7 * 86_400)
    /// A throttle period: 1 s to 7 days.
    public static let throttlePeriod: ClosedRange<Duration> = .seconds(1) ... .seconds(7 * 86_400)
    /// A rate limit period: 1 s to 24 hours.
    public static let rateLimitPeriod: ClosedRange<Duration> = .seconds(1) ... .seconds(86_400)
    /// A batch's largest size: 2 to 10,000 events.
    public static let batchSize: ClosedRange<Int> = 2...10_000
    /// How long a batch may wait to fill: 1 s to 60 s.
    public static let batchTimeout: ClosedRange<Duration> = .seconds(1) ... .seconds(60)
    /// The longest sleep, wait, invoke timeout or cancellation timeout.
    public static let maxWait: Duration = .seconds(366 * 86_400)
    /// The most steps one run records.
    public static let maxStepsPerRun = 1_000
    /// The largest encoded step output (and invoke input), in bytes.
    public static let maxStepOutputBytes = 4 * 1_024 * 1_024
    /// The largest HTTP body read by default, in bytes: a request to a served app or to the
    /// dev server, and a response a transport reads.
    public static let maxRequestBodyBytes = 16 * 1_024 * 1_024
    /// The largest call an engine sends an app whole, in bytes; a larger one is sent trimmed
    /// (`use_api`) and the app fetches the run's events and steps, as the Inngest server does.
    public static let maxCallBodyBytes = 4 * 1_024 * 1_024
    /// The largest encoded event, in bytes.
    public static let maxEventBytes = 512 * 1_024
    /// The deepest nesting of arrays and objects in an event (the event object counts as one
    /// level). Far below the JSON reader's depth limit, so every envelope an event travels in — a
    /// batch, a run's record, a call payload, a lifecycle event — still reads and writes.
    public static let maxEventNesting = 256
    /// Event timestamps (`ts`), in milliseconds since the Unix epoch: 1970 up to the end of 9999,
    /// the years an ISO-8601 date can write.
    public static let timestamps: ClosedRange<Int64> = 0...253_402_300_799_999
    /// Events in one send.
    public static let maxEventsPerSend = 5_000
    /// How long an event id, an idempotency key or a rate limit key is remembered.
    public static let idempotencyWindow: Duration = .seconds(86_400)
    /// The longest signal name (`step.waitForSignal`, `sendSignal`), in UTF-8 bytes. Inngest sets
    /// none; this bounds what one wait keeps indexed.
    public static let maxSignalNameBytes = 1_024
}
