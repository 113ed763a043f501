/// Who this SDK is on the wire. The version lives here and only here.
public enum SDKIdentity {
    /// The SDK's version (semver, no `v`).
    public static let version = "0.1.0"
    /// The language name the server splits out of the register payload's `sdk` field.
    public static let language = "swift"
    /// Informational author name in in-band sync bodies.
    public static let author = "swift-inngest"
    /// `X-Inngest-SDK` and `User-Agent` on every response and outbound request:
    /// `<name>:v<semver>` with exactly one `:` (the server detects SDK responses by it).
    public static let headerValue = "swift-inngest:v\(version)"
    /// The register payload's `sdk` field: `<language>:v<version>`, like `js:v…` and `py:v…`.
    public static let registerValue = "\(language):v\(version)"
    /// The execution version this SDK answers with (`X-Inngest-Req-Version`).
    public static let executionVersion = "2"
    /// The introspection schema version.
    public static let introspectionSchemaVersion = "2024-05-24"
}
