/// One operation in a `206` response: what the function did or wants next.
///
/// Field names and shapes are the wire protocol's. `data` distinguishes "absent" (`nil`)
/// from JSON `null` (`.null`), which a step may legitimately return.
public struct Opcode: Sendable, Hashable {
    /// The kind of an op, as the wire names it.
    public enum Kind: String, Sendable, Hashable, Codable {
        case stepRun = "StepRun"
        case stepError = "StepError"
        case stepFailed = "StepFailed"
        case stepPlanned = "StepPlanned"
        case sleep = "Sleep"
        case waitForEvent = "WaitForEvent"
        case invokeFunction = "InvokeFunction"
        case waitForSignal = "WaitForSignal"
        case runComplete = "RunComplete"
    }

    /// Which step an op belongs to, as the user named it.
    public struct Userland: Sendable, Hashable, Codable {
        /// The step's id as written.
        public var id: String
        /// The repeat of the id, for a step id used more than once.
        public var index: Int?
    }

    /// The hashed step id.
    public var id: String
    /// What the op is.
    public var op: Kind
    /// The step's id as the user wrote it, or what a sleep or wait names.
    public var name: String?
    /// The step's display name.
    public var displayName: String?
    /// The op's options: a sleep's duration, a wait's event and timeout, an invoke's function.
    public var opts: JSONValue?
    /// A step's result: `nil` when absent, `.null` for a JSON `null`.
    public var data: JSONValue?
    /// A step's error.
    public var error: SerializedError?
    /// The step as the user named it.
    public var userland: Userland?
    /// For `StepError`: when the failed attempt asked to be retried (sent as `Retry-After`,
    /// not in the body).
    public var retryAt: RetryAfterError.RetryAt?

    public init(
        id: String, op: Kind, name: String? = nil, displayName: String? = nil, opts: JSONValue? = nil,
        data: JSONValue? = nil, error: SerializedError? = nil, userland: Userland? = nil, retryAt: RetryAfterError.RetryAt? = nil
    ) {
        self.id = id
        self.op = op
        self.name = name
        self.displayName = displayName
        self.opts = opts
        self.data = data
        self.error = error
        self.userland = userland
        self.retryAt = retryAt
    }
}

extension Opcode: Codable {
    private enum CodingKeys: String, CodingKey { case id, op, name, displayName, opts, data, error, userland }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        op = try container.decode(Kind.self, forKey: .op)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        displayName = try container.decodeIfPresent(String.self, forKey: .displayName)
        opts = try container.decodeIfPresent(JSONValue.self, forKey: .opts)
        // A present `"data": null` is a step that returned null, not a missing field.
        // (Not a `?:`: JSONValue is `ExpressibleByNilLiteral`, so its `nil` branch would be `.null`.)
        if container.contains(.data) { data = try container.decode(JSONValue.self, forKey: .data) } else { data = nil }
        error = try container.decodeIfPresent(SerializedError.self, forKey: .error)
        userland = try container.decodeIfPresent(Userland.self, forKey: .userland)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(op, forKey: .op)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encodeIfPresent(displayName, forKey: .displayName)
        try container.encodeIfPresent(opts, forKey: .opts)
        try container.encodeIfPresent(data, forKey: .data)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encodeIfPresent(userland, forKey: .userland)
    }
}

extension Opcode {
    /// The op that reports a new step without running it.
    package init(reporting step: PendingStep) {
        let identity = step.identity
        let userland = Userland(id: identity.userID, index: identity.index == 0 ? nil : identity.index)
        switch step.operation {
        case .run(let run):
            self.init(
                id: identity.hashedID, op: .stepPlanned, name: identity.userID, displayName: step.displayName,
                opts: run.wireOpts, userland: userland)
        case .sleep(let target):
            // The server reads `opts.duration` and falls back to `name`: send both.
            let value = JSONValue.string(target.wireValue)
            self.init(
                id: identity.hashedID, op: .sleep, name: target.wireValue, displayName: step.displayName,
                opts: ["duration": value], userland: userland)
        case .waitForEvent(let wait):
            var opts: [String: JSONValue] = [
                "event": .string(wait.event),
                "timeout": .string(wait.timeout.timeString),
            ]
            if let condition = wait.condition { opts["if"] = .string(condition) }
            self.init(
                id: identity.hashedID, op: .waitForEvent, name: wait.event, displayName: step.displayName,
                opts: .object(opts), userland: userland)
        case .invoke(let invoke):
            var opts: [String: JSONValue] = ["function_id": .string(invoke.functionID), "payload": invoke.payload]
            if let timeout = invoke.timeout { opts["timeout"] = .string(timeout.timeString) }
            self.init(
                id: identity.hashedID, op: .invokeFunction, name: identity.userID, displayName: step.displayName,
                opts: .object(opts), userland: userland)
        case .waitForSignal(let wait):
            // As TypeScript sends it: the signal in `name` and in `opts.signal`.
            let opts: JSONValue = [
                "signal": .string(wait.signal), "timeout": .string(wait.timeout.timeString), "conflict": .string(wait.conflict.rawValue),
            ]
            self.init(
                id: identity.hashedID, op: .waitForSignal, name: wait.signal, displayName: step.displayName,
                opts: opts, userland: userland)
        }
    }

    /// The op that reports a step body that ran in this request. A failure on the last
    /// attempt, or one that must not be retried, is `StepFailed`; otherwise `StepError`.
    package init(ran step: PendingStep, outcome: StepBodyOutcome, isFinalAttempt: Bool) {
        let identity = step.identity
        let userland = Userland(id: identity.userID, index: identity.index == 0 ? nil : identity.index)
        // The planned op's `opts` (a derived step's `type`) ride along, as TypeScript sends them.
        var opts: JSONValue?
        if case .run(let run) = step.operation { opts = run.wireOpts }
        switch outcome {
        case .success(let value):
            self.init(
                id: identity.hashedID, op: .stepRun, name: identity.userID, displayName: step.displayName,
                opts: opts, data: value, userland: userland)
        case .failure(let error, .retriable(let retryAt)) where !isFinalAttempt:
            self.init(
                id: identity.hashedID, op: .stepError, name: identity.userID, displayName: step.displayName,
                opts: opts, error: error, userland: userland, retryAt: retryAt)
        case .failure(let error, _):
            self.init(
                id: identity.hashedID, op: .stepFailed, name: identity.userID, displayName: step.displayName,
                opts: opts, error: error, userland: userland)
        }
    }
}
