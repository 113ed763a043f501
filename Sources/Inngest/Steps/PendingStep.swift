import Foundation

/// A step the handler reached that has no recorded result: what a ``StepDriver`` is asked to resolve.
package struct PendingStep: Sendable {
    package let identity: StepIdentity
    /// A human-readable name; the user id unless the step tool was given one.
    package let displayName: String
    package let operation: StepOperation

    package init(identity: StepIdentity, displayName: String, operation: StepOperation) {
        self.identity = identity
        self.displayName = displayName
        self.operation = operation
    }
}

/// What a step does.
package enum StepOperation: Sendable {
    /// Run code in this process (`step.run`, and `step.sendEvent`, which Inngest runs as a step).
    case run(RunStep)
    /// Resume after a duration or at a date.
    case sleep(SleepTarget)
    /// Resume when a matching event arrives or the timeout passes.
    case waitForEvent(WaitForEventRequest)
    /// Start another function and resume with its result.
    case invoke(InvokeRequest)
    /// Resume when the signal is sent or the timeout passes.
    case waitForSignal(WaitForSignalRequest)

    /// The kind as the engines and manifests name it.
    package var kind: StepKind {
        switch self {
        case .run(let run): return run.kind
        case .sleep: return .sleep
        case .waitForEvent: return .waitForEvent
        case .invoke: return .invoke
        case .waitForSignal: return .waitForSignal
        }
    }
}

/// Code to run for a step. The body is already wrapped: it runs the user's closure,
/// passes its result through the JSON codec and never throws.
package struct RunStep: Sendable {
    package let kind: StepKind
    /// Runs the body once; its argument is the step's failed attempts so far, which a body
    /// run in another app is sent with.
    package let body: @Sendable (_ attempt: Int) async -> StepBodyOutcome

    /// Extra `opts` the planned op carries (`step.sendSignal`'s signal name), shown by Inngest's UI.
    package let wireOptions: [String: JSONValue]

    package init(kind: StepKind = .run, wireOptions: [String: JSONValue] = [:], body: @escaping @Sendable (_ attempt: Int) async -> StepBodyOutcome) {
        self.kind = kind
        self.wireOptions = wireOptions
        self.body = body
    }

    /// The `opts.type` Inngest uses for derived run steps; `nil` for a plain `step.run`.
    package var wireType: String? {
        switch kind {
        case .sendEvent: return "step.sendEvent"
        case .sendSignal: return "step.sendSignal"
        default: return nil
        }
    }

    /// The op's `opts`: ``wireOptions`` and the ``wireType``; `nil` for a plain `step.run`.
    package var wireOpts: JSONValue? {
        var opts = wireOptions
        if let wireType { opts["type"] = .string(wireType) }
        return opts.isEmpty ? nil : .object(opts)
    }
}

/// What running a step's body produced.
package enum StepBodyOutcome: Sendable, Hashable {
    case success(JSONValue)
    case failure(SerializedError, Retriability)
}

/// When a sleep ends.
package enum SleepTarget: Sendable, Hashable {
    /// A validated duration of at most 366 days.
    case duration(InngestDuration)
    case date(Date)

    /// The wire form: a time string, or an ISO-8601 UTC timestamp with milliseconds.
    package var wireValue: String {
        switch self {
        case .duration(let duration): return duration.timeString
        case .date(let date): return ISO8601Timestamp.string(from: date)
        }
    }
}

/// A `waitForEvent` step's parameters.
package struct WaitForEventRequest: Sendable, Hashable {
    package let event: String
    /// Validated: at most 366 days.
    package let timeout: InngestDuration
    /// CEL over `event` (the run's triggering event) and `async` (the candidate).
    package let condition: String?

    package init(event: String, timeout: InngestDuration, condition: String?) {
        self.event = event
        self.timeout = timeout
        self.condition = condition
    }
}

/// An `invoke` step's parameters.
package struct InvokeRequest: Sendable, Hashable {
    /// The composite id `<app>-<function>` of the function to run.
    package let functionID: String
    /// The invoked run's event payload: `{"data": …}`.
    package let payload: JSONValue
    /// Validated: at most 366 days.
    package let timeout: InngestDuration?

    package init(functionID: String, payload: JSONValue, timeout: InngestDuration?) {
        self.functionID = functionID
        self.payload = payload
        self.timeout = timeout
    }
}
