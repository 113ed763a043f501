import Synchronization

/// Counts work in flight inside the engine (handler jobs, pending writes, timer passes) so
/// that ``Engine/settle()`` can wait until nothing more happens without advancing time.
///
/// Every job of every run passes through here, so the count is an atomic; the lock is
/// taken only when the count reaches zero or someone waits.
final class ActivityTracker: Sendable {
    private let inFlight = Atomic<Int>(0)
    private let waiters = Mutex<[CheckedContinuation<Void, Never>]>([])

    func begin() { inFlight.wrappingAdd(1, ordering: .sequentiallyConsistent) }

    func end() {
        let remaining = inFlight.wrappingSubtract(1, ordering: .sequentiallyConsistent).newValue
        guard remaining == 0 else { return }
        let ready = waiters.withLock { waiters in
            defer { waiters = [] }
            return waiters
        }
        for waiter in ready { waiter.resume() }
    }

    /// Returns once no work is in flight.
    func idle() async {
        await withCheckedContinuation { continuation in
            let now = waiters.withLock { waiters -> Bool in
                // Checked under the lock `end` takes at zero, so a waiter is never missed.
                if inFlight.load(ordering: .sequentiallyConsistent) == 0 { return true }
                waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    var isIdle: Bool { inFlight.load(ordering: .sequentiallyConsistent) == 0 }
}
