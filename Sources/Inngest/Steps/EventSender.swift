/// Sends events on behalf of `step.sendEvent`: the embedded engine stores them durably,
/// a served app posts them to the Inngest event API.
public protocol EventSender: Sendable {
    /// Sends the events and returns their ids, in order. `origin` is the step that sends them:
    /// a send that runs again (after a crash or a retry) comes with the same origin, so a
    /// sender that derives ids from it stores each event once.
    func send(_ events: [AnyEvent], from origin: EventSendOrigin) async throws -> [String]
}

/// Which `step.sendEvent` a send comes from, and which of that step body's sends it is.
public struct EventSendOrigin: Sendable, Hashable {
    public let runID: String
    /// The step's hashed (wire) id.
    public let stepID: String
    /// The position of this send among the sends of one execution of the step's body.
    public let sendIndex: Int

    public init(runID: String, stepID: String, sendIndex: Int) {
        self.runID = runID
        self.stepID = stepID
        self.sendIndex = sendIndex
    }
}

/// The sender of an execution that was given none: every send fails with a clear error.
public struct NoEventSender: EventSender {
    public init() {}

    public func send(_ events: [AnyEvent], from origin: EventSendOrigin) async throws -> [String] {
        throw NonRetriableError("no event sender is configured for this execution; give the executor an EventSender to use step.sendEvent")
    }
}
