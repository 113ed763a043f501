/// What starts a function: an event (optionally filtered by an expression) or a cron schedule.
///
/// On the wire a trigger is `{"event": name, "expression": if}` or `{"cron": schedule, "jitter": time}`.
public struct Trigger: Sendable, Hashable {
    /// An event trigger or a cron trigger.
    public enum Kind: Sendable, Hashable {
        /// Every event named `name` for which `expression` is true.
        case event(name: String, expression: String?)
        /// A cron schedule, with start times spread by up to `jitter`.
        case cron(schedule: String, jitter: InngestDuration?)
    }

    /// What starts the function.
    public let kind: Kind

    /// - Parameter kind: What starts the function.
    public init(_ kind: Kind) { self.kind = kind }

    /// Runs on every event named `name` for which `expression` (CEL over `event`) is true.
    ///
    /// - Parameters:
    ///   - name: The event's name.
    ///   - expression: A CEL condition over `event`; every event when `nil`.
    /// - Returns: The trigger.
    public static func event(_ name: String, if expression: String? = nil) -> Trigger {
        Trigger(.event(name: name, expression: expression))
    }

    /// Runs on every event carrying `Payload` for which `expression` is true.
    ///
    /// - Parameters:
    ///   - payload: The payload type, whose `eventName` names the event.
    ///   - expression: A CEL condition over `event`; every event when `nil`.
    /// - Returns: The trigger.
    public static func event<Payload: EventPayload>(_ payload: Payload.Type, if expression: String? = nil) -> Trigger {
        Trigger(.event(name: Payload.eventName, expression: expression))
    }

    /// Runs on a five-field cron schedule, optionally prefixed `TZ=<zone> `; `jitter`
    /// spreads start times by up to that much.
    ///
    /// - Parameters:
    ///   - schedule: The schedule, e.g. `"TZ=Europe/Paris 0 3 * * *"`.
    ///   - jitter: The most a start is delayed, at random.
    /// - Returns: The trigger.
    public static func cron(_ schedule: String, jitter: InngestDuration? = nil) -> Trigger {
        Trigger(.cron(schedule: schedule, jitter: jitter))
    }

    /// The event name for an event trigger.
    public var eventName: String? {
        if case .event(let name, _) = kind { return name }
        return nil
    }
}

extension Trigger: Codable {
    private enum CodingKeys: String, CodingKey { case event, expression, cron, jitter }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let name = try container.decodeIfPresent(String.self, forKey: .event) {
            kind = .event(name: name, expression: try container.decodeIfPresent(String.self, forKey: .expression))
        } else if let schedule = try container.decodeIfPresent(String.self, forKey: .cron) {
            kind = .cron(schedule: schedule, jitter: try container.decodeIfPresent(InngestDuration.self, forKey: .jitter))
        } else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath, debugDescription: "A trigger needs an \"event\" or a \"cron\" field."))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch kind {
        case .event(let name, let expression):
            try container.encode(name, forKey: .event)
            try container.encodeIfPresent(expression, forKey: .expression)
        case .cron(let schedule, let jitter):
            try container.encode(schedule, forKey: .cron)
            try container.encodeIfPresent(jitter, forKey: .jitter)
        }
    }
}
