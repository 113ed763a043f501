/// The answer to an in-band sync (`PUT` with `X-Inngest-Sync-Kind: in_band`): the app's
/// configuration returned to the server instead of posted to `/fn/register`.
/// Unknown values are explicit `null`s, as the server expects every member.
package struct InBandSyncAnswer: Sendable, Hashable, Encodable {
    package var appID: String
    package var appVersion: String?
    package var env: String?
    package var framework: String?
    package var functions: [RegisteredFunction]
    package var inspection: Introspection
    package var url: String

    private enum CodingKeys: String, CodingKey {
        case appID = "app_id"
        case appVersion, env, framework, functions, inspection, platform, url, capabilities
        case sdkAuthor = "sdk_author"
        case sdkLanguage = "sdk_language"
        case sdkVersion = "sdk_version"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(appID, forKey: .appID)
        try container.encode(appVersion, forKey: .appVersion)
        try container.encode(env, forKey: .env)
        try container.encode(framework, forKey: .framework)
        try container.encode(functions, forKey: .functions)
        try container.encode(inspection, forKey: .inspection)
        try container.encodeNil(forKey: .platform)
        try container.encode(SDKIdentity.author, forKey: .sdkAuthor)
        try container.encode(SDKIdentity.language, forKey: .sdkLanguage)
        try container.encode(SDKIdentity.version, forKey: .sdkVersion)
        try container.encode(url, forKey: .url)
        try container.encode(RegisterRequest.Capabilities.swiftSDK(inBandSync: true), forKey: .capabilities)
    }
}
