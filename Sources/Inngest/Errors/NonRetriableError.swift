/// Fails the step (inside `step.run`) or the run (elsewhere) at once, without retrying.
///
/// ```swift
/// guard let user = try await users.find(id) else {
///     throw NonRetriableError("user \(id) does not exist")
/// }
/// ```
public struct NonRetriableError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// The error that led to this one, serialized as the wire error's `cause`.
    public let cause: (any Error & Sendable)?

    /// - Parameters:
    ///   - message: What went wrong, as the run's record shows it.
    ///   - cause: The error that led to this one.
    public init(_ message: String, cause: (any Error & Sendable)? = nil) {
        self.message = message
        self.cause = cause
    }

    public var description: String { "NonRetriableError: \(message)" }
}
