import Foundation
import Inngest

/// How long to wait before a retry: exponential (10 s, 20 s, 40 s, … capped at 24 h) with
/// jitter that keeps between 75 % and 100 % of the delay, so many failing runs do not retry
/// in lockstep. `RetryAfterError` overrides it, clamped to 1 s … 24 h as Inngest does.
public struct Backoff: Sendable {
    /// The first retry's delay; each later one doubles it.
    public var base: Duration
    /// The longest delay.
    public var maximum: Duration
    /// Fraction of the delay that jitter may remove, 0 … 1.
    public var jitter: Double

    /// - Parameters:
    ///   - base: The first retry's delay.
    ///   - maximum: The longest delay.
    ///   - jitter: Fraction of the delay that jitter may remove, 0 … 1.
    public init(base: Duration = .seconds(10), maximum: Duration = .seconds(86_400), jitter: Double = 0.25) {
        self.base = base
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The delay after `failures` failed attempts (1 for the first failure).
    public func delay(afterFailures failures: Int) -> Duration {
        let exponent = min(max(failures - 1, 0), 30)
        let raw = Double(base.components.seconds) * pow(2, Double(exponent))
        let capped = min(raw, Double(maximum.components.seconds))
        let kept = 1 - Double.random(in: 0...max(0, min(1, jitter)))
        return .milliseconds(Int64(saturating: capped * kept * 1_000))
    }

    /// When to retry: the error's own time if it asked for one, else the backoff.
    func retryDate(now: Date, failures: Int, retryAt: RetryAfterError.RetryAt?) -> Date {
        let lower = now.addingTimeInterval(1)
        let upper = now.addingTimeInterval(86_400)
        switch retryAt {
        case .delay(let delay):
            return min(max(now.adding(delay), lower), upper)
        case .date(let date):
            return min(max(date, lower), upper)
        case nil:
            return now.adding(delay(afterFailures: failures))
        }
    }
}
