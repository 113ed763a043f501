import Foundation

/// The step tools of a run: `ctx.step`.
///
/// Each call is a durable checkpoint identified by its id. A step that already has a
/// recorded result returns it at once (its code does not run again); a new step is
/// handed to the engine. Ids must be stable between executions: use string literals
/// (the build plugin warns otherwise). The same id used again, e.g. in a loop, gets
/// Inngest's repeat counter.
///
/// Steps may run in parallel with `async let` or a task group. A step cannot be called
/// inside another step's body.
public struct Step: Sendable {
    let execution: StepExecution

    package init(execution: StepExecution) {
        self.execution = execution
    }

    // MARK: run

    /// Runs `body` once and records its result; later executions return the recorded result.
    ///
    /// The result always passes through the JSON codec (see `JSONCodec`), also in the
    /// execution that computed it, so it is the same value every time. A thrown error is
    /// retried up to the function's retries; ``NonRetriableError`` fails the step at once.
    /// A step that failed for good throws ``StepError``.
    ///
    /// - Parameters:
    ///   - id: The step's id, unique within the function; its record is found by it.
    ///   - name: A display name for dashboards; the id when `nil`.
    ///   - body: The code to run once. It may be `async` and throw.
    /// - Returns: The body's result, decoded from its record.
    /// - Throws: ``StepError`` when the step failed for good, ``StepUsageError`` when the step
    ///   is misused (called inside another step, or its result cannot be encoded or decoded).
    @discardableResult
    public func run<Output: Codable & Sendable>(
        _ id: String, name: String? = nil, _ body: @escaping @Sendable () async throws -> Output
    ) async throws -> Output {
        let (identity, memo) = try await execution.perform(id, displayName: name) { identity in
            .run(RunStep(body: execution.body(of: identity, body)))
        }
        switch memo {
        case .data(let value), .value(let value):
            return try StepExecution.decode(Output.self, from: try await execution.output(value, of: identity, kind: .run), of: identity)
        case .error(let error):
            throw StepError(stepID: id, error: error)
        }
    }

    /// Runs `body` once; later executions skip it.
    ///
    /// - Parameters:
    ///   - id: The step's id, unique within the function; its record is found by it.
    ///   - name: A display name for dashboards; the id when `nil`.
    ///   - body: The code to run once. It may be `async` and throw.
    /// - Throws: ``StepError`` when the step failed for good, ``StepUsageError`` when the step
    ///   is misused.
    public func run(_ id: String, name: String? = nil, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let (identity, memo) = try await execution.perform(id, displayName: name) { identity in
            .run(
                RunStep(
                    body: execution.body(of: identity) {
                        try await body()
                        return JSONValue.null
                    }))
        }
        switch memo {
        case .data(let value), .value(let value):
            // Read like any output, so a middleware's decoding fails here too if it must.
            _ = try await execution.output(value, of: identity, kind: .run)
        case .error(let error):
            throw StepError(stepID: id, error: error)
        }
    }

    // MARK: sleep

    /// Pauses the run for `duration`, given as a time string (`"30s"`, `"1h30m"`, `"2.5d"`,
    /// `"1 hour"`) or `.minutes(5)`. At most 366 days.
    ///
    /// - Parameters:
    ///   - id: The step's id, unique within the function.
    ///   - duration: How long to pause.
    /// - Throws: ``StepUsageError`` for a duration past 366 days.
    public func sleep(_ id: String, _ duration: InngestDuration) async throws {
        try Self.checkWait(duration, field: "sleep", stepID: id)
        _ = try await execution.perform(id, displayName: nil) { _ in .sleep(.duration(duration)) }
    }

    /// Pauses the run for a Swift `Duration`. At most 366 days.
    ///
    /// - Parameters:
    ///   - id: The step's id, unique within the function.
    ///   - duration: How long to pause.
    /// - Throws: ``StepUsageError`` for a duration past 366 days.
    public func sleep(_ id: String, for duration: Duration) async throws {
        try await sleep(id, InngestDuration(duration))
    }

    /// Pauses the run until `date`; a date in the past continues at once.
    ///
    /// - Parameters:
    ///   - id: The step's id, unique within the function.
    ///   - date: When the run goes on.
    /// - Throws: ``StepUsageError`` when the step is misused.
    public func sleepUntil(_ id: String, _ date: Date) async throws {
        _ = try await execution.perform(id, displayName: nil) { _ in .sleep(.date(date)) }
    }

    // MARK: waitForEvent

    /// Waits for an event named `event`, returning it, or `nil` when `timeout` passes first.
    ///
    /// - Parameters:
    ///   - id: The step's id, unique within the function.
    ///   - event: The name of the awaited event.
    ///   - timeout: How long to wait; at most 366 days.
    ///   - match: a dotted field present in both events, e.g. `"data.user_id"`: the awaited
    ///     event must carry the same value as the event that started the run.
    ///   - condition: CEL over `event` (the run's event) and `async` (the awaited one).
    ///     Only events sent after the wait began can match.
    /// - Returns: The awaited event, or `nil` when the timeout passed first.
    /// - Throws: ``StepUsageError`` for a timeout past 366 days.
    public func waitForEvent(
        _ id: String, event: String, timeout: InngestDuration, match: String? = nil, if condition: String? = nil
    ) async throws -> AnyEvent? {
        try await waitForEvent(id, event: event, as: JSONValue.self, timeout: timeout, match: match, if: condition)
    }

    /// Waits for an event carrying `Payload`, or `nil` when `timeout` passes first.
    ///
    /// - Parameters:
    ///   - id: The step's id, unique within the function.
    ///   - event: The payload type, whose ``/InngestCore/EventPayload/eventName`` names the awaited event.
    ///   - timeout: How long to wait; at most 366 days.
    ///   - match: A dotted field that both events must carry with the same value.
    ///   - condition: CEL over `event` (the run's event) and `async` (the awaited one).
    /// - Returns: The awaited event, or `nil` when the timeout passed first.
    /// - Throws: ``StepUsageError`` for a timeout past 366 days or data that does not decode.
    public func waitForEvent<Payload: EventPayload>(
        _ id: String, event: Payload.Type, timeout: InngestDuration, match: String? = nil, if condition: String? = nil
    ) async throws -> Event<Payload>? {
        try await waitForEvent(id, event: Payload.eventName, as: Payload.self, timeout: timeout, match: match, if: condition)
    }

    /// Waits for an event named `event` whose data decodes as `Payload`, or `nil` on timeout.
    ///
    /// - Parameters:
    ///   - id: The step's id, unique within the function.
    ///   - event: The name of the awaited event.
    ///   - data: The type its data decodes as.
    ///   - timeout: How long to wait; at most 366 days.
    ///   - match: A dotted field that both events must carry with the same value.
    ///   - condition: CEL over `event` (the run's event) and `async` (the awaited one).
    /// - Returns: The awaited event, or `nil` when the timeout passed first.
    /// - Throws: ``StepUsageError`` for a timeout past 366 days or data that does not decode.
    public func waitForEvent<Payload: Codable & Sendable>(
        _ id: String, event: String, as data: Payload.Type, timeout: InngestDuration, match: String? = nil, if condition: String? = nil
    ) async throws -> Event<Payload>? {
        try Self.checkWait(timeout, field: "timeout", stepID: id)
        let request = WaitForEventRequest(event: event, timeout: timeout, condition: Cancellation.combine(condition: condition, match: match))
        let (identity, memo) = try await execution.perform(id, displayName: nil) { _ in .waitForEvent(request) }
        switch memo {
        case .value(let value), .data(let value):
            if value.isNull { return nil }
            return try StepExecution.decode(Event<Payload>.self, from: try await execution.output(value, of: identity, kind: .waitForEvent), of: identity)
        case .error(let error):
            throw StepError(stepID: id, error: error)
        }
    }

    // MARK: invoke

    /// Runs another function (of this app or any other, in any language) with `data` as its
    /// event data, and returns its result.
    ///
    /// The invoked run has its own retries. If it fails, or `timeout` passes first, this
    /// throws ``NonRetriableError`` whose cause is the invoked run's error.
    ///
    /// - Parameters:
    ///   - id: The step's id, unique within the function.
    ///   - function: The function to run, typed with its input and output.
    ///   - data: The invoked run's event data; it must encode as a JSON object.
    ///   - timeout: How long to wait for the result; no limit when `nil`.
    /// - Returns: The invoked function's result.
    /// - Throws: ``NonRetriableError`` when the invoked run failed or timed out,
    ///   ``StepUsageError`` when `data` is not an object or the result does not decode.
    public func invoke<Input: Encodable & Sendable, Output: Decodable & Sendable>(
        _ id: String, function: FunctionReference<Input, Output>, data: Input, timeout: InngestDuration? = nil
    ) async throws -> Output {
        let (identity, memo) = try await performInvoke(id, function: function, data: data, timeout: timeout)
        switch memo {
        case .data(let value), .value(let value):
            return try StepExecution.decode(Output.self, from: try await execution.output(value, of: identity, kind: .invoke), of: identity)
        case .error(let error):
            throw NonRetriableError(error.message, cause: StepError(stepID: id, error: error))
        }
    }

    /// Runs another function that returns nothing, and waits for it to finish.
    ///
    /// - Parameters:
    ///   - id: The step's id, unique within the function.
    ///   - function: The function to run.
    ///   - data: The invoked run's event data; it must encode as a JSON object.
    ///   - timeout: How long to wait for it; no limit when `nil`.
    /// - Throws: ``NonRetriableError`` when the invoked run failed or timed out,
    ///   ``StepUsageError`` when `data` is not an object.
    public func invoke<Input: Encodable & Sendable>(
        _ id: String, function: FunctionReference<Input, Void>, data: Input, timeout: InngestDuration? = nil
    ) async throws {
        let (_, memo) = try await performInvoke(id, function: function, data: data, timeout: timeout)
        if case .error(let error) = memo {
            throw NonRetriableError(error.message, cause: StepError(stepID: id, error: error))
        }
    }

    private func performInvoke<Input: Encodable & Sendable, Output>(
        _ id: String, function: FunctionReference<Input, Output>, data: Input, timeout: InngestDuration?
    ) async throws -> (StepIdentity, StepMemo) {
        if let timeout { try Self.checkWait(timeout, field: "timeout", stepID: id) }
        let functionID = function.compositeID(defaultAppID: execution.appID)
        return try await execution.perform(id, displayName: nil) { identity in
            let input = try StepExecution.encode(data, of: identity)
            guard case .object = input else { throw StepUsageError(stepID: id, problem: .invokeDataNotAnObject) }
            return .invoke(InvokeRequest(functionID: functionID, payload: ["data": input], timeout: timeout))
        }
    }

    // MARK: sendEvent

    /// Sends one event durably, as a step (a retried run does not send it twice), and returns its id.
    ///
    /// - Parameters:
    ///   - id: The step's id, unique within the function.
    ///   - event: The event to send.
    /// - Returns: The id the event was stored under, in a one-element array.
    /// - Throws: ``StepError`` when sending failed for good.
    @discardableResult
    public func sendEvent<Payload: Codable & Sendable>(_ id: String, _ event: Event<Payload>) async throws -> [String] {
        try await sendEvent(id, [event])
    }

    /// Sends events durably, as one step, and returns their ids in order.
    ///
    /// - Parameters:
    ///   - id: The step's id, unique within the function.
    ///   - events: The events to send.
    /// - Returns: The ids the events were stored under, in order.
    /// - Throws: ``StepError`` when sending failed for good.
    @discardableResult
    public func sendEvent<Payload: Codable & Sendable>(_ id: String, _ events: [Event<Payload>]) async throws -> [String] {
        let erased = try events.map { try $0.erased() }
        let sender = execution.eventSender
        let (identity, memo) = try await execution.perform(id, displayName: nil) { identity in
            .run(
                RunStep(
                    kind: .sendEvent,
                    body: execution.body(of: identity, kind: .sendEvent) {
                        // The body always runs in its step's scope, so there is an origin.
                        let origin = StepExecution.nextSendOrigin() ?? EventSendOrigin(runID: execution.runID, stepID: identity.hashedID, sendIndex: 0)
                        return SentEvents(ids: try await sender.send(erased, from: origin))
                    }))
        }
        switch memo {
        case .data(let recorded), .value(let recorded):
            let value = try await execution.output(recorded, of: identity, kind: .sendEvent)
            // TypeScript records `{"ids": [...]}`, Python a bare array: read both.
            if case .array = value { return try StepExecution.decode([String].self, from: value, of: identity) }
            return try StepExecution.decode(SentEvents.self, from: value, of: identity).ids
        case .error(let error):
            throw StepError(stepID: id, error: error)
        }
    }

    // MARK: Limits

    static func checkWait(_ value: InngestDuration, field: String, stepID: String) throws {
        switch value.waitProblem {
        case .invalid(let error)?: throw StepUsageError(stepID: stepID, problem: .invalidDuration(error))
        case .tooLong(let limit)?: throw StepUsageError(stepID: stepID, problem: .durationTooLong("\(field) \(value.timeString)", limit: limit))
        case nil: return
        }
    }
}

/// The recorded result of `step.sendEvent`, as TypeScript records it.
struct SentEvents: Codable, Sendable {
    var ids: [String]
}
