import Foundation

/// The app's configuration as Inngest registers it (`POST /fn/register`, and the
/// `functions` of an in-band sync).
///
/// Every function option is carried; optional fields are omitted, never sent as JSON `null`
/// (some of the server's decoders reject `null`). Failure handlers are extra functions
/// `<composite id>-failure`.
package enum RegisterPayload {
    /// Capabilities this SDK advertises.
    package static func capabilities(inBandSync: Bool) -> JSONValue {
        var members: [String: JSONValue] = ["trust_probe": "v1"]
        if inBandSync { members["in_band_sync"] = "v1" }
        return .object(members)
    }

    /// The body of `POST <api>/fn/register`.
    package static func body(appURL: String, functions: [InngestFunction], configuration: InngestConfiguration) throws -> JSONValue {
        var members: [String: JSONValue] = [
            "url": .string(appURL),
            "deployType": "ping",
            "appName": .string(configuration.appID),
            "sdk": .string(SDKIdentity.registerValue),
            "v": "0.1",
            "capabilities": capabilities(inBandSync: configuration.allowInBandSync),
            "functions": .array(try functionObjects(appURL: appURL, functions: functions, appID: configuration.appID)),
        ]
        if let framework = configuration.framework { members["framework"] = .string(framework) }
        if let appVersion = configuration.appVersion { members["appVersion"] = .string(appVersion) }
        return .object(members)
    }

    /// One object per function and per failure handler, in declaration order.
    package static func functionObjects(appURL: String, functions: [InngestFunction], appID: String) throws -> [JSONValue] {
        var objects: [JSONValue] = []
        for function in functions {
            objects.append(try functionObject(function.configuration, appURL: appURL, appID: appID))
            if let failure = function.failureFunction(appID: appID) {
                objects.append(try functionObject(failure.configuration, appURL: appURL, appID: appID))
            }
        }
        return objects
    }

    /// The register object of one function.
    package static func functionObject(_ configuration: FunctionConfiguration, appURL: String, appID: String) throws -> JSONValue {
        let compositeID = configuration.compositeID(appID: appID)
        let codec = JSONCodec.shared
        let step: [String: JSONValue] = [
            "id": "step",
            "name": "step",
            "runtime": ["type": "http", "url": .string(stepURL(appURL: appURL, compositeID: compositeID))],
            // The server reads `attempts` as the number of retries.
            "retries": ["attempts": .integer(Int64(configuration.retries))],
        ]
        var members: [String: JSONValue] = [
            "id": .string(compositeID),
            "name": .string(configuration.name ?? configuration.id),
            "triggers": .array(try configuration.triggers.map { try codec.jsonValue(of: $0) }),
            "steps": ["step": .object(step)],
        ]
        if let concurrency = configuration.concurrency, !concurrency.limits.isEmpty {
            members["concurrency"] = try codec.jsonValue(of: concurrency)
        }
        if let throttle = configuration.throttle { members["throttle"] = try codec.jsonValue(of: throttle) }
        if let rateLimit = configuration.rateLimit { members["rateLimit"] = try codec.jsonValue(of: rateLimit) }
        if let debounce = configuration.debounce { members["debounce"] = try codec.jsonValue(of: debounce) }
        if let priority = configuration.priority { members["priority"] = try codec.jsonValue(of: priority) }
        if let batch = configuration.batchEvents { members["batchEvents"] = try codec.jsonValue(of: batch) }
        if let idempotency = configuration.idempotency { members["idempotency"] = .string(idempotency) }
        if !configuration.cancelOn.isEmpty { members["cancel"] = try codec.jsonValue(of: configuration.cancelOn) }
        if let timeouts = configuration.timeouts, timeouts.start != nil || timeouts.finish != nil {
            members["timeouts"] = try codec.jsonValue(of: timeouts)
        }
        if let singleton = configuration.singleton { members["singleton"] = try codec.jsonValue(of: singleton) }
        return removingNulls(.object(members))
    }

    /// `<app URL>?fnId=<composite id>&stepId=step` (keeping any query the app URL has).
    package static func stepURL(appURL: String, compositeID: String) -> String {
        var components = URLComponents(string: appURL) ?? URLComponents()
        var items = (components.queryItems ?? []).filter { $0.name != "fnId" && $0.name != "stepId" && $0.name != "deployId" }
        items.append(URLQueryItem(name: "fnId", value: compositeID))
        items.append(URLQueryItem(name: "stepId", value: "step"))
        components.queryItems = items
        return components.string ?? "\(appURL)?fnId=\(compositeID)&stepId=step"
    }

    /// Drops every `null` member of every object (arrays keep their elements).
    package static func removingNulls(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(members.compactMapValues { $0.isNull ? nil : removingNulls($0) })
        case .array(let elements):
            return .array(elements.map(removingNulls))
        default:
            return value
        }
    }
}
