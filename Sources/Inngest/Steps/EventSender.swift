/// Sends events on behalf of `step.sendEvent`: the embedded engine stores them durably,
/// a served app posts them to the Inngest event API.
public protocol EventSender: Sendable {
    /// Sends the events and returns their ids, in order.
    func send(_ events: [AnyEvent]) async throws -> [String]
}

/// The sender of an execution that was given none: every send fails with a clear error.
public struct NoEventSender: EventSender {
    public init() {}

    public func send(_ events: [AnyEvent]) async throws -> [String] {
        throw NonRetriableError("no event sender is configured for this execution; give the executor an EventSender to use step.sendEvent")
    }
}
