import Synchronization

/// Counts work in flight inside the engine (handler jobs, pending writes, timer passes) so
/// that ``Engine/settle()`` can wait until nothing more happens without advancing time.
///
/// Every job of every run passes through here, so the count is an atomic; the lock is
/// taken only when the count reaches zero or someone waits.
final class ActivityTracker: Sendable {
    private let inFlight = Atomic<Int>(0)
    private let waiters = Mutex<(next: Int, waiting: [Int: CheckedContinuation<Void, Never>])>((0, [:]))

    func begin() { inFlight.wrappingAdd(1, ordering: .sequentiallyConsistent) }

    func end() {
        let remaining = inFlight.wrappingSubtract(1, ordering: .sequentiallyConsistent).newValue
        guard remaining == 0 else { return }
        let ready = waiters.withLock { waiters in
            defer { waiters.waiting = [:] }
            return waiters.waiting.values
        }
        for waiter in ready { waiter.resume() }
    }

    /// Returns once no work is in flight, or when the task is cancelled.
    func idle() async {
        let ticket = waiters.withLock { waiters in
            defer { waiters.next += 1 }
            return waiters.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = waiters.withLock { waiters -> Bool in
                    // Checked under the lock `end` takes at zero, so a waiter is never missed.
                    if inFlight.load(ordering: .sequentiallyConsistent) == 0 || Task.isCancelled { return true }
                    waiters.waiting[ticket] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            waiters.withLock { $0.waiting.removeValue(forKey: ticket) }?.resume()
        }
    }

    var isIdle: Bool { inFlight.load(ordering: .sequentiallyConsistent) == 0 }
}
