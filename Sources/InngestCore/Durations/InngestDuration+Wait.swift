extension InngestDuration {
    /// Why a duration cannot be a wait (a sleep, or a `waitForEvent` or `invoke` timeout).
    package enum WaitProblem: Sendable, Hashable {
        /// Not a time string.
        case invalid(TimeStringError)
        /// Longer than ``InngestLimits/maxWait``, named by this written limit.
        case tooLong(limit: String)
    }

    /// The rule for waits, shared by the runtime (when the step is reached) and the build
    /// plugin (for a literal argument): a valid time string of at most 366 days.
    package var waitProblem: WaitProblem? {
        do {
            return try duration() > InngestLimits.maxWait ? .tooLong(limit: "366d") : nil
        } catch {
            return .invalid(error)
        }
    }
}
