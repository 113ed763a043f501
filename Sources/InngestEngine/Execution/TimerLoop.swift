import Foundation
import Inngest
import Synchronization

/// Sleeps until the earliest timer is due, fires what is due, and sleeps again. A write
/// that adds an earlier timer nudges it awake.
final class TimerLoop: Sendable {
    private struct State {
        var task: Task<Void, Never>?
        var waiter: CheckedContinuation<Void, Never>?
        var sleeper: Task<Void, Never>?
        var deadline: Int64?
        var nudged = false
        var firing = false
        var stopped = false
    }

    private let clock: any EngineClock
    private let state = Mutex(State())

    init(clock: any EngineClock) {
        self.clock = clock
    }

    /// Starts the loop; `fire` handles every due timer and returns the next due time (ms), if any.
    func start(fire: @escaping @Sendable () async -> Int64?) {
        // Firing from the call on: until the first pass has read the store, no one may think
        // there is nothing due (timers a previous process left are not known before it).
        state.withLock { $0.firing = true }
        let task = Task {
            while !state.withLock({ $0.stopped }) {
                state.withLock { $0.firing = true }
                let next = await fire()
                // `firing` stays set until the wait below is registered, so `hasDueWork` has no gap.
                await wait(until: next)
            }
        }
        state.withLock { $0.task = task }
    }

    func stop() {
        let (task, waiter, sleeper) = state.withLock { state in
            state.stopped = true
            defer {
                state.waiter = nil
                state.sleeper = nil
            }
            return (state.task, state.waiter, state.sleeper)
        }
        sleeper?.cancel()
        waiter?.resume()
        task?.cancel()
    }

    /// A timer due at `due` (ms) was added.
    func nudge(_ due: Int64) {
        let wake = state.withLock { state -> Bool in
            guard state.waiter != nil else {
                state.nudged = true
                return false
            }
            if let deadline = state.deadline, deadline <= due { return false }
            return true
        }
        if wake { wakeLoop() }
    }

    /// When the loop will next wake on its own (ms), if it is waiting for a timer.
    var deadline: Int64? { state.withLock { $0.deadline } }

    /// True while a pass is running or a timer is due and not yet fired.
    func hasDueWork(now: Date) -> Bool {
        state.withLock { state in
            if state.stopped { return false }
            if state.firing || state.nudged { return true }
            // Compared as the loop sleeps (until the deadline as a date): rounding `now` to
            // milliseconds could call a timer due that the clock does not wake yet.
            if let deadline = state.deadline { return Date(milliseconds: deadline) <= now }
            return false
        }
    }

    private func wait(until due: Int64?) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.nudged || state.stopped {
                    state.nudged = false
                    return true
                }
                state.waiter = continuation
                state.deadline = due
                state.firing = false
                return false
            }
            if resumeNow {
                continuation.resume()
                return
            }
            if let due {
                let sleeper = Task { [clock] in
                    do {
                        try await clock.sleep(until: Date(milliseconds: due))
                        self.wakeLoop()
                    } catch {}
                }
                state.withLock { state in
                    if state.waiter != nil { state.sleeper = sleeper } else { sleeper.cancel() }
                }
            }
        }
    }

    private func wakeLoop() {
        let (waiter, sleeper) = state.withLock { state in
            let taken = (state.waiter, state.sleeper)
            // Counted as firing from now on, so `hasDueWork` sees no gap before the pass starts.
            if taken.0 != nil { state.firing = true }
            state.waiter = nil
            state.sleeper = nil
            state.deadline = nil
            return taken
        }
        sleeper?.cancel()
        waiter?.resume()
    }
}
