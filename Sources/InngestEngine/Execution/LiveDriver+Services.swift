import Foundation
import GRDB
import Inngest

extension LiveDriver {
    /// What a live driver uses of the engine that runs it, and nothing more: the driver
    /// commits its writes and takes turns through these, and never reaches the engine itself.
    struct Services: Sendable {
        let appID: String
        let clock: any EngineClock
        let backoff: Backoff
        let catalog: FunctionCatalog
        let registry: RunRegistry
        let concurrency: ConcurrencyLimiter
        let activity: ActivityTracker
        let interceptor: (any StepInterceptor)?
        let lifecycle: EngineLifecycle
        let metrics: EngineMetrics
        let tracer: ExecutionTracer?
        /// Ends a run in the caller's transaction (a step that must fail the whole run, as a signal conflict does).
        let endRun: @Sendable (_ runID: String, _ ending: RunEnding, _ database: Database, _ now: Date) throws -> Effects
        /// Writes in one transaction, then applies the effects the write returns.
        let commit: @Sendable (_ write: @escaping @Sendable (Database) throws -> Effects) async throws -> Void
    }
}

extension Engine {
    /// The services of the drivers this engine builds.
    var driverServices: LiveDriver.Services {
        LiveDriver.Services(
            appID: appID, clock: clock, backoff: options.backoff, catalog: catalog, registry: registry,
            concurrency: concurrency, activity: activity, interceptor: options.stepInterceptor, lifecycle: lifecycle, metrics: metrics, tracer: tracer,
            endRun: { [self] runID, ending, database, now in try endRun(runID, ending, in: database, now: now) },
            commit: { [self] write in try await commit(write) })
    }
}
