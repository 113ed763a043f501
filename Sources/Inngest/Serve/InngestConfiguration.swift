import Foundation

/// How an app talks to Inngest, both to send events (``InngestClient``) and to be served
/// (``InngestServeHandler``): its id, dev or cloud mode, keys and origins.
///
/// Build it from the process environment with ``init(appID:environment:framework:)`` (the variables
/// the official SDKs read) or field by field. Secrets are held here but never printed:
/// ``description`` redacts them.
public struct InngestConfiguration: Sendable, CustomStringConvertible {
    /// Dev mode skips signature checks and talks to a local dev server; cloud mode requires
    /// a signing key and verifies every call.
    public enum Mode: String, Sendable, Hashable {
        /// A local dev server: no signatures, the dev server's origin by default.
        case dev
        /// Inngest Cloud or a self-hosted server: signed requests and responses.
        case cloud
    }

    /// The origin of Inngest Cloud's server API.
    public static let defaultCloudAPIOrigin = "https://api.inngest.com/"
    /// The origin of Inngest Cloud's event API.
    public static let defaultCloudEventAPIOrigin = "https://inn.gs/"
    /// Where a dev server listens unless told otherwise.
    public static let defaultDevServerOrigin = "http://localhost:8288/"
    /// The event key used in dev mode when none is configured (a dev server without keys accepts any).
    public static let placeholderEventKey = "NO_EVENT_KEY_SET"

    /// The app's id: the prefix of its functions' ids on the server.
    public var appID: String
    /// The app's version, sent at sync.
    public var appVersion: String?
    /// Dev or cloud.
    public var mode: Mode
    /// Signs responses and verifies requests in cloud mode.
    public var signingKey: SigningKey?
    /// A second key accepted while keys are rotated.
    public var signingKeyFallback: SigningKey?
    /// The key events are sent with.
    public var eventKey: String?
    /// Branch environment name, sent as `X-Inngest-Env`.
    public var env: String?
    /// Public origin (`scheme://host[:port]`) advertised at sync instead of the request's.
    public var serveOrigin: String?
    /// Public path advertised at sync instead of the request's.
    public var servePath: String?
    /// Origin of the server API (`/fn/register`, `/v0/runs/…`), normalized with a trailing `/`.
    public var apiOrigin: String
    /// Origin of the event API (`/e/{key}`), normalized with a trailing `/`.
    public var eventAPIOrigin: String
    /// Framework name sent as `X-Inngest-Framework` and in the register payload, e.g. `hummingbird`.
    public var framework: String?
    /// Whether a signed `PUT` asking for an in-band sync may get the config in its answer.
    public var allowInBandSync: Bool
    /// The largest request body the serve handler reads; adapters refuse larger ones with `413`.
    public var maxRequestBodyBytes: Int
    /// Whether, and how, served functions run consecutive steps in one request when the server
    /// offers checkpointing (on by default, as in the TypeScript SDK).
    public var checkpointing = CheckpointingOptions()

    /// A configuration given field by field.
    ///
    /// - Parameters:
    ///   - appID: The app's id.
    ///   - appVersion: The app's version, sent at sync.
    ///   - mode: Dev or cloud.
    ///   - signingKey: The signing key (`signkey-…`); required in cloud mode.
    ///   - signingKeyFallback: A second key accepted while keys are rotated.
    ///   - eventKey: The key events are sent with.
    ///   - env: A branch environment's name.
    ///   - serveOrigin: The public origin advertised at sync instead of the request's.
    ///   - servePath: The public path advertised at sync instead of the request's.
    ///   - apiBaseURL: The server API's URL; the mode's default when `nil`.
    ///   - eventAPIBaseURL: The event API's URL; the mode's default when `nil`.
    ///   - framework: The web framework's name, e.g. `hummingbird` or `vapor`.
    ///   - allowInBandSync: Whether a signed in-band sync may get the config in its answer.
    ///   - maxRequestBodyBytes: The largest request body the serve handler reads.
    public init(
        appID: String,
        appVersion: String? = nil,
        mode: Mode,
        signingKey: String? = nil,
        signingKeyFallback: String? = nil,
        eventKey: String? = nil,
        env: String? = nil,
        serveOrigin: String? = nil,
        servePath: String? = nil,
        apiBaseURL: String? = nil,
        eventAPIBaseURL: String? = nil,
        framework: String? = nil,
        allowInBandSync: Bool = true,
        maxRequestBodyBytes: Int = InngestLimits.maxRequestBodyBytes
    ) {
        self.appID = appID
        self.appVersion = appVersion
        self.mode = mode
        self.signingKey = signingKey.flatMap(Self.nonEmpty).map(SigningKey.init)
        self.signingKeyFallback = signingKeyFallback.flatMap(Self.nonEmpty).map(SigningKey.init)
        self.eventKey = eventKey.flatMap(Self.nonEmpty)
        self.env = env.flatMap(Self.nonEmpty)
        self.serveOrigin = serveOrigin.flatMap(Self.nonEmpty)
        self.servePath = servePath.flatMap(Self.nonEmpty)
        let devDefault = Self.defaultDevServerOrigin
        self.apiOrigin =
            apiBaseURL.flatMap(Self.origin(of:))
            ?? (mode == .dev ? devDefault : Self.defaultCloudAPIOrigin)
        self.eventAPIOrigin =
            eventAPIBaseURL.flatMap(Self.origin(of:))
            ?? (mode == .dev ? devDefault : Self.defaultCloudEventAPIOrigin)
        self.framework = framework.flatMap(Self.nonEmpty)
        self.allowInBandSync = allowInBandSync
        self.maxRequestBodyBytes = maxRequestBodyBytes
    }

    /// Reads exactly the variables the official SDKs read:
    ///
    /// - `INNGEST_DEV`: `1`/`true` → dev, `0`/`false` → cloud, a URL → dev with that URL as
    ///   the origin of both APIs; unset → cloud.
    /// - `INNGEST_API_BASE_URL` and `INNGEST_EVENT_API_BASE_URL` win over `INNGEST_BASE_URL`,
    ///   which wins over the `INNGEST_DEV` URL; otherwise the mode's defaults.
    /// - `INNGEST_EVENT_KEY`, `INNGEST_SIGNING_KEY`, `INNGEST_SIGNING_KEY_FALLBACK`, `INNGEST_ENV`,
    ///   `INNGEST_SERVE_ORIGIN` (or the deprecated `INNGEST_SERVE_HOST`), `INNGEST_SERVE_PATH`,
    ///   `INNGEST_ALLOW_IN_BAND_SYNC` (`false`/`0` refuses in-band sync).
    ///
    /// - Parameters:
    ///   - appID: The app's id.
    ///   - environment: The variables to read; the process's by default.
    ///   - framework: The web framework's name, e.g. `hummingbird` or `vapor`.
    public init(appID: String, environment: [String: String] = ProcessInfo.processInfo.environment, framework: String? = nil) {
        func value(_ name: String) -> String? {
            environment[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap(Self.nonEmpty)
        }
        var mode = Mode.cloud
        var devURL: String?
        if let dev = value("INNGEST_DEV") {
            switch dev.lowercased() {
            case "1", "true": mode = .dev
            case "0", "false": mode = .cloud
            default:
                if let origin = Self.origin(of: dev) {
                    mode = .dev
                    devURL = origin
                }
            }
        }
        let base = value("INNGEST_BASE_URL") ?? devURL
        let inBand = value("INNGEST_ALLOW_IN_BAND_SYNC").map { !["false", "0"].contains($0.lowercased()) } ?? true
        self.init(
            appID: appID,
            mode: mode,
            signingKey: value("INNGEST_SIGNING_KEY"),
            signingKeyFallback: value("INNGEST_SIGNING_KEY_FALLBACK"),
            eventKey: value("INNGEST_EVENT_KEY"),
            env: value("INNGEST_ENV"),
            serveOrigin: value("INNGEST_SERVE_ORIGIN") ?? value("INNGEST_SERVE_HOST"),
            servePath: value("INNGEST_SERVE_PATH"),
            apiBaseURL: value("INNGEST_API_BASE_URL") ?? base,
            eventAPIBaseURL: value("INNGEST_EVENT_API_BASE_URL") ?? base,
            framework: framework,
            allowInBandSync: inBand)
    }

    /// The event key for `/e/{key}`: the configured one, or the dev placeholder.
    public var effectiveEventKey: String? {
        eventKey ?? (mode == .dev ? Self.placeholderEventKey : nil)
    }

    /// The keys to try, primary first.
    public var signingKeys: [SigningKey] { [signingKey, signingKeyFallback].compactMap { $0 } }

    public var description: String {
        "InngestConfiguration(appID: \(appID), mode: \(mode.rawValue), apiOrigin: \(apiOrigin), eventAPIOrigin: \(eventAPIOrigin), "
            + "hasSigningKey: \(signingKey != nil), hasSigningKeyFallback: \(signingKeyFallback != nil), hasEventKey: \(eventKey != nil))"
    }

    /// `scheme://host[:port]/` of a URL (a path is dropped, as the official SDKs do); a value
    /// without a scheme is read as `http://`. `nil` when it is not a URL.
    static func origin(of text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        let withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed
        guard let components = URLComponents(string: withScheme), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return nil }
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart)\(components.port.map { ":\($0)" } ?? "")/"
    }

    private static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }
}

extension String {
    /// Joins an origin ending in `/` with an absolute path.
    func joiningPath(_ path: String) -> String {
        (hasSuffix("/") ? String(dropLast()) : self) + path
    }
}
