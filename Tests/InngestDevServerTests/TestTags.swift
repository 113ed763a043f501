import Testing

extension Tag {
    /// Malformed, oversized or out-of-range input: a clear 4xx, never a trap.
    @Tag static var hostileInput: Self
}
