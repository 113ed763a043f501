import Foundation

/// Fails this attempt and asks for the next one no sooner than a delay or a date,
/// e.g. when an API answered "429, retry in 30 s". Counts as an attempt.
public struct RetryAfterError: Error, Sendable, CustomStringConvertible {
    public enum RetryAt: Sendable, Hashable {
        case delay(Duration)
        case date(Date)
    }

    public let message: String
    public let retryAt: RetryAt
    public let cause: (any Error & Sendable)?

    public init(_ message: String, after delay: Duration, cause: (any Error & Sendable)? = nil) {
        self.message = message
        self.retryAt = .delay(delay)
        self.cause = cause
    }

    public init(_ message: String, at date: Date, cause: (any Error & Sendable)? = nil) {
        self.message = message
        self.retryAt = .date(date)
        self.cause = cause
    }

    public var description: String { "RetryAfterError: \(message)" }
}
