import Logging

/// Hooks around a function's runs and steps, the same whether the embedded engine runs the
/// function or an Inngest server calls it over HTTP.
///
/// Give middleware to ``InngestClient/init(configuration:transport:middleware:tracer:now:randomBytes:)``
/// for served functions, or to the engine's options (`Engine.Options.middleware`). Every
/// hook has a default that does nothing, so a middleware implements only what it needs:
///
/// ```swift
/// struct Timing: InngestMiddleware {
///     func wrapStep(_ step: StepInfo, next: @Sendable () async throws -> JSONValue) async throws -> JSONValue {
///         let start = ContinuousClock.now
///         defer { print("\(step.id) attempt \(step.attempt): \(ContinuousClock.now - start)") }
///         return try await next()
///     }
/// }
/// ```
///
/// **Order.** The first middleware of the list is the outermost: it wraps the others'
/// ``wrapStep(_:next:)``, sees values last on their way to storage (step outputs, the run's
/// output, sent events, invoke inputs) and first on their way back (the run's input, recorded
/// step outputs). A transform that encodes is therefore undone in reverse order, as it must be.
///
/// **Replays.** A handler runs again from the top after a crash, an eviction and, in served
/// mode, on every call; recorded steps then return their stored value (through
/// ``transformStepOutput(_:of:)``) and their bodies, with ``wrapStep(_:next:)``, do not run.
/// The transforms therefore run on every execution; ``onRunStart(_:)`` only on the first.
public protocol InngestMiddleware: Sendable {
    /// The events the handler is given, before it decodes them; on every execution.
    func transformInput(_ events: [AnyEvent], of run: RunInfo) async throws -> [AnyEvent]

    /// The run's first execution begins: no step recorded, first attempt.
    func onRunStart(_ run: RunInfo) async

    /// Around each attempt of a step body (`step.run`, `step.sendEvent`): call `next` to run
    /// it. `next` returns the body's output as JSON (after the codec); what this returns is
    /// recorded. An error thrown here fails the attempt like one thrown by the body.
    func wrapStep(_ step: StepInfo, next: @Sendable () async throws -> JSONValue) async throws -> JSONValue

    /// A step's result as the handler reads it, recorded or just computed: a `step.run` output,
    /// a `waitForEvent`'s event, an `invoke`'s output. An error thrown here fails the run
    /// (not retried: the recorded value will not change).
    func transformStepOutput(_ output: JSONValue, of step: StepInfo) async throws -> JSONValue

    /// What a step hands to another function: an `invoke`'s input (the invoked run's `data`).
    func transformStepInput(_ input: JSONValue, of step: StepInfo) async throws -> JSONValue

    /// The handler's return value, before it is recorded as the run's output.
    func transformOutput(_ output: JSONValue, of run: RunInfo) async throws -> JSONValue

    /// The handler returned; `output` is what is recorded.
    func onRunComplete(_ run: RunInfo, output: JSONValue) async

    /// The handler threw. `isFinalAttempt` is true when the run fails for good (no attempt
    /// left, or an error that is not retried); else the run is retried.
    func onRunError(_ run: RunInfo, error: any Error, isFinalAttempt: Bool) async

    /// Events sent by `step.sendEvent` or by the client's or engine's `send`, before they are
    /// checked and sent.
    func transformSentEvents(_ events: [AnyEvent]) async throws -> [AnyEvent]

    /// The logger the handler gets as `ctx.logger`, given the one the previous middleware made.
    func logger(_ logger: Logger, for run: RunInfo) -> Logger
}

extension InngestMiddleware {
    public func transformInput(_ events: [AnyEvent], of run: RunInfo) async throws -> [AnyEvent] { events }
    public func onRunStart(_ run: RunInfo) async {}
    public func wrapStep(_ step: StepInfo, next: @Sendable () async throws -> JSONValue) async throws -> JSONValue { try await next() }
    public func transformStepOutput(_ output: JSONValue, of step: StepInfo) async throws -> JSONValue { output }
    public func transformStepInput(_ input: JSONValue, of step: StepInfo) async throws -> JSONValue { input }
    public func transformOutput(_ output: JSONValue, of run: RunInfo) async throws -> JSONValue { output }
    public func onRunComplete(_ run: RunInfo, output: JSONValue) async {}
    public func onRunError(_ run: RunInfo, error: any Error, isFinalAttempt: Bool) async {}
    public func transformSentEvents(_ events: [AnyEvent]) async throws -> [AnyEvent] { events }
    public func logger(_ logger: Logger, for run: RunInfo) -> Logger { logger }
}

/// The run a middleware hook is called for.
public struct RunInfo: Sendable {
    /// The function's id within its app.
    public let functionID: String
    public let runID: String
    /// The function-level attempt of this execution, from 0.
    public let attempt: Int
    public let maxAttempts: Int
    let replaying: @Sendable () -> Bool

    package init(functionID: String, runID: String, attempt: Int, maxAttempts: Int, replaying: @escaping @Sendable () -> Bool) {
        self.functionID = functionID
        self.runID = runID
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.replaying = replaying
    }

    /// Whether the handler is, at this moment, re-running code whose steps already have
    /// results (outside any step body): what it does now, it did before.
    public var isReplaying: Bool { replaying() }
}

/// The step a middleware hook is called for.
public struct StepInfo: Sendable, Hashable {
    /// The id the handler gave the step.
    public let id: String
    /// The step's wire id: SHA-1 of the id (`id:n` for its n-th repeat).
    public let hashedID: String
    public let kind: StepKind
    /// Failed attempts of this step so far: 0 on its first attempt. (0 where no attempt is
    /// made: a recorded output or an invoke's input.)
    public let attempt: Int
    public let functionID: String
    public let runID: String

    package init(identity: StepIdentity, kind: StepKind, attempt: Int, functionID: String, runID: String) {
        self.id = identity.userID
        self.hashedID = identity.hashedID
        self.kind = kind
        self.attempt = attempt
        self.functionID = functionID
        self.runID = runID
    }
}
