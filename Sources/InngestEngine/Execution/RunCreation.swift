import Foundation
import GRDB
import Inngest

extension FunctionCatalog.Entry {
    /// Creates a run of this function in the caller's transaction. A run whose event lies in
    /// the future starts then (Inngest's delayed functions); any other starts right after the
    /// commit. It needs nothing of the engine but the write, so an event, a timer and a
    /// parent's `invoke` all create runs the same way.
    ///
    /// - Parameters:
    ///   - runID: the new run's id, when the caller needs it before the run exists (an invoke records it).
    ///   - traceHeaders: the trace context of the send or invoke that starts the run.
    ///   - startAt: a later start asked for by flow control (a throttle).
    func createRun(
        runID: String? = nil, events: [AnyEvent], eventID: String?, parent: String? = nil, traceHeaders: TraceHeaders = TraceHeaders(), in database: Database, now: Date,
        startAt requestedStart: Date? = nil, singletonKey: String? = nil, priority: Int64 = 0
    ) throws -> Effects {
        var effects = Effects()
        let runID = runID ?? ULID.make(at: now)
        // Compared in whole milliseconds, as `ts` is kept: an event stamped at this instant
        // (rounded to the nearest millisecond, so up to half of one ahead) is not in the future.
        let nowMilliseconds = now.milliseconds
        let eventTime = events.first?.ts.flatMap { $0 > nowMilliseconds ? Date(milliseconds: $0) : nil }
        let startAt = [eventTime, requestedStart].compactMap { $0 }.max()
        try Runs.insert(
            runID, functionID: key, delayed: startAt != nil, events: try StoredJSON.text(events), eventName: events.first?.name, eventID: eventID,
            parent: parent, singletonKey: singletonKey, priority: priority, traceHeaders: traceHeaders, at: now, in: database)
        let runEvent = try JSONCodec.shared.jsonValue(of: events.first)
        for (index, cancellation) in options.cancellations.enumerated() {
            let expires = cancellation.timeout.map { now.adding($0) }
            try Waits.insert(
                runID: runID, hashedID: "cancel:\(index)", kind: "cancel", eventName: cancellation.event,
                condition: cancellation.condition, runEvent: runEvent,
                expiresAt: expires ?? now.adding(InngestLimits.maxWait), in: database)
            if let expires {
                effects.addTimer(try Timers.insert(.cancelExpiry, due: expires, runID: runID, hashedID: "cancel:\(index)", in: database))
            }
        }
        if let startAt {
            effects.addTimer(try Timers.insert(.start, due: startAt, runID: runID, in: database))
            if let limit = options.startTimeout {
                effects.addTimer(try Timers.insert(.startTimeout, due: now.adding(limit), runID: runID, in: database))
            }
        } else {
            effects.addTimer(try insertStartedTimers(runID: runID, in: database, now: now))
            let fresh = LoadedRun(
                functionID: key, status: .running, events: events, attempt: 0, memo: [:], retryAttempts: [:],
                priority: priority, traceHeaders: traceHeaders)
            effects.starts.append(RunStart(runID: runID, fresh: fresh))
            effects.runsStarted.append(key)
        }
        return effects
    }

    /// Timers that start with a run's first attempt: `timeouts.finish`.
    func insertStartedTimers(runID: String, in database: Database, now: Date) throws -> Int64? {
        guard let limit = options.finishTimeout else { return nil }
        return try Timers.insert(.finishTimeout, due: now.adding(limit), runID: runID, in: database)
    }
}
