/// What the server sent to allow checkpointing in one call: the ids a checkpoint names, so
/// the server can tell this dispatch from a later one (`ctx.fn_id`, `ctx.qi_id`, and the
/// request's `X-Request-ID` and `X-Inngest-Generation-ID`).
package struct CheckpointTarget: Sendable, Hashable {
    /// The server's id of the function (`ctx.fn_id`).
    package var functionID: String
    /// The server's queue item this call runs for (`ctx.qi_id`).
    package var queueItemID: String
    package var requestID: String?
    package var generationID: Int64?
    /// When the call arrived, in milliseconds since 1970.
    package var requestStartedAt: Int64

    package init(functionID: String, queueItemID: String, requestID: String? = nil, generationID: Int64? = nil, requestStartedAt: Int64) {
        self.functionID = functionID
        self.queueItemID = queueItemID
        self.requestID = requestID
        self.generationID = generationID
        self.requestStartedAt = requestStartedAt
    }
}

/// Why steps could not be checkpointed.
package enum CheckpointFailure: Error, Sendable, Hashable {
    /// The server has moved on from this call (`409`): it must run no further step, or the
    /// same steps could run in two requests.
    case staleDispatch
    /// Any other failure; the steps go back to the server in the call's answer instead.
    case failed(String)
}

/// Sends finished steps of a call to the server's checkpoint API.
package protocol Checkpointer: Sendable {
    /// Returns once the server has stored `ops` (each a `StepRun`).
    func checkpoint(_ ops: [Opcode]) async throws(CheckpointFailure)
}

/// A call that checkpoints: where steps go, the options, and the time since the request began.
package struct CheckpointSession: Sendable {
    package let checkpointer: any Checkpointer
    package let options: CheckpointingOptions
    /// Time since the call arrived; a test passes a virtual one.
    package let elapsed: @Sendable () -> Duration

    package init(checkpointer: any Checkpointer, options: CheckpointingOptions, elapsed: @escaping @Sendable () -> Duration) {
        self.checkpointer = checkpointer
        self.options = options
        self.elapsed = elapsed
    }

    /// The op that ends a checkpointed call whose function returned: `RunComplete` with its
    /// value, in a `206`, as the TypeScript SDK answers.
    package static func runComplete(_ value: JSONValue) -> Opcode {
        Opcode(id: runCompleteID, op: .runComplete, data: value)
    }

    /// sha1("complete"), the id the SDKs give `RunComplete`.
    package static let runCompleteID = StepIdentity(userID: "complete", index: 0).hashedID
}
