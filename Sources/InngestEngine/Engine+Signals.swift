import Foundation
import GRDB
import Inngest

extension Engine: SignalSender {
    /// Resumes the run whose `step.waitForSignal` holds `signal`: the step returns
    /// `{"signal": signal, "data": data}`. Returns that run's id once its result is on disk, or
    /// `nil` when no run waits for the signal (it is dropped, as on the Inngest server: a
    /// signal is not kept for a wait that starts later).
    ///
    /// Checked before anything is written: a non-empty name of at most
    /// `InngestLimits.maxSignalNameBytes` bytes, data of at most
    /// `InngestLimits.maxStepOutputBytes` bytes encoded, nested at most
    /// `InngestLimits.maxEventNesting` levels; else it throws ``InvalidSignal``.
    ///
    /// - Parameters:
    ///   - signal: The name a run waits on.
    ///   - data: What the resumed step receives.
    /// - Returns: The resumed run's id, or `nil` when no run waited.
    /// - Throws: ``InvalidSignal`` for a bad name or data; ``EngineError`` when the engine is not
    ///   running or the database refuses the write.
    @discardableResult
    public func sendSignal(_ signal: String, data: JSONValue) async throws -> String? {
        try InvalidSignal.check(signal, data: data)
        let now = clock.now()
        let memo = StepMemo.data(["signal": .string(signal), "data": data])
        activity.begin()
        defer { activity.end() }
        let (effects, runID) = try await database.write { database -> (Effects, String?) in
            guard let holder = try SignalWaits.holder(of: signal, at: now, in: database) else { return (Effects(), nil) }
            try SignalWaits.release(signal, runID: holder.runID, hashedID: holder.hashedID, in: database)
            try Timers.delete(.signalTimeout, runID: holder.runID, hashedID: holder.hashedID, in: database)
            guard try StepRecords.complete(runID: holder.runID, hashedID: holder.hashedID, memo: memo, in: database, now: now, from: .waiting) else {
                return (Effects(), nil)
            }
            try Runs.resume(holder.runID, in: database)
            var effects = Effects()
            effects.wakes.append((holder.runID, holder.hashedID, .resolved(memo)))
            return (effects, holder.runID)
        }
        apply(effects)
        return runID
    }
}
