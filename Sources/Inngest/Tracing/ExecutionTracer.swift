import Tracing

/// Reports a run's executions and its step attempts as spans (swift-distributed-tracing), to
/// the tracer an app configured or else the one bootstrapped in `InstrumentationSystem`.
/// Without a tracer there is no `ExecutionTracer`, and nothing is traced or paid for.
package struct ExecutionTracer: Sendable {
    package let tracer: any Tracer

    /// `nil` when the tracer (given, or else the bootstrapped one) is the no-op tracer.
    package init?(_ tracer: (any Tracer)?) {
        let resolved = tracer ?? InstrumentationSystem.tracer
        if resolved is NoOpTracer { return nil }
        self.tracer = resolved
    }

    /// The trace fields of the current context (none outside a trace): what a send, an invoke
    /// or a call carries so the work it starts continues this trace.
    package var currentHeaders: TraceHeaders {
        ServiceContext.current.map { TraceHeaders(injecting: $0, with: tracer) } ?? TraceHeaders()
    }

    /// A span for one execution of a run (from its start, or its resumption, until it ends
    /// or leaves memory), child of `parent`: the context its event was sent in, or the call's.
    package func startRun(functionID: String, runID: String, attempt: Int, parent: ServiceContext) -> any Span {
        let span = tracer.startSpan("inngest.run \(functionID)", context: parent, ofKind: .consumer)
        span.attributes[SpanAttributeName.functionID] = functionID
        span.attributes[SpanAttributeName.runID] = runID
        span.attributes[SpanAttributeName.runAttempt] = attempt
        return span
    }

    /// Ends a run's span with how the execution ended: `completed`, `failed`, `retrying`, or
    /// `stopped` (cancelled, evicted or shut down: it goes on, if at all, in another execution).
    package static func end(_ span: any Span, outcome: String, error: SerializedError? = nil) {
        span.attributes[SpanAttributeName.runOutcome] = outcome
        if let error {
            span.setStatus(SpanStatus(code: .error, message: "\(error.name): \(error.message)"))
        }
        span.end()
    }

    /// Runs one attempt of a step body in a span, child of the current context (the run's span).
    package func traceAttempt(
        of step: StepInfo, maxAttempts: Int, _ body: () async -> StepBodyOutcome
    ) async -> StepBodyOutcome {
        let span = tracer.startSpan("inngest.step \(step.id)", context: ServiceContext.current ?? .topLevel, ofKind: .internal)
        span.attributes[SpanAttributeName.functionID] = step.functionID
        span.attributes[SpanAttributeName.runID] = step.runID
        span.attributes[SpanAttributeName.stepID] = step.id
        span.attributes[SpanAttributeName.stepHashedID] = step.hashedID
        span.attributes[SpanAttributeName.stepKind] = step.kind.rawValue
        span.attributes[SpanAttributeName.stepAttempt] = step.attempt
        let outcome = await ServiceContext.withValue(span.context) { await body() }
        switch outcome {
        case .success:
            span.attributes[SpanAttributeName.stepOutcome] = "completed"
        case .failure(let error, let retriability):
            let willRetry = retriability != .nonRetriable && step.attempt + 1 < maxAttempts
            span.attributes[SpanAttributeName.stepOutcome] = willRetry ? "retrying" : "failed"
            span.setStatus(SpanStatus(code: .error, message: "\(error.name): \(error.message)"))
        }
        span.end()
        return outcome
    }
}

extension ExecutionTracer {
    /// Ends the span of one call of the wire protocol with what the call came to.
    package static func end(_ span: any Span, outcome: ExecutionOutcome) {
        switch outcome {
        case .completed: end(span, outcome: "completed")
        case .steps: end(span, outcome: "steps")
        case .failed(let error, .nonRetriable): end(span, outcome: "failed", error: error)
        case .failed(let error, .retriable): end(span, outcome: "retrying", error: error)
        case .stepNotFound: end(span, outcome: "step_not_found")
        }
    }
}

/// The span attributes of runs and steps (OpenTelemetry style: a namespace, dotted, snake case).
package enum SpanAttributeName {
    package static let functionID = "inngest.function.id"
    package static let runID = "inngest.run.id"
    package static let runAttempt = "inngest.run.attempt"
    package static let runOutcome = "inngest.run.outcome"
    package static let stepID = "inngest.step.id"
    package static let stepHashedID = "inngest.step.hashed_id"
    package static let stepKind = "inngest.step.kind"
    package static let stepAttempt = "inngest.step.attempt"
    package static let stepOutcome = "inngest.step.outcome"
}
