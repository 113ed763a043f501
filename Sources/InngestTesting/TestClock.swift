import Foundation
import Inngest
import InngestEngine
import Synchronization

/// A clock that moves only when a test moves it: the clock of a ``TestEnvironment``, and of
/// any engine given it in ``/InngestEngine/Engine/Options/clock``.
///
/// ```swift
/// let clock = TestClock()
/// let engine = try Engine(appID: "shop", databasePath: path, functions: Functions.all, options: .init(clock: clock))
/// clock.advance(by: .seconds(86_400))   // a day passes at once; due timers fire
/// ```
public final class TestClock: EngineClock {
    private struct Sleeper {
        let id: UInt64
        let deadline: Date
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
        var cancelled: Set<UInt64> = []
    }

    private let state: Mutex<State>

    /// 2026-01-01T00:00:00Z, where a test clock starts unless told otherwise.
    public static let defaultStart = Date(timeIntervalSince1970: 1_767_225_600)

    /// - Parameter now: Where the clock starts.
    public init(now: Date = TestClock.defaultStart) {
        state = Mutex(State(now: now))
    }

    /// The virtual time.
    public func now() -> Date { state.withLock { $0.now } }

    /// Returns when the clock is moved to `deadline` or past it; throws `CancellationError` if the task is cancelled.
    public func sleep(until deadline: Date) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Result<Void, any Error>? = state.withLock { state in
                    if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return nil
                }
                if let resumeNow { continuation.resume(with: resumeNow) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                if let index = state.sleepers.firstIndex(where: { $0.id == id }) { return state.sleepers.remove(at: index) }
                state.cancelled.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    public func advance(by duration: Duration) {
        advance(to: now().adding(duration))
    }

    /// Moves time to `date` (never backwards) and wakes every sleeper whose deadline has come.
    public func advance(to date: Date) {
        let due = state.withLock { state -> [Sleeper] in
            if date > state.now { state.now = date }
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// The earliest deadline anyone is sleeping until.
    public var nextDeadline: Date? {
        state.withLock { $0.sleepers.map(\.deadline).min() }
    }
}
