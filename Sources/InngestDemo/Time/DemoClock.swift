import Foundation
import InngestEngine
import Synchronization

/// Wall-clock time that the demo can jump forward.
///
/// Between jumps it ticks like the real clock, so step durations are real; a jump
/// ("time compression") lets a 24-hour wait or a retry backoff pass at once. The engine's
/// timer loop sleeps on this clock, so a jump wakes every sleeper whose deadline it passes.
final class DemoClock: EngineClock {
    private struct Sleeper {
        let deadline: Date
        let continuation: CheckedContinuation<Void, any Error>
        /// Wakes the sleeper when its deadline comes in wall time, if no jump reaches it first.
        var wallTimer: Task<Void, Never>?
    }

    private struct State {
        /// How far ahead of the wall clock this clock is.
        var offset: TimeInterval = 0
        var sleepers: [UInt64: Sleeper] = [:]
        var nextSleeperID: UInt64 = 0
        /// Sleepers cancelled before they were registered.
        var cancelledEarly: Set<UInt64> = []
    }

    private let state = Mutex(State())

    func now() -> Date { state.withLock { Date().addingTimeInterval($0.offset) } }

    /// How far ahead of the wall clock this clock runs.
    var offset: TimeInterval { state.withLock { $0.offset } }

    func sleep(until deadline: Date) async throws {
        let id = state.withLock { state in
            state.nextSleeperID += 1
            return state.nextSleeperID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeAtOnce: Result<Void, any Error>? = state.withLock { state in
                    if state.cancelledEarly.remove(id) != nil { return .failure(CancellationError()) }
                    if deadline <= Date().addingTimeInterval(state.offset) { return .success(()) }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return nil
                }
                if let resumeAtOnce {
                    continuation.resume(with: resumeAtOnce)
                } else {
                    armWallTimer(for: id)
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let sleeper = state.sleepers.removeValue(forKey: id) else {
                    state.cancelledEarly.insert(id)
                    return nil
                }
                return sleeper
            }
            sleeper?.wallTimer?.cancel()
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Jumps forward to `date` (never backwards) and wakes every sleeper it passes.
    func jump(to date: Date) {
        let (due, pending) = state.withLock { state -> ([Sleeper], [UInt64]) in
            let ahead = date.timeIntervalSince(Date().addingTimeInterval(state.offset))
            if ahead > 0 { state.offset += ahead }
            return (Self.takeDueSleepers(&state), Array(state.sleepers.keys))
        }
        wake(due)
        // The jump brought the remaining deadlines nearer in wall time: re-arm their timers.
        for id in pending { armWallTimer(for: id) }
    }

    private func armWallTimer(for id: UInt64) {
        let wallDelay = state.withLock { state -> TimeInterval? in
            guard let sleeper = state.sleepers[id] else { return nil }
            return sleeper.deadline.timeIntervalSince(Date().addingTimeInterval(state.offset))
        }
        guard let wallDelay else { return }
        let timer = Task { [self] in
            do {
                try await Task.sleep(for: .seconds(max(0, wallDelay)))
            } catch {
                return
            }
            fireWallTimer(for: id)
        }
        // Keep one timer per sleeper; if the sleeper woke meanwhile, the new timer is not needed.
        let obsolete = state.withLock { state -> Task<Void, Never>? in
            guard var sleeper = state.sleepers[id] else { return timer }
            let previous = sleeper.wallTimer
            sleeper.wallTimer = timer
            state.sleepers[id] = sleeper
            return previous
        }
        obsolete?.cancel()
    }

    private func fireWallTimer(for id: UInt64) {
        let due = state.withLock { Self.takeDueSleepers(&$0) }
        wake(due)
        // A timer may fire a hair early for the millisecond deadline; try again.
        if state.withLock({ $0.sleepers[id] != nil }) { armWallTimer(for: id) }
    }

    private static func takeDueSleepers(_ state: inout State) -> [Sleeper] {
        let now = Date().addingTimeInterval(state.offset)
        let dueIDs = state.sleepers.filter { $0.value.deadline <= now }.map(\.key)
        return dueIDs.compactMap { state.sleepers.removeValue(forKey: $0) }
    }

    private func wake(_ sleepers: [Sleeper]) {
        for sleeper in sleepers {
            sleeper.wallTimer?.cancel()
            sleeper.continuation.resume()
        }
    }
}
