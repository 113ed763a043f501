import Foundation
import Inngest

/// What a committed write asks the engine to do next, applied only after the commit so
/// that nothing acts on state that could still roll back.
struct Effects: Sendable {
    /// Runs to execute: new ones (with their events, no read needed) or replays.
    var starts: [RunStart] = []
    /// Parked steps whose result is now durable.
    var wakes: [(runID: String, hashedID: String, wake: Wake)] = []
    /// Runs that were cancelled: stop their executions.
    var interrupts: [String] = []
    /// The earliest timer this write added, to wake the timer loop if it sleeps past it.
    var earliestTimer: Int64?
    /// The retention timer fired: delete history past the retention period.
    var sweepHistory = false
    /// For metrics: functions of runs that started, and runs that ended (with how long they took).
    var runsStarted: [String] = []
    var runsEnded: [(runID: String, functionID: String, status: RunStatus, duration: TimeInterval?)] = []

    mutating func merge(_ other: Effects) {
        sweepHistory = sweepHistory || other.sweepHistory
        runsStarted += other.runsStarted
        runsEnded += other.runsEnded
        starts += other.starts
        wakes += other.wakes
        interrupts += other.interrupts
        addTimer(other.earliestTimer)
    }

    mutating func addTimer(_ due: Int64?) {
        guard let due else { return }
        earliestTimer = min(earliestTimer ?? due, due)
    }
}

/// A run to execute. `fresh` carries what a just-created run needs, so its first execution
/// does not read the database.
struct RunStart: Sendable {
    let runID: String
    var fresh: LoadedRun?
    /// Executions in a row that stopped because the store failed: paces the next try.
    var storeFailures = 0
}

/// A run's durable state, as an execution needs it.
struct LoadedRun: Sendable {
    var functionID: String
    var status: RunStatus
    var events: [AnyEvent]
    var attempt: Int
    var memo: [String: StepMemo]
    /// The hashed ids of `memo` in the order the steps finished.
    var order: [String] = []
    /// Failed attempts so far of steps waiting for a retry.
    var retryAttempts: [String: Int]
    /// The highest completion number among the run's recorded steps.
    var completedSteps: Int = 0
    /// Seconds of queue advantage from the function's `priority` expression.
    var priority: Int64 = 0
    /// The trace context the run continues (of the send or invoke that started it).
    var traceHeaders = TraceHeaders()
}
