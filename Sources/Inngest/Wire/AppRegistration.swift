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
        guard case .object = json else { throw Invalid("the register body must be a JSON object") }
        let request: RegisterRequest
        do {
            request = try JSONCodec.shared.decode(RegisterRequest.self, from: json)
        } catch let error as WireFieldError {
            throw Invalid(error.description)
        } catch {
            throw Invalid("the register body is not valid: \(DecodingErrorText.describe(error))")
        }
        try self.init(request)
    }

    /// Checks a decoded register request by the engine's rules.
    package init(_ request: RegisterRequest) throws(Invalid) {
        guard let appID = request.appName, !appID.isEmpty else { throw Invalid("\"appName\" is missing or empty: an app needs an id") }
        guard let url = request.url, !url.isEmpty else { throw Invalid("\"url\" is missing or empty") }
        self.appID = appID
        self.url = url
        sdk = request.sdk
        framework = request.framework
        let registered = request.functions ?? []
        if registered.count > Self.maxFunctions {
            throw Invalid("\"functions\" has \(registered.count) entries; at most \(Self.maxFunctions)")
        }
        var seen = Set<String>()
        functions = []
        for (index, function) in registered.enumerated() {
            let function = try Self.function(function, field: "functions[\(index)]", appID: appID, appURL: url)
            guard seen.insert(function.compositeID).inserted else {
                throw Invalid("functions[\(index)].id \"\(function.compositeID)\" appears twice; function ids must be unique in an app")
            }
            functions.append(function)
        }
    }

    private static func function(_ registered: RegisteredFunction, field: String, appID: String, appURL: String) throws(Invalid) -> Function {
        guard let compositeID = registered.id, !compositeID.isEmpty else { throw Invalid("\(field).id is missing or empty") }
        let prefix = appID + "-"
        let localID = compositeID.hasPrefix(prefix) && compositeID.count > prefix.count ? String(compositeID.dropFirst(prefix.count)) : compositeID
        let step = registered.callStep
        let url = step?.runtime?.url ?? RegisteredFunction.stepURL(appURL: appURL, compositeID: compositeID)
        var retries = InngestLimits.defaultRetries
        if let count = step?.retries?.attempts ?? registered.retries {
            guard count >= 0 else { throw Invalid("\(field) retries must be a non-negative integer") }
            retries = Int(min(count, Int64(maxRetries)))
        }
        var configuration = FunctionConfiguration(
            id: localID, name: registered.name, triggers: registered.triggers ?? [], retries: retries, cancelOn: registered.cancel ?? [],
            // An empty list is no limit: the Python SDK registers failure handlers with `[]`.
            concurrency: registered.concurrency.flatMap { $0.limits.isEmpty ? nil : $0 },
            throttle: registered.throttle, rateLimit: registered.rateLimit, debounce: registered.debounce, priority: registered.priority,
            batchEvents: registered.batchEvents, idempotency: registered.idempotency, timeouts: registered.timeouts,
            singleton: registered.singleton)
        if configuration.name == compositeID || configuration.name == localID { configuration.name = nil }
        let issues = configuration.issues
        if !issues.isEmpty {
            throw Invalid("function \"\(compositeID)\" has invalid options: " + issues.map(\.description).joined(separator: "; "))
        }
        return Function(compositeID: compositeID, configuration: configuration, url: url)
    }
}

/// Short, field-oriented text for a `DecodingError` (the default description is long).
enum DecodingErrorText {
    static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError, let context = context(decoding) else { return String(describing: error) }
        return describe(error, relativeTo: context.codingPath)
    }

    /// The problem with `path` (the part of the coding path to show) before it.
    static func describe(_ error: any Error, relativeTo path: [any CodingKey]) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        let what: String
        switch error {
        case .typeMismatch(let type, _): what = "expected \(type)"
        case .valueNotFound(let type, _): what = "missing \(type)"
        case .keyNotFound(let key, _): what = "missing \"\(key.stringValue)\""
        case .dataCorrupted(let context): what = context.debugDescription
        @unknown default: return String(describing: error)
        }
        let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return text.isEmpty ? what : "\(text): \(what)"
    }

    static func context(_ error: DecodingError) -> DecodingError.Context? {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): return context
        case .keyNotFound(_, let context): return context
        @unknown default: return nil
        }
    }
}
