/// Everything about a function except its code: id, triggers and options.
///
/// The labels are those of the `@InngestFunction` attribute, so generated code passes the
/// attribute's arguments here unchanged. ``validate()`` checks them against Inngest's limits.
public struct FunctionConfiguration: Sendable, Hashable {
    /// The function id, unique in its app (the wire id is `<app id>-<id>`).
    public var id: String
    /// A display name; defaults to the id.
    public var name: String?
    /// The events and schedules that start runs.
    public var triggers: [Trigger]
    /// Retries per step; attempts are one more.
    public var retries: Int
    /// Events that cancel a run.
    public var cancelOn: [Cancellation]
    /// How many steps of the function execute at once.
    public var concurrency: Concurrency?
    /// How many runs start per period; excess runs wait.
    public var throttle: Throttle?
    /// How many runs start per period; excess events start none.
    public var rateLimit: RateLimit?
    /// Delays a run until matching events stop arriving.
    public var debounce: Debounce?
    /// Orders waiting steps.
    public var priority: Priority?
    /// Starts one run with several events.
    public var batchEvents: BatchEvents?
    /// A CEL expression over `event`: at most one run per distinct value in 24 hours.
    public var idempotency: String?
    /// Cancels a run that does not start or finish in time.
    public var timeouts: Timeouts?
    /// At most one run at a time, per key.
    public var singleton: Singleton?

    /// A function's id, triggers and options.
    ///
    /// - Parameters:
    ///   - id: The function's id, unique in its app.
    ///   - name: A display name; the id when `nil`.
    ///   - trigger: the function's trigger; use `triggers` for several (both may be given).
    ///   - triggers: More triggers: events and cron schedules.
    ///   - retries: Retries per step (4 by default; attempts are one more).
    ///   - cancelOn: Events that cancel a run.
    ///   - concurrency: How many steps of the function execute at once, per function or key.
    ///   - throttle: How many runs start per period; excess runs wait.
    ///   - rateLimit: How many runs start per period; excess events start none.
    ///   - debounce: Delays a run until matching events stop arriving.
    ///   - priority: Orders waiting steps.
    ///   - batchEvents: Starts one run with several events.
    ///   - idempotency: A CEL key: at most one run per value in 24 hours.
    ///   - timeouts: Cancels a run that does not start or finish in time.
    ///   - singleton: At most one run at a time, per key.
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
