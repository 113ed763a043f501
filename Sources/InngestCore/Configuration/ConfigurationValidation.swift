/// One problem with a function's options: the field (as written in the attribute, e.g.
/// `debounce.period` or `cancelOn[1].timeout`) and what is wrong with it.
public struct ConfigurationIssue: Sendable, Hashable, CustomStringConvertible {
    /// The field, as written in the attribute.
    public let field: String
    /// What is wrong with it.
    public let message: String

    /// - Parameters:
    ///   - field: The field, as written in the attribute.
    ///   - message: What is wrong with it.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// A function whose options break Inngest's limits or rules; lists every problem found.
public struct InvalidFunctionConfiguration: Error, Sendable, CustomStringConvertible {
    /// The function's id.
    public let functionID: String
    /// Every problem found.
    public let issues: [ConfigurationIssue]

    public var description: String {
        "function \"\(functionID)\" has invalid options:\n" + issues.map { "  - \($0)" }.joined(separator: "\n")
    }
}

extension FunctionConfiguration {
    /// Every problem with these options; empty when they are valid.
    public var issues: [ConfigurationIssue] {
        var check = ConfigurationChecker()
        check.all(self)
        return check.issues
    }

    /// Throws ``InvalidFunctionConfiguration`` listing every problem, if there is any.
    public func validate() throws(InvalidFunctionConfiguration) {
        let found = issues
        if !found.isEmpty { throw InvalidFunctionConfiguration(functionID: id, issues: found) }
    }
}

/// Collects issues; one method per option keeps each rule next to its field name.
private struct ConfigurationChecker {
    var issues: [ConfigurationIssue] = []

    mutating func fail(_ field: String, _ message: String) {
        issues.append(ConfigurationIssue(field: field, message: message))
    }

    mutating func all(_ configuration: FunctionConfiguration) {
        identifier(configuration.id)
        if let name = configuration.name, name.isEmpty { fail("name", "must not be empty when given") }
        triggers(configuration.triggers)
        if !InngestLimits.retries.contains(configuration.retries) {
            fail("retries", "\(configuration.retries) is outside \(InngestLimits.retries.lowerBound)...\(InngestLimits.retries.upperBound)")
        }
        cancellations(configuration.cancelOn)
        if let concurrency = configuration.concurrency { self.concurrency(concurrency) }
        if let throttle = configuration.throttle { self.throttle(throttle) }
        if let rateLimit = configuration.rateLimit { self.rateLimit(rateLimit) }
        if let debounce = configuration.debounce { self.debounce(debounce) }
        if let priority = configuration.priority { expression(priority.run, field: "priority.run") }
        if let batch = configuration.batchEvents { batchEvents(batch) }
        if let idempotency = configuration.idempotency { expression(idempotency, field: "idempotency") }
        if let timeouts = configuration.timeouts { self.timeouts(timeouts) }
        if let singleton = configuration.singleton, let key = singleton.key { expression(key, field: "singleton.key") }
        combinations(configuration)
    }

    mutating func identifier(_ id: String) {
        if id.isEmpty {
            fail("id", "must not be empty")
        } else if id.contains(where: { $0.isWhitespace || $0.isNewline }) {
            fail("id", "\"\(id)\" must not contain whitespace")
        }
    }

    mutating func triggers(_ triggers: [Trigger]) {
        if triggers.count > InngestLimits.maxTriggers {
            fail("triggers", "\(triggers.count) triggers exceed the limit of \(InngestLimits.maxTriggers)")
        }
        for (index, trigger) in triggers.enumerated() {
            let field = triggers.count == 1 ? "trigger" : "triggers[\(index)]"
            switch trigger.kind {
            case .event(let name, let condition):
                eventName(name, field: "\(field).event")
                if let condition { expression(condition, field: "\(field).if") }
            case .cron(let schedule, let jitter):
                cron(schedule, field: "\(field).cron")
                if let jitter { duration(jitter, field: "\(field).jitter", within: .zero ... .seconds(86_400)) }
            }
        }
    }

    mutating func cancellations(_ cancellations: [Cancellation]) {
        if cancellations.count > InngestLimits.maxCancellations {
            fail("cancelOn", "\(cancellations.count) cancellations exceed the limit of \(InngestLimits.maxCancellations)")
        }
        for (index, cancellation) in cancellations.enumerated() {
            let field = "cancelOn[\(index)]"
            eventName(cancellation.event, field: "\(field).event")
            if let condition = cancellation.condition { expression(condition, field: "\(field).if") }
            if let timeout = cancellation.timeout { duration(timeout, field: "\(field).timeout", within: .zero...InngestLimits.maxWait) }
        }
    }

    mutating func concurrency(_ concurrency: Concurrency) {
        if concurrency.limits.isEmpty { fail("concurrency", "needs at least one limit") }
        if concurrency.limits.count > InngestLimits.maxConcurrencyLimits {
            fail("concurrency", "\(concurrency.limits.count) limits exceed the limit of \(InngestLimits.maxConcurrencyLimits)")
        }
        for (index, limit) in concurrency.limits.enumerated() {
            let field = concurrency.limits.count == 1 ? "concurrency" : "concurrency[\(index)]"
            count(limit.limit, field: "\(field).limit")
            if let key = limit.key { expression(key, field: "\(field).key") }
            if limit.scope != .fn, limit.key == nil {
                fail("\(field).key", "scope \(limit.scope.rawValue) needs a key")
            }
        }
    }

    mutating func throttle(_ throttle: Throttle) {
        count(throttle.limit, field: "throttle.limit")
        if let burst = throttle.burst { count(burst, field: "throttle.burst") }
        duration(throttle.period, field: "throttle.period", within: InngestLimits.throttlePeriod)
        if let key = throttle.key { expression(key, field: "throttle.key") }
    }

    mutating func rateLimit(_ rateLimit: RateLimit) {
        count(rateLimit.limit, field: "rateLimit.limit")
        duration(rateLimit.period, field: "rateLimit.period", within: InngestLimits.rateLimitPeriod)
        if let key = rateLimit.key { expression(key, field: "rateLimit.key") }
    }

    mutating func debounce(_ debounce: Debounce) {
        duration(debounce.period, field: "debounce.period", within: InngestLimits.debouncePeriod)
        if let key = debounce.key { expression(key, field: "debounce.key") }
        if let timeout = debounce.timeout {
            duration(timeout, field: "debounce.timeout", within: InngestLimits.debouncePeriod)
        }
    }

    mutating func batchEvents(_ batch: BatchEvents) {
        if !InngestLimits.batchSize.contains(batch.maxSize) {
            fail("batchEvents.maxSize", "\(batch.maxSize) is outside \(InngestLimits.batchSize.lowerBound)...\(InngestLimits.batchSize.upperBound)")
        }
        duration(batch.timeout, field: "batchEvents.timeout", within: InngestLimits.batchTimeout)
        if let key = batch.key { expression(key, field: "batchEvents.key") }
        if let condition = batch.condition { expression(condition, field: "batchEvents.if") }
    }

    mutating func timeouts(_ timeouts: Timeouts) {
        if timeouts.start == nil, timeouts.finish == nil { fail("timeouts", "needs start, finish or both") }
        if let start = timeouts.start { duration(start, field: "timeouts.start", within: .milliseconds(1)...InngestLimits.maxWait) }
        if let finish = timeouts.finish { duration(finish, field: "timeouts.finish", within: .milliseconds(1)...InngestLimits.maxWait) }
    }

    /// Options Inngest refuses to combine.
    mutating func combinations(_ configuration: FunctionConfiguration) {
        guard configuration.batchEvents != nil else { return }
        let conflicts: [(String, Bool)] = [
            ("debounce", configuration.debounce != nil),
            ("cancelOn", !configuration.cancelOn.isEmpty),
            ("singleton", configuration.singleton != nil),
            ("priority", configuration.priority != nil),
        ]
        for (option, present) in conflicts where present {
            fail("batchEvents", "cannot be combined with \(option)")
        }
    }

    // MARK: Values

    mutating func count(_ value: Int, field: String) {
        let range = InngestLimits.flowControlCount
        if !range.contains(value) { fail(field, "\(value) is outside \(range.lowerBound)...\(range.upperBound)") }
    }

    mutating func eventName(_ name: String, field: String) {
        if name.isEmpty { fail(field, "the event name must not be empty") }
    }

    mutating func duration(_ value: InngestDuration, field: String, within range: ClosedRange<Duration>) {
        do {
            let duration = try value.duration()
            if !range.contains(duration) {
                fail(field, "\(value.timeString) is outside \(Self.format(range.lowerBound))...\(Self.format(range.upperBound))")
            }
        } catch {
            fail(field, error.description)
        }
    }

    mutating func expression(_ source: String, field: String) {
        if let problem = SyntaxCheck.expression(source) { fail(field, problem) }
    }

    mutating func cron(_ schedule: String, field: String) {
        if let problem = SyntaxCheck.cron(schedule) { fail(field, problem) }
    }

    private static func format(_ duration: Duration) -> String {
        InngestDuration(duration).timeString
    }
}
