import Foundation
import GRDB
import Inngest

extension SignalWaits {
    /// What parking a `waitForSignal` step writes: the step takes the signal name and a timer
    /// ends the wait. When another step holds the name and the wait does not replace it, the
    /// run fails without retries instead, as on the Inngest server.
    static func schedule(
        _ request: WaitForSignalRequest, expires: Date, now: Date,
        endRun: @escaping @Sendable (String, RunEnding, Database, Date) throws -> Effects
    ) -> @Sendable (Database, String, StepIdentity) throws -> Effects {
        { database, runID, identity in
            if request.conflict == .fail, let holder = try holder(of: request.signal, at: now, in: database),
                holder.runID != runID || holder.hashedID != identity.hashedID
            {
                let error = SerializedError.signalConflict(request.signal, heldBy: holder.runID)
                try StepRecords.complete(runID: runID, hashedID: identity.hashedID, memo: .error(error), in: database, now: now)
                var effects = try endRun(runID, .failed(error), database, now)
                // Stops this execution: nothing after the wait runs, nothing more is recorded.
                effects.interrupts.append(runID)
                return effects
            }
            try hold(request.signal, runID: runID, hashedID: identity.hashedID, expiresAt: expires, in: database)
            return try Timers.insertReturningDue(.signalTimeout, due: expires, runID: runID, hashedID: identity.hashedID, in: database)
        }
    }
}

extension SerializedError {
    /// The Inngest server's error for a second wait on a signal name, with the name and its holder.
    static func signalConflict(_ signal: String, heldBy runID: String) -> SerializedError {
        SerializedError(
            name: "Error",
            message: "Signal conflict; signal wait already exists for another run: run \(runID) waits for signal \"\(signal)\" (onConflict: replace takes the name over)")
    }
}
