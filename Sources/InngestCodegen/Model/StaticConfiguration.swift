import InngestCore

/// The part of a function's options that could be evaluated from literals, plus the
/// source position of each evaluated field, so a ``FunctionConfiguration/issues`` entry
/// can be reported where it was written.
package struct StaticConfiguration: Codable, Hashable, Sendable {
    package var name: String?
    package var triggers: [TriggerSource]
    package var retries: Int
    package var cancelOn: [CancellationSource]
    package var concurrency: Concurrency?
    package var throttle: Throttle?
    package var rateLimit: RateLimit?
    package var debounce: Debounce?
    package var priority: Priority?
    package var batchEvents: BatchEvents?
    package var idempotency: String?
    package var timeouts: Timeouts?
    package var singleton: Singleton?
    /// Arguments that are not literals the scanner understands; left out of the manifest.
    package var unresolvedOptions: [String]
    /// Field path (as ``ConfigurationIssue/field`` spells it) → where it was written.
    package var fieldPositions: [String: SourcePosition]

    package init() {
        triggers = []
        retries = InngestLimits.defaultRetries
        cancelOn = []
        unresolvedOptions = []
        fieldPositions = [:]
    }

    /// The runtime's configuration with these values, for validation; `eventName` names
    /// the event of a payload type (`.event(OrderPlaced.self)`).
    package func configuration(id: String, eventName: (String) -> String?) -> FunctionConfiguration {
        FunctionConfiguration(
            id: id, name: name, triggers: triggers.compactMap { $0.resolved(eventName) }, retries: retries,
            cancelOn: cancelOn.compactMap { $0.resolved(eventName) },
            concurrency: concurrency, throttle: throttle, rateLimit: rateLimit, debounce: debounce,
            priority: priority, batchEvents: batchEvents, idempotency: idempotency,
            timeouts: timeouts, singleton: singleton)
    }

    /// Where `field` (e.g. `debounce.period`, `cancelOn[1].timeout`) was written: the
    /// longest recorded prefix of it, so an issue about a part lands on its closest source.
    package func position(of field: String) -> SourcePosition? {
        var candidate = field
        while true {
            if let position = fieldPositions[candidate] { return position }
            guard let cut = candidate.lastIndex(where: { $0 == "." || $0 == "[" }) else { return nil }
            candidate = String(candidate[..<cut])
        }
    }
}

/// A trigger as written: either complete, or naming its event through a payload type
/// (`.event(OrderPlaced.self)`) that is resolved once every file is scanned.
package struct TriggerSource: Codable, Hashable, Sendable {
    package var trigger: Trigger
    /// The `EventPayload` type whose `eventName` is the event, when written that way.
    package var payloadType: String?

    package init(_ trigger: Trigger, payloadType: String? = nil) {
        self.trigger = trigger
        self.payloadType = payloadType
    }

    /// The trigger with its event name filled in; `nil` when the payload type is unknown.
    package func resolved(_ eventName: (String) -> String?) -> Trigger? {
        guard let payloadType else { return trigger }
        guard let name = eventName(payloadType) else { return nil }
        if case .event(_, let expression) = trigger.kind { return .event(name, if: expression) }
        return trigger
    }
}

/// A `cancelOn` entry as written (see ``TriggerSource``).
package struct CancellationSource: Codable, Hashable, Sendable {
    package var cancellation: Cancellation
    package var payloadType: String?

    package init(_ cancellation: Cancellation, payloadType: String? = nil) {
        self.cancellation = cancellation
        self.payloadType = payloadType
    }

    package func resolved(_ eventName: (String) -> String?) -> Cancellation? {
        guard let payloadType else { return cancellation }
        guard let name = eventName(payloadType) else { return nil }
        var copy = cancellation
        copy.event = name
        return copy
    }
}
