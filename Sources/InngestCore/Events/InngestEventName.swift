/// The names of the events Inngest itself sends about runs.
package enum InngestEventName {
    /// A run failed for good; its function's `onFailure` handler runs on it.
    package static let functionFailed = "inngest/function.failed"
    /// A run ended, whatever its outcome.
    package static let functionFinished = "inngest/function.finished"
    /// A run was cancelled.
    package static let functionCancelled = "inngest/function.cancelled"
    /// The event that starts a run of a cron-triggered function.
    package static let scheduledTimer = "inngest/scheduled.timer"
    /// The event that starts a run invoked by another run or by run control.
    package static let functionInvoked = "inngest/function.invoked"
}
