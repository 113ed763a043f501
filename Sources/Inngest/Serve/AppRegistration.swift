import Foundation

/// A register payload (`POST /fn/register`) as a server reads it: the app, and each function's
/// configuration and the URL to call it at.
///
/// Read like the Go server reads it: member names match case-insensitively (Python sends
/// `appname`), unknown members are ignored, `steps.step.retries.attempts` is the number of
/// retries (a top-level `retries` is the fallback; more than 20 counts as 20). Every option
/// is decoded with the same types the Swift SDK registers with, and checked against the same
/// limits, so a function the engine accepts behaves the same whichever SDK declared it.
package struct AppRegistration: Sendable, Hashable {
    package struct Function: Sendable, Hashable {
        /// The wire id, `<app id>-<function id>`.
        package var compositeID: String
        /// The id, name, triggers and options. `id` is the composite id without the app's prefix.
        package var configuration: FunctionConfiguration
        /// Where to call the function: its step URL (`…?fnId=<composite id>&stepId=step`).
        package var url: String
    }

    package var appID: String
    /// The app's serve URL.
    package var url: String
    /// `<language>:v<version>`, e.g. `py:v0.5.19`.
    package var sdk: String?
    package var framework: String?
    package var functions: [Function]

    /// A payload that cannot be registered; `description` names the field and the problem.
    package struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        package var description: String
        package init(_ description: String) { self.description = description }
    }

    /// At most this many functions per app.
    package static let maxFunctions = 1_000
    /// Retries above this count as this (the server's clamp).
    package static let maxRetries = 20

    package init(json: JSONValue) throws(Invalid) {
        guard case .object(let root) = json else { throw Invalid("the register body must be a JSON object") }
        guard let appID = Self.member(root, "appName")?.stringValue, !appID.isEmpty else {
            throw Invalid("\"appName\" is missing or empty: an app needs an id")
        }
        guard let url = Self.member(root, "url")?.stringValue, !url.isEmpty else { throw Invalid("\"url\" is missing or empty") }
        self.appID = appID
        self.url = url
        sdk = Self.member(root, "sdk")?.stringValue
        framework = Self.member(root, "framework")?.stringValue
        let rawFunctions: [JSONValue]
        switch Self.member(root, "functions") {
        case .array(let elements)?: rawFunctions = elements
        case nil, .null?: rawFunctions = []
        default: throw Invalid("\"functions\" must be an array")
        }
        if rawFunctions.count > Self.maxFunctions {
            throw Invalid("\"functions\" has \(rawFunctions.count) entries; at most \(Self.maxFunctions)")
        }
        var seen = Set<String>()
        functions = []
        for (index, raw) in rawFunctions.enumerated() {
            let function = try Self.function(raw, field: "functions[\(index)]", appID: appID, appURL: url)
            guard seen.insert(function.compositeID).inserted else {
                throw Invalid("functions[\(index)].id \"\(function.compositeID)\" appears twice; function ids must be unique in an app")
            }
            functions.append(function)
        }
    }

    private static func function(_ raw: JSONValue, field: String, appID: String, appURL: String) throws(Invalid) -> Function {
        guard case .object(let object) = raw else { throw Invalid("\(field) must be an object") }
        guard let compositeID = member(object, "id")?.stringValue, !compositeID.isEmpty else {
            throw Invalid("\(field).id is missing or empty")
        }
        let prefix = appID + "-"
        let localID = compositeID.hasPrefix(prefix) && compositeID.count > prefix.count ? String(compositeID.dropFirst(prefix.count)) : compositeID
        let step = member(object, "steps")?.objectValue.flatMap { $0["step"] ?? $0.values.first }?.objectValue ?? [:]
        let url =
            member(step, "runtime")?.objectValue.flatMap { member($0, "url")?.stringValue }
            ?? RegisterPayload.stepURL(appURL: appURL, compositeID: compositeID)

        var retries = InngestLimits.defaultRetries
        if let attempts = member(step, "retries")?.objectValue.flatMap({ member($0, "attempts") }) ?? member(object, "retries") {
            guard let count = attempts.integerValue, count >= 0 else { throw Invalid("\(field) retries must be a non-negative integer") }
            retries = Int(min(count, Int64(maxRetries)))
        }
        var configuration = FunctionConfiguration(
            id: localID, name: member(object, "name")?.stringValue,
            triggers: try decode([Trigger].self, member(object, "triggers"), "\(field).triggers") ?? [],
            retries: retries,
            cancelOn: try decode([Cancellation].self, member(object, "cancel"), "\(field).cancel") ?? [],
            // An empty list is no limit: the Python SDK registers failure handlers with `[]`.
            concurrency: try decode(Concurrency.self, member(object, "concurrency"), "\(field).concurrency").flatMap { $0.limits.isEmpty ? nil : $0 },
            throttle: try decode(Throttle.self, member(object, "throttle"), "\(field).throttle"),
            rateLimit: try decode(RateLimit.self, member(object, "rateLimit"), "\(field).rateLimit"),
            debounce: try decode(Debounce.self, member(object, "debounce"), "\(field).debounce"),
            priority: try decode(Priority.self, member(object, "priority"), "\(field).priority"),
            batchEvents: try decode(BatchEvents.self, member(object, "batchEvents"), "\(field).batchEvents"),
            idempotency: try decode(String.self, member(object, "idempotency"), "\(field).idempotency"),
            timeouts: try decode(Timeouts.self, member(object, "timeouts"), "\(field).timeouts"),
            singleton: try decode(Singleton.self, member(object, "singleton"), "\(field).singleton"))
        if configuration.name == compositeID || configuration.name == localID { configuration.name = nil }
        let issues = configuration.issues
        if !issues.isEmpty {
            throw Invalid("function \"\(compositeID)\" has invalid options: " + issues.map(\.description).joined(separator: "; "))
        }
        return Function(compositeID: compositeID, configuration: configuration, url: url)
    }

    /// Decodes an optional member with the SDK's own `Codable` types; `null` counts as absent.
    private static func decode<Value: Decodable>(_ type: Value.Type, _ value: JSONValue?, _ field: String) throws(Invalid) -> Value? {
        guard let value, !value.isNull else { return nil }
        do {
            return try JSONCodec.shared.decode(type, from: value)
        } catch {
            throw Invalid("\(field) is not valid: \(DecodingErrorText.describe(error))")
        }
    }

    /// A member by name, matched case-insensitively as Go's JSON decoder does.
    package static func member(_ object: [String: JSONValue], _ name: String) -> JSONValue? {
        if let exact = object[name] { return exact }
        let lowered = name.lowercased()
        return object.first { $0.key.lowercased() == lowered }?.value
    }
}

/// Short, field-oriented text for a `DecodingError` (the default description is long).
enum DecodingErrorText {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        let (context, what): (DecodingError.Context, String)
        switch error {
        case .typeMismatch(let type, let c): (context, what) = (c, "expected \(type)")
        case .valueNotFound(let type, let c): (context, what) = (c, "missing \(type)")
        case .keyNotFound(let key, let c): (context, what) = (c, "missing \"\(key.stringValue)\"")
        case .dataCorrupted(let c): (context, what) = (c, c.debugDescription)
        @unknown default: return String(describing: error)
        }
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? what : "\(path): \(what)"
    }
}
