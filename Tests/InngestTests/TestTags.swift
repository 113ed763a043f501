import Testing

// Select with `swift test --filter` by suite, or in Xcode's test navigator by tag.
extension Tag {
    /// Request/response cases of the wire protocol, as the official SDKs answer them.
    @Tag static var conformance: Self
    /// Replays of what another SDK sent or answered.
    @Tag static var interop: Self
    /// Malformed, oversized or out-of-range input: a clear error, never a trap.
    @Tag static var hostileInput: Self
}
