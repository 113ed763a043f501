import Foundation
import GRDB
import Inngest

/// Flow control at the door: what an event does to a function before any run exists.
///
/// In order: an idempotency key or a rate limit may turn the event away (a `skipped` run
/// records why); debounce holds the event (the last one wins); batching collects it. When a
/// run is to start — now, or when a debounce or batch timer fires — a singleton may skip it
/// or cancel the run it replaces, and a throttle may delay its start.
extension Engine {
    /// Inngest clamps a priority expression's value to this many seconds either way.
    static let priorityLimit: Int64 = 43_200

    func admit(
        _ function: FunctionCatalog.Entry, event: AnyEvent, json: JSONValue, eventID: String,
        traceHeaders: TraceHeaders = TraceHeaders(), in database: Database, now: Date
    ) throws -> Effects {
        let options = function.options
        if let idempotency = options.idempotencyKey {
            let limiter = RateLimiter(scope: "idempotency:\(function.key)", emission: InngestLimits.idempotencyWindow.milliseconds, tolerance: 0)
            let key = FlowKey.of(idempotency, event: json)
            if try !limiter.admit(key, in: database, now: now) {
                return try skipRun(
                    of: function, events: [event], eventID: eventID, in: database, now: now,
                    reason: SerializedError(name: "Idempotent", message: "idempotency key \(key) already started a run in the last 24h"))
            }
        }
        if let rateLimit = options.rateLimit {
            let limiter = RateLimiter.window(scope: "ratelimit:\(function.key)", limit: rateLimit.limit, period: rateLimit.period)
            let key = FlowKey.of(rateLimit.key, event: json)
            if try !limiter.admit(key, in: database, now: now) {
                return try skipRun(
                    of: function, events: [event], eventID: eventID, in: database, now: now,
                    reason: SerializedError(
                        name: "RateLimited", message: "rate limit of \(rateLimit.limit) per \(rateLimit.periodText) reached for key \(key)"))
            }
        }
        if let debounce = options.debounce {
            return try hold(event, eventID: eventID, json: json, for: function, debounce: debounce, in: database, now: now)
        }
        if let batch = options.batch, batch.condition?.matches(["event": json]) ?? true {
            return try collect(event, eventID: eventID, json: json, for: function, batch: batch, in: database, now: now)
        }
        return try startRun(of: function, events: [event], eventID: eventID, traceHeaders: traceHeaders, in: database, now: now)
    }

    /// Creates the run unless a singleton skips it; cancels the run a singleton replaces;
    /// delays the start for a throttle.
    ///
    /// - Parameter runID: the id the run gets (or the skipped run that records why it did not).
    func startRun(
        of function: FunctionCatalog.Entry, events: [AnyEvent], eventID: String?, traceHeaders: TraceHeaders = TraceHeaders(),
        runID: String? = nil, in database: Database, now: Date
    ) throws -> Effects {
        var effects = Effects()
        let options = function.options
        let json = try JSONCodec.shared.jsonValue(of: events.first)
        var singletonKey: String?
        if let singleton = options.singleton {
            let key = FlowKey.of(singleton.key, event: json)
            singletonKey = key
            let active = try Runs.live(functionID: function.key, singletonKey: key, in: database)
            if !active.isEmpty {
                switch singleton.mode {
                case .skip:
                    return try skipRun(
                        of: function, events: events, eventID: eventID, runID: runID, in: database, now: now,
                        reason: SerializedError(
                            name: "SingletonSkipped", message: "run \(active[0]) of singleton key \(key) is still running"))
                case .cancel:
                    for runID in active { effects.merge(try cancelRun(runID, in: database, now: now)) }
                }
            }
        }
        var startAt: Date?
        if let throttle = options.throttle {
            let limiter = RateLimiter.smoothed(scope: "throttle:\(function.key)", limit: throttle.limit, period: throttle.period, burst: throttle.burst)
            let start = try limiter.schedule(FlowKey.of(throttle.key, event: json), in: database, now: now)
            if start > now { startAt = start }
        }
        var priority: Int64 = 0
        if let expression = options.priority, let value = try? expression.evaluate(["event": json]) {
            priority = min(max(value.integerValue ?? Int64(saturating: value.doubleValue ?? 0), -Self.priorityLimit), Self.priorityLimit)
        }
        effects.merge(
            try function.createRun(
                runID: runID, events: events, eventID: eventID, traceHeaders: traceHeaders, in: database, now: now,
                startAt: startAt, singletonKey: singletonKey, priority: priority))
        return effects
    }

    /// Records an event that started no run, with the reason, as a `skipped` run.
    private func skipRun(
        of function: FunctionCatalog.Entry, events: [AnyEvent], eventID: String?, runID: String? = nil, in database: Database, now: Date,
        reason: SerializedError
    ) throws -> Effects {
        let runID = runID ?? ULID.make(at: now)
        try Runs.insertSkipped(
            runID, functionID: function.key, events: try StoredJSON.text(events), eventName: events.first?.name, eventID: eventID,
            reason: try StoredJSON.text(reason), at: now, in: database)
        var effects = Effects()
        effects.runsEnded.append((runID, function.key, .skipped, nil))
        return effects
    }

    // MARK: Debounce

    private struct HeldKey: Codable, Sendable {
        var function: String
        var key: String
    }

    /// Keeps the latest event per key and (re)arms the timer: `period` after this event, but
    /// never later than `timeout` after the first held event.
    private func hold(
        _ event: AnyEvent, eventID: String, json: JSONValue, for function: FunctionCatalog.Entry, debounce: ResolvedOptions.Debounce,
        in database: Database, now: Date
    ) throws -> Effects {
        var effects = Effects()
        let key = FlowKey.of(debounce.key, event: json)
        let payload = try StoredJSON.text(HeldKey(function: function.key, key: key))
        let firstAt = try Debounces.firstAt(functionID: function.key, key: key, in: database) ?? now
        var due = now.adding(debounce.period)
        if let timeout = debounce.timeout { due = min(due, firstAt.adding(timeout)) }
        try Debounces.hold(
            functionID: function.key, key: key, event: try StoredJSON.text(event), eventID: eventID, firstAt: firstAt, due: due,
            in: database)
        try Timers.delete(.debounce, payload: payload, in: database)
        effects.addTimer(try Timers.insert(.debounce, due: due, runID: nil, payload: payload, in: database))
        return effects
    }

    /// The debounce timer fired: start a run with the latest held event.
    func releaseHeld(_ payload: String?, in database: Database, now: Date) throws -> Effects {
        guard let held = try StoredJSON.value(HeldKey.self, from: payload), let function = catalog[held.function],
            let taken = try Debounces.take(functionID: held.function, key: held.key, in: database),
            let event = try StoredJSON.value(AnyEvent.self, from: taken.event)
        else { return Effects() }
        return try startRun(of: function, events: [event], eventID: taken.eventID, in: database, now: now)
    }

    // MARK: Batching

    /// Adds the event to its key's batch; a full batch starts a run at once, a new batch arms
    /// the timeout that starts it however full it is.
    private func collect(
        _ event: AnyEvent, eventID: String, json: JSONValue, for function: FunctionCatalog.Entry, batch: ResolvedOptions.Batch,
        in database: Database, now: Date
    ) throws -> Effects {
        var effects = Effects()
        let key = FlowKey.of(batch.key, event: json)
        let payload = try StoredJSON.text(HeldKey(function: function.key, key: key))
        let current = try Batches.current(functionID: function.key, key: key, in: database)
        let events = (try StoredJSON.value([AnyEvent].self, from: current?.events) ?? []) + [event]
        let eventIDs = (try StoredJSON.value([String].self, from: current?.eventIDs) ?? []) + [eventID]
        if events.count >= batch.maxSize {
            try Batches.remove(functionID: function.key, key: key, in: database)
            try Timers.delete(.batch, payload: payload, in: database)
            return try startRun(of: function, events: events, eventID: eventIDs.first, in: database, now: now)
        }
        try Batches.save(
            functionID: function.key, key: key, events: try StoredJSON.text(events), eventIDs: try StoredJSON.text(eventIDs), at: now,
            in: database)
        if current == nil {
            effects.addTimer(try Timers.insert(.batch, due: now.adding(batch.timeout), runID: nil, payload: payload, in: database))
        }
        return effects
    }

    /// The batch timer fired: start a run with whatever the batch holds.
    func releaseBatch(_ payload: String?, in database: Database, now: Date) throws -> Effects {
        guard let held = try StoredJSON.value(HeldKey.self, from: payload), let function = catalog[held.function],
            let current = try Batches.current(functionID: held.function, key: held.key, in: database),
            let events = try StoredJSON.value([AnyEvent].self, from: current.events), !events.isEmpty
        else { return Effects() }
        try Batches.remove(functionID: held.function, key: held.key, in: database)
        let eventIDs = try StoredJSON.value([String].self, from: current.eventIDs) ?? []
        return try startRun(of: function, events: events, eventID: eventIDs.first, in: database, now: now)
    }
}
