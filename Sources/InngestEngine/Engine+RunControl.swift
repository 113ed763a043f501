import Foundation
import GRDB
import Inngest

/// Run control beyond a single cancel: rerun (from the start or from a step), invoke a
/// function by id, and cancel every live run matching a filter.
extension Engine {
    /// Starts a new run of `runID`'s function with the same events. From a step: the new run's
    /// record holds the original's results of every step that finished before that one, so
    /// those steps do not run again and the function resumes at the chosen step (Inngest's
    /// "rerun from step"). The new run's ``RunSummary/rerunOf`` names the original.
    ///
    /// - Parameters:
    ///   - runID: The run to rerun.
    ///   - hashedID: the step to rerun from (``StepSummary/hashedID``); `nil`: from the start.
    /// - Returns: the new run's id.
    /// - Throws: ``EngineError/unknownRun(_:)``; ``EngineError/unknownFunction(_:)`` if the
    ///   run's function is no longer registered; ``EngineError/unknownStep(runID:hashedID:)``.
    @discardableResult
    public func rerun(_ runID: String, fromStep hashedID: String? = nil) async throws -> String {
        let original = try await database.read { database -> (functionID: String, events: String, eventID: String?, trace: String?)? in
            try Runs.row(runID, in: database).map { ($0["function_id"], $0["events"], $0["event_id"], $0["trace_context"]) }
        }
        guard let original else { throw EngineError.unknownRun(runID) }
        let functionID = original.functionID
        guard let function = catalog[functionID] else {
            throw EngineError.invalidRequest(
                "run \(runID) cannot be rerun: its function \"\(functionID)\" is no longer registered with this engine")
        }
        let events = try StoredJSON.value([AnyEvent].self, from: original.events) ?? []
        let eventID = original.eventID
        let traceHeaders = TraceHeaders(stored: original.trace)
        let now = clock.now()
        let newRunID = ULID.make(at: now)
        try await commit { database in
            var reused = 0
            if let hashedID {
                guard
                    let position = try Row.fetchOne(
                        database, sql: "SELECT seq FROM steps WHERE run_id = ? AND hashed_id = ?", arguments: [runID, hashedID])
                else { throw EngineError.unknownStep(runID: runID, hashedID: hashedID) }
                // Steps that finished before the chosen one (all finished steps, when it never finished).
                let before: Int64 = position["seq"] ?? Int64.max
                try database.execute(
                    sql: """
                        INSERT INTO steps (run_id, hashed_id, user_id, idx, kind, status, attempts, started_at, ended_at, memo, seq, detail)
                        SELECT ?, hashed_id, user_id, idx, kind, status, attempts, started_at, ended_at, memo, seq, detail
                          FROM steps WHERE run_id = ? AND status IN (?, ?) AND seq < ?
                        """, arguments: [newRunID, runID, StepStatus.completed, StepStatus.failed, before])
                reused = database.changesCount
            }
            var effects = try function.createRun(
                runID: newRunID, events: events, eventID: eventID, traceHeaders: traceHeaders, in: database, now: now)
            try database.execute(sql: "UPDATE runs SET rerun_of = ? WHERE id = ?", arguments: [runID, newRunID])
            if reused > 0 {
                // The first execution reads the copied steps from the record instead of starting fresh.
                effects.starts = effects.starts.map { start in start.runID == newRunID ? RunStart(runID: newRunID) : start }
            }
            return effects
        }
        return newRunID
    }

    /// Starts a run of a function by id with `data` as its event's data, as another function's
    /// `invoke` would (the event is `inngest/function.invoked`; singleton, throttle and priority
    /// apply; the function needs no trigger for it).
    ///
    /// - Parameters:
    ///   - functionID: the composite id (`<app>-<function>`) or, for this engine's own
    ///     functions, the function's id.
    ///   - data: The event data the run starts with.
    /// - Returns: the new run's id.
    /// - Throws: ``EngineError/unknownFunction(_:)``; `InvalidEvent` for data that is not an
    ///   object or is over the event limits.
    @discardableResult
    public func invoke(_ functionID: String, data: JSONValue = [:]) async throws -> String {
        guard let function = catalog.entry(compositeID: functionID) ?? catalog[functionID] else {
            throw EngineError.unknownFunction(functionID)
        }
        // Checked as an event of the caller's (the reserved name is the engine's own).
        var checked = AnyEvent(name: "invoke", data: data)
        if case .null = data { checked.data = [:] }
        try AnyEvent.check([checked])
        var members = checked.data.objectValue ?? [:]
        let now = clock.now()
        members["_inngest"] = ["fn_id": .string(function.compositeID), "source_app_id": .string(appID)]
        let event = AnyEvent(name: InngestEventName.functionInvoked, data: .object(members), id: nil, ts: now.milliseconds, user: [:], v: nil)
        let eventID = ULID.make(at: now)
        let runID = ULID.make(at: now)
        let traceHeaders = tracer?.currentHeaders ?? TraceHeaders()
        try await commit { [self] database in
            try Events.insert(eventID, event, text: try StoredJSON.text(event), senderID: nil, at: now, in: database)
            return try startRun(of: function, events: [event], eventID: eventID, traceHeaders: traceHeaders, runID: runID, in: database, now: now)
        }
        return runID
    }

    /// Cancels every run matching `filter` that has not ended and, with a `condition`, whose
    /// event matches it (`event.data.userId == 'u1'`, as a `cancelOn`'s `if`): Inngest's bulk
    /// cancellation. Runs that end meanwhile are left as they ended.
    ///
    /// - Returns: the ids of the runs cancelled, oldest first.
    /// - Throws: ``EngineError/invalidRequest(_:)`` for a condition that does not parse.
    @discardableResult
    public func cancelRuns(matching filter: RunFilter, condition: String? = nil) async throws -> [String] {
        let expression: CELExpression?
        do {
            expression = try condition.map(CELExpression.init)
        } catch {
            throw EngineError.invalidRequest("the condition \(condition ?? "") is not a valid expression: \(error)")
        }
        let candidates = try await queries.liveRunIDs(matching: filter)
        var cancelled: [String] = []
        // Short transactions, so other writes go on between them.
        for chunk in stride(from: 0, to: candidates.count, by: 500).map({ candidates[$0..<min($0 + 500, candidates.count)] }) {
            let now = clock.now()
            let ids = Array(chunk)
            let ended = try await database.write { [self] database -> ([String], Effects) in
                var effects = Effects()
                var ended: [String] = []
                for runID in ids {
                    if let expression {
                        let events = try StoredJSON.value([AnyEvent].self, from: try Runs.events(ofRun: runID, in: database)) ?? []
                        guard expression.matches(["event": try JSONCodec.shared.jsonValue(of: events.first)]) else { continue }
                    }
                    let before = effects.runsEnded.count
                    effects.merge(try cancelRun(runID, in: database, now: now))
                    if effects.runsEnded.count > before { ended.append(runID) }
                }
                return (ended, effects)
            }
            apply(ended.1)
            cancelled += ended.0
        }
        return cancelled
    }
}
