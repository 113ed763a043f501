import Foundation
import Inngest
import Synchronization

/// The discovery calls now in flight that an app may checkpoint into, by run.
///
/// A call to an app carries the function's server id (`ctx.fn_id`) and a queue item id of its
/// own (`ctx.qi_id`). While the call is open, the app may post the steps it ran to
/// `POST /v1/checkpoint/{runId}/async` naming both; they are recorded for the run before the
/// app is answered, so a step the server acknowledged survives the app and the server dying.
/// A checkpoint naming a call that has ended (the answer came, the call failed or was given
/// up) is stale: the run has moved on, so it is refused and the app stops.
final class CheckpointCalls: Sendable {
    /// What a checkpoint is recorded into: the run's own call.
    struct OpenCall: Sendable {
        let queueItemID: String
        let functionID: String
        /// Records the ops (each a `StepRun`) for the run; throws ``CheckpointRefusal``.
        let record: @Sendable ([JSONValue]) async throws -> Void
    }

    private let open = Mutex<[String: OpenCall]>([:])

    /// Opens a call for checkpoints until `body` returns.
    func whileOpen<T: Sendable>(runID: String, _ call: OpenCall, _ body: () async -> T) async -> T {
        open.withLock { $0[runID] = call }
        let result = await body()
        open.withLock { calls in
            if calls[runID]?.queueItemID == call.queueItemID { calls[runID] = nil }
        }
        return result
    }

    /// Records a checkpoint for a call now in flight.
    func checkpoint(_ request: CheckpointRequest) async throws(CheckpointRefusal) {
        guard let call = open.withLock({ $0[request.runID] }), call.queueItemID == request.queueItemID else {
            throw .staleDispatch("run \(request.runID) has no call in flight with qi_id \"\(request.queueItemID)\"")
        }
        guard call.functionID == request.functionID else {
            throw .invalid("fn_id \"\(request.functionID)\" is not the function of run \(request.runID)")
        }
        do {
            try await call.record(request.steps)
        } catch let refusal as CheckpointRefusal {
            throw refusal
        } catch {
            throw .unavailable("the steps could not be recorded: \(error)")
        }
    }
}

/// A checkpoint as an app posts it (`POST /v1/checkpoint/{runId}/async`).
public struct CheckpointRequest: Sendable {
    public var runID: String
    /// The server's id of the function, from the call's `ctx.fn_id`.
    public var functionID: String
    /// The call's `ctx.qi_id`.
    public var queueItemID: String
    /// The ops, each a `StepRun` (or `StepPlanned`, which is only announced and ignored).
    public var steps: [JSONValue]

    /// The most ops one checkpoint may carry (the most steps a run may have).
    public static let maxSteps = InngestLimits.maxStepsPerRun

    /// Reads a checkpoint body for the run in the path; the error names the field and the limit.
    public init(runID: String, json: JSONValue) throws(CheckpointRefusal) {
        guard case .object(let body) = json else { throw .invalid("the body must be a JSON object") }
        if let named = body["run_id"], named.stringValue != runID {
            throw .invalid("run_id must be the run in the path (\(runID))")
        }
        guard let functionID = body["fn_id"]?.stringValue, !functionID.isEmpty, functionID.count <= 128 else {
            throw .invalid("fn_id: a string of 1 to 128 characters is required (the call's ctx.fn_id)")
        }
        guard let queueItemID = body["qi_id"]?.stringValue, !queueItemID.isEmpty, queueItemID.count <= 128 else {
            throw .invalid("qi_id: a string of 1 to 128 characters is required (the call's ctx.qi_id)")
        }
        guard case .array(let steps)? = body["steps"] else { throw .invalid("steps: an array of ops is required") }
        guard steps.count <= Self.maxSteps else { throw .invalid("steps: at most \(Self.maxSteps) ops, not \(steps.count)") }
        self.runID = runID
        self.functionID = functionID
        self.queueItemID = queueItemID
        self.steps = steps
    }
}

/// Why a checkpoint was not recorded; each answers as the Inngest server does.
public enum CheckpointRefusal: Error, Sendable, CustomStringConvertible {
    /// `400`: the body or an op is not one the server takes.
    case invalid(String)
    /// `409`: the call the checkpoint names is over; the app must stop.
    case staleDispatch(String)
    /// `503`: the engine could not record it now (shutting down, the store failing).
    case unavailable(String)

    public var description: String {
        switch self {
        case .invalid(let message), .staleDispatch(let message), .unavailable(let message): return message
        }
    }

    /// The HTTP status of the refusal.
    public var status: Int {
        switch self {
        case .invalid: return 400
        case .staleDispatch: return 409
        case .unavailable: return 503
        }
    }
}
