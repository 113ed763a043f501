import Logging

/// The user's middleware of an app, in the order they apply. Callers skip the hooks outright
/// when there are none, so a step costs nothing extra without middleware; the handler's
/// logger is made replay-aware first in any case.
package struct MiddlewareStack: Sendable {
    /// The user's middleware, first = outermost.
    package let middleware: [any InngestMiddleware]

    package init(_ middleware: [any InngestMiddleware] = []) {
        self.middleware = middleware
    }

    package var isEmpty: Bool { middleware.isEmpty }

    /// Values on their way back to the handler: the outermost middleware first.
    private var inbound: [any InngestMiddleware] { middleware }
    /// Values on their way to storage: the innermost middleware first.
    private var outbound: ReversedCollection<[any InngestMiddleware]> { middleware.reversed() }

    package func transformInput(_ events: [AnyEvent], of run: RunInfo) async throws -> [AnyEvent] {
        var events = events
        for layer in inbound { events = try await layer.transformInput(events, of: run) }
        return events
    }

    package func onRunStart(_ run: RunInfo) async {
        for layer in middleware { await layer.onRunStart(run) }
    }

    package func wrapStep(_ step: StepInfo, body: @escaping @Sendable () async throws -> JSONValue) async throws -> JSONValue {
        var next = body
        for layer in outbound {
            let inner = next
            next = { try await layer.wrapStep(step, next: inner) }
        }
        return try await next()
    }

    package func transformStepOutput(_ output: JSONValue, of step: StepInfo) async throws -> JSONValue {
        var output = output
        for layer in inbound { output = try await layer.transformStepOutput(output, of: step) }
        return output
    }

    package func transformStepInput(_ input: JSONValue, of step: StepInfo) async throws -> JSONValue {
        var input = input
        for layer in outbound { input = try await layer.transformStepInput(input, of: step) }
        return input
    }

    package func transformOutput(_ output: JSONValue, of run: RunInfo) async throws -> JSONValue {
        var output = output
        for layer in outbound { output = try await layer.transformOutput(output, of: run) }
        return output
    }

    package func onRunComplete(_ run: RunInfo, output: JSONValue) async {
        for layer in middleware { await layer.onRunComplete(run, output: output) }
    }

    package func onRunError(_ run: RunInfo, error: any Error, isFinalAttempt: Bool) async {
        for layer in middleware { await layer.onRunError(run, error: error, isFinalAttempt: isFinalAttempt) }
    }

    package func transformSentEvents(_ events: [AnyEvent]) async throws -> [AnyEvent] {
        var events = events
        for layer in outbound { events = try await layer.transformSentEvents(events) }
        return events
    }

    /// The handler's logger: replay-aware first, then whatever the user's middleware make of it.
    package func logger(_ logger: Logger, for run: RunInfo) -> Logger {
        var logger = ReplayAwareLogging().logger(logger, for: run)
        for layer in inbound { logger = layer.logger(logger, for: run) }
        return logger
    }
}
