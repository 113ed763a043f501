import Foundation
import GRDB
import Inngest

/// How a run ended.
enum RunEnding: Sendable {
    case completed(JSONValue)
    case failed(SerializedError)
    case cancelled
}

extension Engine {
    /// Ends a run for good in the caller's transaction: records the ending, drops its timers
    /// and waits, emits Inngest's lifecycle events and resolves a parent's `invoke`.
    func endRun(_ runID: String, _ ending: RunEnding, in database: Database, now: Date) throws -> Effects {
        var effects = Effects()
        guard let run = try Runs.row(runID, in: database),
            let status = RunStatus(rawValue: run["status"]), !status.isFinal
        else { return effects }
        let final: RunStatus
        var output: String?
        var error: String?
        switch ending {
        case .completed(let value):
            final = .completed
            output = try StoredJSON.text(value)
        case .failed(let failure):
            final = .failed
            error = try StoredJSON.text(failure)
        case .cancelled:
            final = .cancelled
        }
        try Runs.end(runID, as: final, output: output, error: error, at: now, in: database)
        try Timers.delete(runID: runID, in: database)
        try Waits.remove(runID: runID, in: database)
        try SignalWaits.release(runID: runID, in: database)

        let functionID: String = run["function_id"]
        let created: Int64 = run["created_at"]
        effects.runsEnded.append((runID, functionID, final, now.timeIntervalSince(Date(milliseconds: created))))
        let events = try StoredJSON.value([AnyEvent].self, from: run["events"]) ?? []
        let parent: String? = run["parent"]
        var data: [String: JSONValue] = [
            "function_id": .string(compositeID(ofFunction: functionID)),
            "run_id": .string(runID),
            "event": try JSONCodec.shared.jsonValue(of: events.first),
            "events": try JSONCodec.shared.jsonValue(of: events),
        ]
        if let parent { data["correlation_id"] = .string(parent) }
        let failure: SerializedError?
        switch ending {
        case .completed(let value):
            data["result"] = value
            failure = nil
        case .failed(let error):
            failure = error
        case .cancelled:
            failure = SerializedError(name: "FunctionCancelledError", message: "function \"\(functionID)\" run \(runID) was cancelled")
        }
        if let failure { data["error"] = failure.json }
        // Failure handlers react to these; they are not emitted for a failure handler itself.
        if catalog[functionID]?.function.configuration.triggers.contains(where: { $0.eventName == FunctionFailed.eventName }) != true {
            if case .failed = ending {
                effects.merge(try emit(FunctionFailed.eventName, data: .object(data), id: runID, in: database, now: now))
            }
            if case .cancelled = ending {
                effects.merge(try emit(InngestEventName.functionCancelled, data: .object(data), id: runID, in: database, now: now))
            }
        }
        effects.merge(try emit(InngestEventName.functionFinished, data: .object(data), in: database, now: now))

        if let parent, let separator = parent.lastIndex(of: ".") {
            let parentRun = String(parent[..<separator])
            let hashedID = String(parent[parent.index(after: separator)...])
            let memo: StepMemo = failure.map(StepMemo.error) ?? .data(data["result"] ?? .null)
            effects.merge(try resolveInvoke(parentRun: parentRun, hashedID: hashedID, memo: memo, in: database, now: now))
        }
        return effects
    }

    /// Records an `invoke` step's result (the invoked run ended, or the wait timed out) and wakes its run.
    func resolveInvoke(parentRun: String, hashedID: String, memo: StepMemo, in database: Database, now: Date) throws -> Effects {
        var effects = Effects()
        guard try StepRecords.complete(runID: parentRun, hashedID: hashedID, memo: memo, in: database, now: now, from: .invoking) else { return effects }
        try Timers.delete(.invokeTimeout, runID: parentRun, hashedID: hashedID, in: database)
        try Runs.resume(parentRun, in: database)
        effects.wakes.append((parentRun, hashedID, .resolved(memo)))
        return effects
    }

    /// Cancels a run in the caller's transaction (no-op when it has ended).
    func cancelRun(_ runID: String, in database: Database, now: Date) throws -> Effects {
        var effects = try endRun(runID, .cancelled, in: database, now: now)
        effects.interrupts.append(runID)
        return effects
    }

    /// Cancels a run: its execution stops at its next step, nothing more of it runs, and
    /// `inngest/function.cancelled` is emitted. Cancelling an ended run does nothing.
    ///
    /// - Parameter runID: The run to cancel.
    /// - Throws: ``EngineError`` for an unknown run, or when the engine is not running.
    public func cancelRun(id runID: String) async throws {
        let now = clock.now()
        let exists = try await database.read { database in
            try Runs.exists(runID, in: database)
        }
        guard exists else { throw EngineError.unknownRun(runID) }
        try await commit { [self] database in try cancelRun(runID, in: database, now: now) }
    }
}
