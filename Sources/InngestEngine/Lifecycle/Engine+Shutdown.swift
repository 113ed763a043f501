import Foundation
import Inngest
import Logging
import ServiceLifecycle
import Synchronization

extension Engine: Service {
    /// Runs the engine as a service of a `ServiceGroup`: starts it, and on graceful shutdown
    /// (SIGTERM, say) stops it with ``shutdown()`` before returning.
    ///
    /// ```swift
    /// let engine = try Engine(appID: "shop", databasePath: "shop.sqlite", functions: Functions.all)
    /// let group = ServiceGroup(services: [app, engine], gracefulShutdownSignals: [.sigterm], logger: logger)
    /// try await group.run()
    /// ```
    ///
    /// Cancelled instead (no graceful shutdown), it stops without waiting for step bodies.
    public func run() async throws {
        try await start()
        try? await gracefulShutdown()
        await shutdown()
    }
}

extension Engine {
    /// Stops the engine gracefully and returns once it has stopped.
    ///
    /// From the call on, no run begins an execution or a new step and no timer fires. Step
    /// bodies in flight may finish, up to ``Options/shutdownGracePeriod`` on the engine's clock;
    /// each finished body's result is recorded, so it does not run again. Then later writes
    /// are refused (``EngineError/shutDown``) and the database's writer lock is released, so a
    /// new engine can open the file. Nothing accepted is lost: runs stopped between steps,
    /// parked runs and runs of events sent meanwhile go on when an engine next starts on the
    /// file. A body still running at the deadline runs again then (its result is not recorded).
    ///
    /// Calling it again, or while it runs, waits for the same shutdown.
    public func shutdown() async {
        guard lifecycle.beginShutdown() else {
            await lifecycle.waitUntilStopped()
            return
        }
        timerLoop.stop()
        gaugeSampler.withLock { $0?.cancel() }
        registry.shutDown()
        let gracePeriod = options.shutdownGracePeriod
        let drained = await waitForWorkInFlight(upTo: gracePeriod)
        stopNow()
        if drained {
            logger.info("engine stopped: work in flight finished")
        } else {
            logger.warning("engine stopped: step bodies still running after the grace period of \(gracePeriod) run again at the next start")
        }
    }

    /// Ends the engine at once: timers stop, parked runs unwind, writes are refused and the
    /// writer lock is released. What a shutdown does after its grace period.
    package func stopNow() {
        _ = lifecycle.beginShutdown()
        timerLoop.stop()
        gaugeSampler.withLock { $0?.cancel() }
        registry.shutDown()
        database.writer.close()
        writerLock.withLock { $0 = nil }
        lifecycle.markStopped()
        changes.finish()
    }

    /// Waits until no work is in flight, or the grace period has passed on the engine's clock.
    private func waitForWorkInFlight(upTo gracePeriod: Duration) async -> Bool {
        let (activity, clock) = (self.activity, self.clock)
        let deadline = clock.now().adding(gracePeriod)
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await activity.idle()
                return !Task.isCancelled
            }
            group.addTask {
                try? await clock.sleep(until: deadline)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
