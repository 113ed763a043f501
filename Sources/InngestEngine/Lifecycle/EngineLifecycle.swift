import Synchronization

/// Where an engine is in its life, readable without a lock at every step a run takes.
///
/// `created` → `running` (``Engine/start()``) → `draining` (``Engine/shutdown()`` began: no
/// new execution or step is taken; step bodies in flight finish) → `stopped` (writes refused,
/// the writer lock released).
final class EngineLifecycle: Sendable {
    enum Phase: UInt8 {
        case created, running, draining, stopped
    }

    private let phase = Atomic<UInt8>(Phase.created.rawValue)
    private let stoppedWaiters = Mutex<[CheckedContinuation<Void, Never>]?>([])

    var current: Phase { Phase(rawValue: phase.load(ordering: .acquiring)) ?? .stopped }

    /// Whether runs may begin executions and steps: not once a shutdown has begun.
    var acceptsWork: Bool { phase.load(ordering: .acquiring) < Phase.draining.rawValue }

    /// Moves from `created` to `running`; false if the engine was started before (or shut down).
    func markRunning() -> Bool {
        phase.compareExchange(expected: Phase.created.rawValue, desired: Phase.running.rawValue, ordering: .acquiringAndReleasing).exchanged
    }

    /// Moves to `draining`; false if a shutdown had begun already (its caller finishes it).
    func beginShutdown() -> Bool {
        while true {
            let value = phase.load(ordering: .acquiring)
            if value >= Phase.draining.rawValue { return false }
            if phase.compareExchange(expected: value, desired: Phase.draining.rawValue, ordering: .acquiringAndReleasing).exchanged { return true }
        }
    }

    /// The shutdown is complete: wakes everyone waiting in ``waitUntilStopped()``.
    func markStopped() {
        phase.store(Phase.stopped.rawValue, ordering: .releasing)
        let waiters = stoppedWaiters.withLock { waiters in
            defer { waiters = nil }
            return waiters ?? []
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the engine has stopped (for a second caller of ``Engine/shutdown()``).
    func waitUntilStopped() async {
        await withCheckedContinuation { continuation in
            let stopped = stoppedWaiters.withLock { waiters -> Bool in
                guard waiters != nil else { return true }
                waiters?.append(continuation)
                return false
            }
            if stopped { continuation.resume() }
        }
    }
}
