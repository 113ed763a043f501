import Foundation

/// Fails this attempt and asks for the next one no sooner than a delay or a date,
/// e.g. when an API answered "429, retry in 30 s". Counts as an attempt.
public struct RetryAfterError: Error, Sendable, CustomStringConvertible {
    /// When the next attempt may start.
    public enum RetryAt: Sendable, Hashable {
        /// After a delay from the failed attempt.
        case delay(Duration)
        /// At a date.
        case date(Date)
    }

    /// What went wrong.
    public let message: String
    /// When the next attempt may start.
    public let retryAt: RetryAt
    /// The error that led to this one.
    public let cause: (any Error & Sendable)?

    /// Asks for the next attempt after `delay`.
    ///
    /// - Parameters:
    ///   - message: What went wrong, as the run's record shows it.
    ///   - delay: How long to wait before the next attempt.
    ///   - cause: The error that led to this one.
    public init(_ message: String, after delay: Duration, cause: (any Error & Sendable)? = nil) {
        self.message = message
        self.retryAt = .delay(delay)
        self.cause = cause
    }

    /// Asks for the next attempt at `date`.
    ///
    /// - Parameters:
    ///   - message: What went wrong, as the run's record shows it.
    ///   - date: When the next attempt may start.
    ///   - cause: The error that led to this one.
    public init(_ message: String, at date: Date, cause: (any Error & Sendable)? = nil) {
        self.message = message
        self.retryAt = .date(date)
        self.cause = cause
    }

    public var description: String { "RetryAfterError: \(message)" }
}
