/// What `step.waitForSignal` does when another wait already holds the same signal name.
///
/// A signal name resolves one wait at a time, as on the Inngest server.
public enum SignalConflict: String, Sendable, Hashable, Codable, CaseIterable {
    /// The run that starts the second wait fails (Inngest's default).
    case fail
    /// The new wait takes the signal over; the earlier one no longer receives it and ends at its timeout.
    case replace
}

/// A `waitForSignal` step's parameters.
package struct WaitForSignalRequest: Sendable, Hashable {
    package let signal: String
    /// Validated: at most 366 days.
    package let timeout: InngestDuration
    package let conflict: SignalConflict

    package init(signal: String, timeout: InngestDuration, conflict: SignalConflict) {
        self.signal = signal
        self.timeout = timeout
        self.conflict = conflict
    }

    /// Why `signal` cannot name a signal: empty, or longer than ``/InngestCore/InngestLimits/maxSignalNameBytes``.
    package static func problem(ofName signal: String) -> StepUsageError.Problem? {
        let bytes = signal.utf8.count
        guard bytes == 0 || bytes > InngestLimits.maxSignalNameBytes else { return nil }
        return .invalidSignalName(bytes: bytes, limit: InngestLimits.maxSignalNameBytes)
    }
}
