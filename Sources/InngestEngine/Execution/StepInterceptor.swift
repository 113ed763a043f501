import Inngest

/// Stands in for steps a run reaches: how a test kit mocks a step or an invoke on the real
/// engine. An engine built for production has none.
package protocol StepInterceptor: Sendable {
    /// Called for each step a run reaches that has no recorded result, before the driver
    /// acts on it. Returns what to do instead (typically a run step of the same kind whose
    /// body gives the mocked result), or `nil` to do what the step asks.
    func replacement(for step: PendingStep, runID: String, functionID: String) -> StepOperation?
}
