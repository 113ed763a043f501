import Inngest

/// The part of a function's options that could be evaluated from literals, plus the
/// source position of each evaluated field, so a ``FunctionConfiguration/issues`` entry
/// can be reported where it was written.
public struct StaticConfiguration: Codable, Hashable, Sendable {
    public var name: String?
    public var triggers: [TriggerSource]
    public var retries: Int
    public var cancelOn: [CancellationSource]
    public var concurrency: Concurrency?
    public var throttle: Throttle?
    public var rateLimit: RateLimit?
    public var debounce: Debounce?
    public var priority: Priority?
    public var batchEvents: BatchEvents?
    public var idempotency: String?
    public var timeouts: Timeouts?
    public var singleton: Singleton?
    /// Arguments that are not literals the scanner understands; left out of the manifest.
    public var unresolvedOptions: [String]
    /// Field path (as ``ConfigurationIssue/field`` spells it) → where it was written.
    public var fieldPositions: [String: SourcePosition]

    public init() {
        triggers = []
        retries = InngestLimits.defaultRetries
        cancelOn = []
        unresolvedOptions = []
        fieldPositions = [:]
    }

    /// The runtime's configuration with these values, for validation; `eventName` names
    /// the event of a payload type (`.event(OrderPlaced.self)`).
    public func configuration(id: String, eventName: (String) -> String?) -> FunctionConfiguration {
        FunctionConfiguration(
            id: id, name: name, triggers: triggers.compactMap { $0.resolved(eventName) }, retries: retries,
            cancelOn: cancelOn.compactMap { $0.resolved(eventName) },
            concurrency: concurrency, throttle: throttle, rateLimit: rateLimit, debounce: debounce,
            priority: priority, batchEvents: batchEvents, idempotency: idempotency,
            timeouts: timeouts, singleton: singleton)
    }

    /// Where `field` (e.g. `debounce.period`, `cancelOn[1].timeout`) was written: the
    /// longest recorded prefix of it, so an issue about a part lands on its closest source.
    public func position(of field: String) -> SourcePosition? {
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
public struct TriggerSource: Codable, Hashable, Sendable {
    public var trigger: Trigger
    /// The `EventPayload` type whose `eventName` is the event, when written that way.
    public var payloadType: String?

    public init(_ trigger: Trigger, payloadType: String? = nil) {
        self.trigger = trigger
        self.payloadType = payloadType
    }

    /// The trigger with its event name filled in; `nil` when the payload type is unknown.
    public func resolved(_ eventName: (String) -> String?) -> Trigger? {
        guard let payloadType else { return trigger }
        guard let name = eventName(payloadType) else { return nil }
        if case .event(_, let expression) = trigger.kind { return .event(name, if: expression) }
        return trigger
    }
}

/// A `cancelOn` entry as written (see ``TriggerSource``).
public struct CancellationSource: Codable, Hashable, Sendable {
    public var cancellation: Cancellation
    public var payloadType: String?

    public init(_ cancellation: Cancellation, payloadType: String? = nil) {
        self.cancellation = cancellation
        self.payloadType = payloadType
    }

    public func resolved(_ eventName: (String) -> String?) -> Cancellation? {
        guard let payloadType else { return cancellation }
        guard let name = eventName(payloadType) else { return nil }
        var copy = cancellation
        copy.event = name
        return copy
    }
}
