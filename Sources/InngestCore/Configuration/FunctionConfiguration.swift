/// Everything about a function except its code: id, triggers and options.
///
/// The labels are those of the `@InngestFunction` attribute, so generated code passes the
/// attribute's arguments here unchanged. ``validate()`` checks them against Inngest's limits.
public struct FunctionConfiguration: Sendable, Hashable {
    /// The function id, unique in its app (the wire id is `<app id>-<id>`).
    public var id: String
    /// A display name; defaults to the id.
    public var name: String?
    public var triggers: [Trigger]
    /// Retries per step; attempts are one more.
    public var retries: Int
    public var cancelOn: [Cancellation]
    public var concurrency: Concurrency?
    public var throttle: Throttle?
    public var rateLimit: RateLimit?
    public var debounce: Debounce?
    public var priority: Priority?
    public var batchEvents: BatchEvents?
    /// A CEL expression over `event`: at most one run per distinct value in 24 hours.
    public var idempotency: String?
    public var timeouts: Timeouts?
    public var singleton: Singleton?

    /// - Parameters:
    ///   - trigger: the function's trigger; use `triggers` for several (both may be given).
    public init(
        id: String,
        name: String? = nil,
        trigger: Trigger? = nil,
        triggers: [Trigger] = [],
        retries: Int = InngestLimits.defaultRetries,
        cancelOn: [Cancellation] = [],
        concurrency: Concurrency? = nil,
        throttle: Throttle? = nil,
        rateLimit: RateLimit? = nil,
        debounce: Debounce? = nil,
        priority: Priority? = nil,
        batchEvents: BatchEvents? = nil,
        idempotency: String? = nil,
        timeouts: Timeouts? = nil,
        singleton: Singleton? = nil
    ) {
        self.id = id
        self.name = name
        self.triggers = (trigger.map { [$0] } ?? []) + triggers
        self.retries = retries
        self.cancelOn = cancelOn
        self.concurrency = concurrency
        self.throttle = throttle
        self.rateLimit = rateLimit
        self.debounce = debounce
        self.priority = priority
        self.batchEvents = batchEvents
        self.idempotency = idempotency
        self.timeouts = timeouts
        self.singleton = singleton
    }

    /// Attempts per step: `retries + 1`.
    public var maxAttempts: Int { retries + 1 }

    /// The id used on the wire: `<app id>-<function id>`.
    public func compositeID(appID: String) -> String { "\(appID)-\(id)" }
}
