import Foundation

/// The engine's only source of time: the real clock in production, the test kit's
/// `TestClock` (InngestTesting) in tests, so a 24-hour wait or a weekly cron takes no wall time.
public protocol EngineClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Returns at `deadline` (or at once if it has passed); throws `CancellationError` if the task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// Wall-clock time.
public struct SystemClock: EngineClock {
    /// The system's clock.
    public init() {}

    /// The current wall-clock time.
    public func now() -> Date { Date() }

    /// Returns at `deadline`; throws `CancellationError` if the task is cancelled.
    public func sleep(until deadline: Date) async throws {
        let interval = deadline.timeIntervalSinceNow
        if interval > 0 { try await Task.sleep(for: .seconds(interval)) }
    }
}
