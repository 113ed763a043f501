import Foundation
import HTTPTypes
import Inngest
import InngestEngine
import Logging

extension DevServer {
    /// `POST /v1/checkpoint/{runId}/async`, as on the Inngest server: the steps an app ran
    /// during the call it names (`fn_id`, `qi_id`), recorded before the answer. `200` when
    /// stored; `409` when that call is over (the app must stop: the run has moved on); `400`
    /// naming the field or op for a body it cannot take; `503` when the run takes no steps now.
    func receiveCheckpoint(_ request: HTTPRequestMessage, runID: String) async -> HTTPResponseMessage {
        guard !request.body.isEmpty else { return Self.refused(.invalid("the body is empty: send the checkpoint as a JSON object"), runID: runID) }
        let json: JSONValue
        do {
            json = try JSONText.read(request.body)
        } catch {
            return Self.refused(.invalid("the body is not valid JSON: \(error)"), runID: runID)
        }
        do {
            try await engine.checkpoint(try CheckpointRequest(runID: runID, json: json))
            return .json(200, ["data": ["run_id": .string(runID)]])
        } catch let refusal as CheckpointRefusal {
            if case .unavailable = refusal { logger.warning("checkpoint for run \(runID) not recorded: \(refusal)") }
            return Self.refused(refusal, runID: runID)
        } catch {
            return Self.refused(.unavailable("the checkpoint could not be recorded: \(error)"), runID: runID)
        }
    }

    private static func refused(_ refusal: CheckpointRefusal, runID: String) -> HTTPResponseMessage {
        let status = HTTPResponse.Status(code: refusal.status)
        return .json(status, ["error": .string(refusal.description), "data": ["run_id": .string(runID)], "status": .integer(Int64(refusal.status))])
    }
}
