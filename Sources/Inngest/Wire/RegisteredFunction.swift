import Foundation

/// One function of a ``RegisterRequest`` (and of an in-band sync answer): its composite id,
/// triggers, options and the step URL the server calls.
///
/// Option members use the SDK's own option types, so a function registered by any SDK is
/// checked against the same limits.
package struct RegisteredFunction: Sendable, Hashable, Codable {
    /// The composite id, `<app id>-<function id>`.
    package var id: String?
    package var name: String?
    package var triggers: [Trigger]?
    /// By step id; the server calls the one named `step`.
    package var steps: [String: Step]?
    /// A fallback some SDKs send: the number of retries, when `steps.step.retries` has none.
    package var retries: Int64?
    package var concurrency: Concurrency?
    package var throttle: Throttle?
    package var rateLimit: RateLimit?
    package var debounce: Debounce?
    package var priority: Priority?
    package var batchEvents: BatchEvents?
    package var idempotency: String?
    package var cancel: [Cancellation]?
    package var timeouts: Timeouts?
    package var singleton: Singleton?

    /// How the server reaches the function, and how often it retries it.
    package struct Step: Sendable, Hashable, Codable {
        package var id: String?
        package var name: String?
        package var runtime: Runtime?
        package var retries: Retries?

        package struct Runtime: Sendable, Hashable, Codable {
            package var type: String?
            package var url: String?

            enum CodingKeys: String, CodingKey { case type, url }

            package init(type: String?, url: String?) {
                self.type = type
                self.url = url
            }

            package init(from decoder: any Decoder) throws {
                let members = try CaseInsensitiveMembers<CodingKeys>(decoder)
                type = try members.decode(String.self, .type)
                url = try members.decode(String.self, .url)
            }
        }

        package struct Retries: Sendable, Hashable, Codable {
            /// The number of retries (the server's name for it).
            package var attempts: Int64?

            enum CodingKeys: String, CodingKey { case attempts }

            package init(attempts: Int64?) { self.attempts = attempts }

            package init(from decoder: any Decoder) throws {
                attempts = try CaseInsensitiveMembers<CodingKeys>(decoder).decode(Int64.self, .attempts)
            }
        }

        enum CodingKeys: String, CodingKey { case id, name, runtime, retries }

        package init(id: String?, name: String?, runtime: Runtime?, retries: Retries?) {
            self.id = id
            self.name = name
            self.runtime = runtime
            self.retries = retries
        }

        package init(from decoder: any Decoder) throws {
            let members = try CaseInsensitiveMembers<CodingKeys>(decoder)
            id = try members.decode(String.self, .id)
            name = try members.decode(String.self, .name)
            runtime = try members.decode(Runtime.self, .runtime)
            retries = try members.decode(Retries.self, .retries)
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, triggers, steps, retries, concurrency, throttle, rateLimit, debounce, priority, batchEvents, idempotency, cancel,
            timeouts, singleton
    }

    /// The step the server calls: `steps.step`, or the only one there is.
    package var callStep: Step? { steps.flatMap { $0["step"] ?? $0.values.first } }

    /// The registration of one function as this SDK writes it.
    package init(_ configuration: FunctionConfiguration, appURL: String, appID: String) {
        let compositeID = configuration.compositeID(appID: appID)
        id = compositeID
        name = configuration.name ?? configuration.id
        triggers = configuration.triggers
        steps = [
            "step": Step(
                id: "step", name: "step", runtime: Step.Runtime(type: "http", url: Self.stepURL(appURL: appURL, compositeID: compositeID)),
                retries: Step.Retries(attempts: Int64(configuration.retries)))
        ]
        if let concurrency = configuration.concurrency, !concurrency.limits.isEmpty { self.concurrency = concurrency }
        throttle = configuration.throttle
        rateLimit = configuration.rateLimit
        debounce = configuration.debounce
        priority = configuration.priority
        batchEvents = configuration.batchEvents
        idempotency = configuration.idempotency
        if !configuration.cancelOn.isEmpty { cancel = configuration.cancelOn }
        if let timeouts = configuration.timeouts, timeouts.start != nil || timeouts.finish != nil { self.timeouts = timeouts }
        singleton = configuration.singleton
    }

    package init(from decoder: any Decoder) throws {
        let members = try CaseInsensitiveMembers<CodingKeys>(decoder)
        id = try members.decode(String.self, .id)
        name = try members.decode(String.self, .name)
        triggers = try members.decode([Trigger].self, .triggers)
        steps = try members.decode([String: Step].self, .steps)
        retries = try members.decode(Int64.self, .retries)
        concurrency = try members.decode(Concurrency.self, .concurrency)
        throttle = try members.decode(Throttle.self, .throttle)
        rateLimit = try members.decode(RateLimit.self, .rateLimit)
        debounce = try members.decode(Debounce.self, .debounce)
        priority = try members.decode(Priority.self, .priority)
        batchEvents = try members.decode(BatchEvents.self, .batchEvents)
        idempotency = try members.decode(String.self, .idempotency)
        cancel = try members.decode([Cancellation].self, .cancel)
        timeouts = try members.decode(Timeouts.self, .timeouts)
        singleton = try members.decode(Singleton.self, .singleton)
    }

    /// The registration as a JSON value, without `null` members.
    package func jsonValue() throws -> JSONValue {
        try JSONCodec.shared.jsonValue(of: self).removingNulls()
    }

    /// `<app URL>?fnId=<composite id>&stepId=step` (keeping any other query the app URL has).
    package static func stepURL(appURL: String, compositeID: String) -> String {
        var components = URLComponents(string: appURL) ?? URLComponents()
        var items = (components.queryItems ?? []).filter { $0.name != "fnId" && $0.name != "stepId" && $0.name != "deployId" }
        items.append(URLQueryItem(name: "fnId", value: compositeID))
        items.append(URLQueryItem(name: "stepId", value: "step"))
        components.queryItems = items
        return components.string ?? "\(appURL)?fnId=\(compositeID)&stepId=step"
    }
}
