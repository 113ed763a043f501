import Inngest

/// A function's options as the engine applies them, resolved once when the function is
/// registered: durations are `Duration`s and expressions are parsed, so no rule re-reads a
/// time string or an expression, and an option that does not resolve fails the registration
/// instead of being skipped later.
struct ResolvedOptions: Sendable {
    struct ConcurrencyLimit: Sendable {
        let limit: Int
        let key: CELExpression?
        let scope: ConcurrencyScope
    }

    struct RateLimit: Sendable {
        let limit: Int
        let period: Duration
        /// As the user wrote it, for the reason a skipped run records.
        let periodText: String
        let key: CELExpression?
    }

    struct Throttle: Sendable {
        let limit: Int
        let period: Duration
        let burst: Int
        let key: CELExpression?
    }

    struct Debounce: Sendable {
        let period: Duration
        let timeout: Duration?
        let key: CELExpression?
    }

    struct Batch: Sendable {
        let maxSize: Int
        let timeout: Duration
        let key: CELExpression?
        let condition: CELExpression?
    }

    struct Singleton: Sendable {
        let key: CELExpression?
        let mode: Inngest.Singleton.Mode
    }

    struct Cancellation: Sendable {
        let event: String
        /// Stored with the wait it arms, as text; parsed where waits are matched.
        let condition: String?
        let timeout: Duration?
    }

    let concurrency: [ConcurrencyLimit]
    let idempotencyKey: CELExpression?
    let rateLimit: RateLimit?
    let throttle: Throttle?
    let debounce: Debounce?
    let batch: Batch?
    let singleton: Singleton?
    let priority: CELExpression?
    let cancellations: [Cancellation]
    let startTimeout: Duration?
    let finishTimeout: Duration?

    /// Validates `configuration` (every problem, with its field) and resolves it.
    init(_ configuration: FunctionConfiguration) throws {
        try configuration.validate()
        func expression(_ text: String?) throws -> CELExpression? { try text.map { try CELExpression($0) } }
        concurrency = try (configuration.concurrency?.limits ?? []).map {
            ConcurrencyLimit(limit: $0.limit, key: try expression($0.key), scope: $0.scope)
        }
        idempotencyKey = try expression(configuration.idempotency)
        rateLimit = try configuration.rateLimit.map {
            RateLimit(limit: $0.limit, period: try $0.period.duration(), periodText: $0.period.timeString, key: try expression($0.key))
        }
        throttle = try configuration.throttle.map {
            Throttle(limit: $0.limit, period: try $0.period.duration(), burst: $0.burst ?? 1, key: try expression($0.key))
        }
        debounce = try configuration.debounce.map {
            Debounce(period: try $0.period.duration(), timeout: try $0.timeout?.duration(), key: try expression($0.key))
        }
        batch = try configuration.batchEvents.map {
            Batch(maxSize: $0.maxSize, timeout: try $0.timeout.duration(), key: try expression($0.key), condition: try expression($0.condition))
        }
        singleton = try configuration.singleton.map { Singleton(key: try expression($0.key), mode: $0.mode) }
        priority = try expression(configuration.priority?.run)
        cancellations = try configuration.cancelOn.map {
            Cancellation(event: $0.event, condition: $0.condition, timeout: try $0.timeout?.duration())
        }
        startTimeout = try configuration.timeouts?.start?.duration()
        finishTimeout = try configuration.timeouts?.finish?.duration()
    }
}
