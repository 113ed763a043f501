import Foundation
import GRDB
import Inngest

extension Engine: EventSender {
    /// Sends events: each is stored, starts every function it triggers, satisfies matching
    /// `waitForEvent` steps and cancels matching runs. Returns the internal event ids, in order,
    /// once all of that is on disk.
    ///
    /// Checked before anything is stored (one bad event rejects the whole send, so a retry
    /// cannot duplicate the good ones): at most 5,000 events, each at most 512 KiB encoded and
    /// nested at most 256 levels (`InngestLimits.maxEventNesting`), names non-empty and not
    /// in the reserved `inngest/` namespace, `data` and `user` objects (or absent), `ts` within
    /// `InngestLimits.timestamps` (or absent or 0: now); else it throws `InvalidEvent`.
    ///
    /// Called inside a step body, the send is one of that step's: its ids derive from the run
    /// and step as for `step.sendEvent`, so a retried body does not send twice.
    ///
    /// - Parameter events: The events to send.
    /// - Returns: The events' internal ids, in order.
    /// - Throws: `InvalidEvent` for an event that breaks the rules above;
    ///   ``EngineError`` when the engine is not running or the database refuses the write.
    @discardableResult
    public func send(_ events: [AnyEvent]) async throws -> [String] {
        try await send(events, origin: StepExecution.nextSendOrigin())
    }

    /// Sends events for `step.sendEvent`: their ids derive from the run, the step and the
    /// send, so a replay that sends again finds the events already stored and starts nothing twice.
    ///
    /// - Parameters:
    ///   - events: The events to send.
    ///   - origin: The run, step and send they come from.
    /// - Returns: The events' internal ids, in order.
    /// - Throws: As ``send(_:)-([AnyEvent])``.
    public func send(_ events: [AnyEvent], from origin: EventSendOrigin) async throws -> [String] {
        try await send(events, origin: Optional(origin))
    }

    /// Sends events that came with trace fields of their own (an event API request's
    /// `traceparent`): the runs they start continue that trace.
    package func send(_ events: [AnyEvent], traceHeaders: TraceHeaders) async throws -> [String] {
        try await send(events, origin: nil, traceHeaders: traceHeaders)
    }

    private func send(_ events: [AnyEvent], origin: EventSendOrigin?, traceHeaders given: TraceHeaders? = nil) async throws -> [String] {
        let now = clock.now()
        let events = middleware.isEmpty ? events : try await middleware.transformSentEvents(events)
        let prepared = try prepare(events, now: now)
        // The runs these events start continue the sender's trace.
        // Given fields are read, then written again: only what the tracer propagates is kept.
        let traceHeaders =
            tracer.map { tracer in
                given.map { TraceHeaders(injecting: $0.context(with: tracer.tracer), with: tracer.tracer) } ?? tracer.currentHeaders
            } ?? TraceHeaders()
        let ids: [String]
        if let origin {
            ids = prepared.indices.map {
                "evt-" + String(StepIdentity.hash("\(origin.runID)/\(origin.stepID)/\(origin.sendIndex)/\($0)").prefix(26))
            }
        } else {
            ids = prepared.map { _ in ULID.make(at: now) }
        }
        try await commit { [self] database in
            var effects = Effects()
            for ((event, text), id) in zip(prepared, ids) {
                effects.merge(try ingest(event, text: text, id: id, traceHeaders: traceHeaders, in: database, now: now))
            }
            return effects
        }
        metrics.recordEventsReceived(ids.count)
        return ids
    }

    /// Sends one typed event and returns its internal id.
    ///
    /// - Parameter event: The event to send.
    /// - Returns: The event's internal id.
    /// - Throws: As ``send(_:)-([AnyEvent])``.
    @discardableResult
    public func send<Payload: Codable & Sendable>(_ event: Event<Payload>) async throws -> String {
        try await send([event.erased()])[0]
    }

    /// The events as they are stored, each with its JSON text.
    private func prepare(_ events: [AnyEvent], now: Date) throws -> [(AnyEvent, String)] {
        try AnyEvent.check(events)
        return try events.enumerated().map { index, event in
            var event = event
            switch event.data {
            case .null: event.data = [:]
            case .object(var data):
                // Inngest reserves `data._inngest` for its own metadata.
                data.removeValue(forKey: "_inngest")
                event.data = .object(data)
            default: break  // refused by the check above
            }
            if event.ts == nil || event.ts == 0 { event.ts = now.milliseconds }
            if event.user == nil || event.user == .null { event.user = [:] }
            let text = try StoredJSON.text(event)
            if text.utf8.count > InngestLimits.maxEventBytes {
                throw InvalidEvent(index: index, problem: .tooLarge(bytes: text.utf8.count, limit: InngestLimits.maxEventBytes))
            }
            return (event, text)
        }
    }

    /// Stores one event and does everything it causes, in the caller's transaction.
    func ingest(
        _ event: AnyEvent, text: String? = nil, id: String, traceHeaders: TraceHeaders = TraceHeaders(), in database: Database, now: Date
    ) throws -> Effects {
        var effects = Effects()
        let json = event.jsonTree()
        // Already stored: an earlier send of the same step did all of this.
        guard try Events.insert(id, event, text: text ?? StoredJSON.text(event), senderID: event.id, at: now, in: database) else { return effects }

        if try isDuplicate(senderID: event.id, in: database, now: now) { return effects }
        for functionID in catalog.functions(startedBy: event.name, event: json) {
            guard let function = catalog[functionID] else { continue }
            effects.merge(try admit(function, event: event, json: json, eventID: id, traceHeaders: traceHeaders, in: database, now: now))
        }
        effects.merge(try matchWaits(for: event, json: json, in: database, now: now))
        return effects
    }

    /// Inngest's event idempotency: a sender's event id starts functions once per 24 hours.
    private func isDuplicate(senderID: String?, in database: Database, now: Date) throws -> Bool {
        guard let senderID, !senderID.isEmpty else { return false }
        return try Events.wasSeen(senderID: senderID, at: now, in: database)
    }

    /// Stores an event the engine itself emits (function lifecycle, cron) and its consequences.
    func emit(_ name: String, data: JSONValue, id: String? = nil, in database: Database, now: Date) throws -> Effects {
        let event = AnyEvent(name: name, data: data, id: id, ts: now.milliseconds, user: [:], v: nil)
        return try ingest(event, id: ULID.make(at: now), in: database, now: now)
    }

    /// Satisfies waits and triggers cancellations that `event` matches, found through the
    /// (event name, match path, value) index; only waits without a match are evaluated one by one.
    private func matchWaits(for event: AnyEvent, json: JSONValue, in database: Database, now: Date) throws -> Effects {
        var effects = Effects()
        for wait in try Waits.candidates(for: event.name, json: json, at: now, in: database) {
            let runID: String = wait["run_id"]
            let hashedID: String = wait["hashed_id"]
            if let condition: String = wait["condition"] {
                let runEvent = try StoredJSON.value(JSONValue.self, from: wait["run_event"]) ?? .null
                guard waitConditions.expression(condition)?.matches(["event": runEvent, "async": json]) == true else { continue }
            }
            let kind: String = wait["kind"]
            if kind == "cancel" {
                effects.merge(try cancelRun(runID, in: database, now: now))
                continue
            }
            guard try Waits.remove(runID: runID, hashedID: hashedID, in: database) else { continue }
            try Timers.delete(.waitTimeout, runID: runID, hashedID: hashedID, in: database)
            let memo = StepMemo.value(json)
            try StepRecords.complete(runID: runID, hashedID: hashedID, memo: memo, in: database, now: now)
            try Runs.resume(runID, in: database)
            effects.wakes.append((runID, hashedID, .resolved(memo)))
        }
        return effects
    }
}
