/// The body of `GET` on the serve endpoint.
///
/// In dev mode, or for an unauthenticated caller in general, only counts and flags are shown
/// (``unauthenticated(configuration:functionCount:)``). A caller that proves it holds the
/// signing key (a valid `X-Inngest-Signature` over the empty body) gets
/// ``authenticated(configuration:functionCount:)`` with origins and key hashes, where an
/// unknown value is an explicit `null`.
///
/// **Unsigned `GET` in cloud mode: `401 {"message":"Unauthorized"}`.** The spec (and Python,
/// when the server kind matches) answer with the unauthenticated shape instead; we follow the
/// TypeScript SDK, because an anonymous caller should not learn that an Inngest app is served
/// here nor how many functions it has, and because a real Inngest server always signs its
/// requests in cloud mode, so nothing legitimate is lost.
package struct Introspection: Sendable, Hashable, Encodable {
    package var schemaVersion = SDKIdentity.introspectionSchemaVersion
    package var mode: String
    package var functionCount: Int
    package var hasEventKey: Bool
    package var hasSigningKey: Bool
    package var hasSigningKeyFallback: Bool
    /// The members only an authenticated caller sees; `nil` for the unauthenticated shape.
    package var details: Details?

    package struct Details: Sendable, Hashable {
        /// `true`, or `nil` (written as `null`) when nothing was authenticated (an in-band sync in dev mode).
        package var authenticationSucceeded: Bool?
        package var appID: String
        package var apiOrigin: String
        package var eventAPIOrigin: String
        package var env: String?
        package var framework: String?
        package var eventKeyHash: String?
        package var signingKeyHash: String?
        package var signingKeyFallbackHash: String?
        package var serveOrigin: String?
        package var servePath: String?
        package var capabilities: RegisterRequest.Capabilities
    }

    package static func unauthenticated(configuration: InngestConfiguration, functionCount: Int) -> Introspection {
        Introspection(
            mode: configuration.mode.rawValue, functionCount: functionCount, hasEventKey: configuration.eventKey != nil,
            hasSigningKey: configuration.signingKey != nil, hasSigningKeyFallback: configuration.signingKeyFallback != nil)
    }

    /// Key hashes follow TypeScript: the signing key hashes are the first 12 hex characters of
    /// SHA-256 of the hex-decoded key (enough to tell keys apart, too short to be the bearer
    /// token); the event key hash is the full SHA-256 of the key text.
    package static func authenticated(configuration: InngestConfiguration, functionCount: Int) -> Introspection {
        var introspection = unauthenticated(configuration: configuration, functionCount: functionCount)
        introspection.details = Details(
            authenticationSucceeded: true, appID: configuration.appID, apiOrigin: configuration.apiOrigin,
            eventAPIOrigin: configuration.eventAPIOrigin, env: configuration.env, framework: configuration.framework,
            eventKeyHash: configuration.eventKey.map(Hex.sha256), signingKeyHash: configuration.signingKey.map(signingKeyHash),
            signingKeyFallbackHash: configuration.signingKeyFallback.map(signingKeyHash), serveOrigin: configuration.serveOrigin,
            servePath: configuration.servePath, capabilities: .swiftSDK(inBandSync: configuration.allowInBandSync))
        return introspection
    }

    static func signingKeyHash(_ key: SigningKey) -> String {
        String(key.hashedSecret.prefix(12))
    }

    private enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case mode
        case functionCount = "function_count"
        case hasEventKey = "has_event_key"
        case hasSigningKey = "has_signing_key"
        case hasSigningKeyFallback = "has_signing_key_fallback"
        case extra
        case authenticationSucceeded = "authentication_succeeded"
        case appID = "app_id"
        case apiOrigin = "api_origin"
        case eventAPIOrigin = "event_api_origin"
        case env, framework
        case eventKeyHash = "event_key_hash"
        case signingKeyHash = "signing_key_hash"
        case signingKeyFallbackHash = "signing_key_fallback_hash"
        case sdkLanguage = "sdk_language"
        case sdkVersion = "sdk_version"
        case serveOrigin = "serve_origin"
        case servePath = "serve_path"
        case capabilities
    }

    private struct Extra: Encodable {
        var isStreaming = false
        enum CodingKeys: String, CodingKey { case isStreaming = "is_streaming" }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(mode, forKey: .mode)
        try container.encode(functionCount, forKey: .functionCount)
        try container.encode(hasEventKey, forKey: .hasEventKey)
        try container.encode(hasSigningKey, forKey: .hasSigningKey)
        try container.encode(hasSigningKeyFallback, forKey: .hasSigningKeyFallback)
        try container.encode(Extra(), forKey: .extra)
        guard let details else { return }
        // The authenticated shape names every member, unknown ones as `null`.
        try container.encode(details.authenticationSucceeded, forKey: .authenticationSucceeded)
        try container.encode(details.appID, forKey: .appID)
        try container.encode(details.apiOrigin, forKey: .apiOrigin)
        try container.encode(details.eventAPIOrigin, forKey: .eventAPIOrigin)
        try container.encode(details.env, forKey: .env)
        try container.encode(details.framework, forKey: .framework)
        try container.encode(details.eventKeyHash, forKey: .eventKeyHash)
        try container.encode(details.signingKeyHash, forKey: .signingKeyHash)
        try container.encode(details.signingKeyFallbackHash, forKey: .signingKeyFallbackHash)
        try container.encode(SDKIdentity.language, forKey: .sdkLanguage)
        try container.encode(SDKIdentity.version, forKey: .sdkVersion)
        try container.encode(details.serveOrigin, forKey: .serveOrigin)
        try container.encode(details.servePath, forKey: .servePath)
        try container.encode(details.capabilities, forKey: .capabilities)
    }
}
