import Logging

/// A function: its configuration and its handler, ready for an engine or a serve handler.
///
/// The build plugin generates these from `@InngestFunction` declarations; they can also
/// be written by hand:
///
/// ```swift
/// let hello = InngestFunction(.init(id: "hello", trigger: .event("app/hello"))) { (ctx: Context<Hello>) in
///     "hi \(ctx.event.data.name)"
/// }
/// ```
public struct InngestFunction: Sendable {
    /// Its id, triggers and options.
    public let configuration: FunctionConfiguration
    /// Runs once after the function fails for good; registered as the function `<id>-failure`.
    public let failureHandler: FailureHandler?
    private let handler: @Sendable (HandlerInput) async throws -> JSONValue

    /// A function whose handler returns a result.
    ///
    /// - Parameters:
    ///   - configuration: Its id, triggers and options.
    ///   - failureHandler: Runs once after the function fails for good.
    ///   - handler: The function's code; it gets the run's ``Context`` and its result is the
    ///     run's output.
    public init<Payload: Codable & Sendable, Output: Encodable & Sendable>(
        _ configuration: FunctionConfiguration,
        onFailure failureHandler: FailureHandler? = nil,
        handler: @escaping @Sendable (Context<Payload>) async throws -> Output
    ) {
        self.configuration = configuration
        self.failureHandler = failureHandler
        let functionID = configuration.id
        self.handler = { input in
            guard input.execution.middleware.isEmpty else {
                return try await input.withMiddleware(functionID: functionID) { events, run in
                    try JSONCodec.shared.jsonValue(of: try await handler(try input.context(for: Payload.self, events: events, run: run)))
                }
            }
            let output = try await handler(try input.context(for: Payload.self, events: input.events, run: input.runInfo(functionID: functionID)))
            return try JSONCodec.shared.jsonValue(of: output)
        }
    }

    /// A function whose handler returns nothing.
    ///
    /// - Parameters:
    ///   - configuration: Its id, triggers and options.
    ///   - failureHandler: Runs once after the function fails for good.
    ///   - handler: The function's code; it gets the run's ``Context``.
    public init<Payload: Codable & Sendable>(
        _ configuration: FunctionConfiguration,
        onFailure failureHandler: FailureHandler? = nil,
        handler: @escaping @Sendable (Context<Payload>) async throws -> Void
    ) {
        self.init(configuration, onFailure: failureHandler) { (context: Context<Payload>) -> JSONValue in
            try await handler(context)
            return .null
        }
    }

    /// A function whose handler works on the raw input and returns raw JSON: how an engine
    /// runs a function that lives in another process (its handler drives that app over HTTP).
    package init(_ configuration: FunctionConfiguration, rawHandler: @escaping @Sendable (HandlerInput) async throws -> JSONValue) {
        self.configuration = configuration
        self.failureHandler = nil
        self.handler = rawHandler
    }

    /// The function's id within its app.
    public var id: String { configuration.id }

    /// Runs the handler once for `input`, returning its result as JSON.
    package func call(_ input: HandlerInput) async throws -> JSONValue {
        try await handler(input)
    }

    /// The failure handler as a function of its own, as Inngest registers it: id
    /// `<id>-failure`, triggered by `inngest/function.failed` for this function.
    package func failureFunction(appID: String) -> InngestFunction? {
        guard let failureHandler else { return nil }
        let compositeID = configuration.compositeID(appID: appID)
        let configuration = FunctionConfiguration(
            id: "\(self.configuration.id)-failure",
            name: "\(self.configuration.name ?? self.configuration.id) (failure)",
            trigger: .event(FunctionFailed.eventName, if: "event.data.function_id == '\(compositeID)'"),
            retries: 1)
        return InngestFunction(configuration, handler: failureHandler)
    }
}

/// Everything a handler call needs besides the function.
package struct HandlerInput: Sendable {
    /// The run's events (one, or a batch); never empty.
    package var events: [AnyEvent]
    package var runID: String
    package var attempt: Int
    package var maxAttempts: Int
    package var execution: StepExecution
    /// The logger handed to the handler, wrapped so replayed lines are dropped.
    package var logger: Logger
    /// Whether this is the run's first execution (no step recorded, first attempt, not a call
    /// for one targeted step): when middleware hear of the run's start.
    package var isFirstExecution: Bool

    package init(
        events: [AnyEvent], runID: String, attempt: Int, maxAttempts: Int, execution: StepExecution, logger: Logger, isFirstExecution: Bool = false
    ) {
        self.events = events
        self.runID = runID
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.execution = execution
        self.logger = logger
        self.isFirstExecution = isFirstExecution
    }

    func runInfo(functionID: String) -> RunInfo {
        let execution = self.execution
        return RunInfo(functionID: functionID, runID: runID, attempt: attempt, maxAttempts: maxAttempts) {
            execution.isReplaying && StepScope.current == nil
        }
    }

    /// Runs `handler` with the run's hooks: its input transformed, its start, output and error
    /// reported. An execution that stops at a step (a replay call, a park, a shutdown) neither
    /// completes nor fails.
    func withMiddleware(functionID: String, handler: ([AnyEvent], RunInfo) async throws -> JSONValue) async throws -> JSONValue {
        let middleware = execution.middleware
        let run = runInfo(functionID: functionID)
        let events: [AnyEvent]
        do {
            events = try await middleware.transformInput(self.events, of: run)
        } catch let error as NonRetriableError {
            throw error
        } catch {
            throw NonRetriableError("the run's events could not be transformed: \(error)")
        }
        if isFirstExecution { await middleware.onRunStart(run) }
        do {
            let output = try await middleware.transformOutput(try await handler(events, run), of: run)
            await middleware.onRunComplete(run, output: output)
            return output
        } catch let interrupted as ExecutionInterrupted {
            throw interrupted
        } catch {
            let isFinal = Retriability(of: error) == .nonRetriable || attempt + 1 >= maxAttempts
            await middleware.onRunError(run, error: error, isFinalAttempt: isFinal)
            throw error
        }
    }

    func context<Payload: Codable & Sendable>(for data: Payload.Type, events: [AnyEvent], run: RunInfo) throws -> Context<Payload> {
        guard !events.isEmpty else { throw NonRetriableError("the run has no event") }
        let typed: [Event<Payload>]
        do {
            typed = try events.map { try JSONCodec.shared.decode(Event<Payload>.self, from: JSONCodec.shared.jsonValue(of: $0)) }
        } catch {
            // Retrying cannot change the event, so this fails the run at once.
            throw NonRetriableError("the event data does not decode as \(Payload.self): \(error)")
        }
        return Context(
            event: typed[0], events: typed, runID: runID, functionID: run.functionID, attempt: attempt,
            maxAttempts: maxAttempts, step: Step(execution: execution), logger: execution.middleware.logger(logger, for: run))
    }
}
