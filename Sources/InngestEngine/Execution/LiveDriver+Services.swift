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
            commit: { [self] write in try await commit(write) })
    }
}
