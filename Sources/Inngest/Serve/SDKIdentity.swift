/// Who this SDK is on the wire. The version lives here and only here.
package enum SDKIdentity {
    /// The SDK's version (semver, no `v`).
    package static let version = "0.1.0"
    /// The language name the server splits out of the register payload's `sdk` field.
    package static let language = "swift"
    /// Informational author name in in-band sync bodies.
    package static let author = "swift-inngest"
    /// `X-Inngest-SDK` and `User-Agent` on every response and outbound request:
    /// `<name>:v<semver>` with exactly one `:` (the server detects SDK responses by it).
    package static let headerValue = "swift-inngest:v\(version)"
    /// The register payload's `sdk` field: `<language>:v<version>`, like `js:v…` and `py:v…`.
    package static let registerValue = "\(language):v\(version)"
    /// The execution version this SDK answers with (`X-Inngest-Req-Version`).
    package static let executionVersion = "2"
    /// The introspection schema version.
    package static let introspectionSchemaVersion = "2024-05-24"
}
