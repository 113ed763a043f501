import Foundation

/// Decides what happens when a handler reaches a step that has no recorded result.
///
/// This is the seam between the one executor core and the ways to drive it:
/// - the replay driver (``Executor``, the wire protocol) reports new steps as ops and ends
///   the request by throwing ``ExecutionInterrupted``;
/// - a live driver (the embedded engine) runs the step, makes its result durable and
///   returns it, so the handler continues without a replay.
///
/// Step ids, memo lookups, the JSON codec, nesting checks and limits are the core's
/// (``StepExecution``); a driver only decides about new steps.
package protocol StepDriver: Sendable {
    /// Resolves a new step to its recorded result, or throws to stop the handler at this step.
    func resolve(_ step: PendingStep, in execution: StepExecution) async throws -> StepMemo

    /// The driver's time: a live driver's is its engine's clock, virtual in tests.
    var now: Date { get }

    /// Runs `work` as a step body would run: holding the run's concurrency slots, where the
    /// driver has any. A handler that calls out to do a step's work (a function of another
    /// app, asked to run its next step) takes its turn this way.
    func withStepAdmission<T: Sendable>(_ work: @Sendable () async -> T) async -> T

    /// Records a `run` step that already ran elsewhere and succeeded (an app checkpointed it
    /// during a call): no body runs and no concurrency slot is taken, since the call that ran
    /// it holds the run's.
    func record(ranStep step: PendingStep, output: JSONValue, in execution: StepExecution) async throws -> StepMemo
}

extension StepDriver {
    package func record(ranStep step: PendingStep, output: JSONValue, in execution: StepExecution) async throws -> StepMemo {
        try await resolve(step, in: execution)
    }

    package var now: Date { Date() }

    package func withStepAdmission<T: Sendable>(_ work: @Sendable () async -> T) async -> T { await work() }
}

/// Thrown into a handler's step calls once its execution has ended (its request was
/// answered, or its run was parked or evicted). Not an error of the function: the run
/// continues in a later execution.
package struct ExecutionInterrupted: Error, Sendable, CustomStringConvertible {
    package init() {}
    package var description: String { "the execution ended at an earlier step; this run continues in a later execution" }
}
