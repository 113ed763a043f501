import Foundation

/// The data of `inngest/scheduled.timer`, the event that starts each run of a cron-triggered
/// function: its context is `Context<ScheduledTimer>`.
///
/// ```swift
/// @InngestFunction(id: "nightly-report", trigger: .cron("TZ=Europe/Paris 0 3 * * *"))
/// func nightlyReport(_ ctx: Context<ScheduledTimer>) async throws {
///     try await ctx.step.run("build") { try await buildReport(for: ctx.event.data.scheduledAt) }
/// }
/// ```
public struct ScheduledTimer: EventPayload, Hashable {
    /// `inngest/scheduled.timer`.
    public static let eventName = InngestEventName.scheduledTimer

    /// The schedule that fired, as the trigger writes it (with its `TZ=` prefix, if any).
    public var cron: String
    /// The time the schedule named. The embedded engine sends it; `nil` from a server that does not.
    public var scheduledAt: Date?
    /// When the run was started: later than ``scheduledAt`` when the engine was stopped at
    /// that time and fired the missed time once on its return.
    public var fireAt: Date?

    /// - Parameters:
    ///   - cron: The schedule as written.
    ///   - scheduledAt: The time the schedule named.
    ///   - fireAt: When the run started.
    public init(cron: String, scheduledAt: Date? = nil, fireAt: Date? = nil) {
        self.cron = cron
        self.scheduledAt = scheduledAt
        self.fireAt = fireAt
    }
}
