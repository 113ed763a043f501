/// The bodies of `GET` on the serve endpoint.
///
/// In dev mode, or for an unauthenticated caller in general, only counts and flags are shown
/// (``unauthenticated(configuration:functionCount:)``). A caller that proves it holds the
/// signing key (a valid `X-Inngest-Signature` over the empty body) gets
/// ``authenticated(configuration:functionCount:)`` with origins and key hashes.
///
/// **Unsigned `GET` in cloud mode: `401 {"message":"Unauthorized"}`.** The spec (and Python,
/// when the server kind matches) answer with the unauthenticated shape instead; we follow the
/// TypeScript SDK, because an anonymous caller should not learn that an Inngest app is served
/// here nor how many functions it has, and because a real Inngest server always signs its
/// requests in cloud mode, so nothing legitimate is lost.
package enum Introspection {
    package static func unauthenticated(configuration: InngestConfiguration, functionCount: Int) -> JSONValue {
        [
            "schema_version": .string(SDKIdentity.introspectionSchemaVersion),
            "mode": .string(configuration.mode.rawValue),
            "function_count": .integer(Int64(functionCount)),
            "has_event_key": .bool(configuration.eventKey != nil),
            "has_signing_key": .bool(configuration.signingKey != nil),
            "has_signing_key_fallback": .bool(configuration.signingKeyFallback != nil),
            "extra": ["is_streaming": false],
        ]
    }

    /// Key hashes follow TypeScript: the signing key hashes are the first 12 hex characters of
    /// SHA-256 of the hex-decoded key (enough to tell keys apart, too short to be the bearer
    /// token); the event key hash is the full SHA-256 of the key text.
    package static func authenticated(configuration: InngestConfiguration, functionCount: Int) -> JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        return [
            "schema_version": .string(SDKIdentity.introspectionSchemaVersion),
            "authentication_succeeded": true,
            "mode": .string(configuration.mode.rawValue),
            "app_id": .string(configuration.appID),
            "api_origin": .string(configuration.apiOrigin),
            "event_api_origin": .string(configuration.eventAPIOrigin),
            "env": optional(configuration.env),
            "framework": optional(configuration.framework),
            "function_count": .integer(Int64(functionCount)),
            "has_event_key": .bool(configuration.eventKey != nil),
            "has_signing_key": .bool(configuration.signingKey != nil),
            "has_signing_key_fallback": .bool(configuration.signingKeyFallback != nil),
            "event_key_hash": optional(configuration.eventKey.map(Hex.sha256)),
            "signing_key_hash": optional(configuration.signingKey.map(signingKeyHash)),
            "signing_key_fallback_hash": optional(configuration.signingKeyFallback.map(signingKeyHash)),
            "sdk_language": .string(SDKIdentity.language),
            "sdk_version": .string(SDKIdentity.version),
            "serve_origin": optional(configuration.serveOrigin),
            "serve_path": optional(configuration.servePath),
            "capabilities": RegisterPayload.capabilities(inBandSync: configuration.allowInBandSync),
            "extra": ["is_streaming": false],
        ]
    }

    static func signingKeyHash(_ key: SigningKey) -> String {
        String(key.hashedSecret.prefix(12))
    }
}
