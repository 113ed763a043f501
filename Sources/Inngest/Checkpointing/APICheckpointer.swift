import Foundation
import HTTPTypes

/// Checkpoints a call's steps to the server: `POST /v1/checkpoint/{runId}/async` with the
/// run, the function and queue item the call was for, and the ops, as the TypeScript SDK
/// sends them; authorized with the signing key like every API call.
///
/// `200` means stored; `409` that the server has moved on from this call (stale dispatch).
/// A transport error, `429` or a `5xx` is tried again after a short backoff; anything else
/// fails at once and the steps go back in the call's answer.
struct APICheckpointer: Checkpointer {
    let client: InngestClient
    let runID: String
    let target: CheckpointTarget
    /// Tries per checkpoint, the first included.
    var maxTries = 5
    /// The first backoff; each next one doubles, with up to half again of jitter.
    var firstBackoff: Duration = .milliseconds(100)

    func checkpoint(_ ops: [Opcode]) async throws(CheckpointFailure) {
        let body: [UInt8]
        do {
            body = try Array(JSONCodec.shared.encode(CheckpointBody(runID: runID, target: target, steps: ops, sentAt: Date())))
        } catch {
            throw .failed("the checkpoint could not be encoded: \(error)")
        }
        let escaped = runID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? runID
        var backoff = firstBackoff
        var lastProblem = ""
        for tryNumber in 1...max(1, maxTries) {
            do {
                let response = try await client.apiRequest(method: .post, path: "/v1/checkpoint/\(escaped)/async", body: body)
                let status = response.status.code
                if (200..<300).contains(status) { return }
                if status == 409 { throw CheckpointFailure.staleDispatch }
                lastProblem = "HTTP \(status): \(String(decoding: response.body.prefix(200), as: UTF8.self))"
                guard status == 429 || status >= 500 else { break }
            } catch let failure as CheckpointFailure {
                throw failure
            } catch {
                lastProblem = client.redacted(String(describing: error))
            }
            guard tryNumber < maxTries else { break }
            let jitter = Double.random(in: 0...0.5)
            try? await Task.sleep(for: backoff + backoff * jitter)
            backoff *= 2
        }
        throw .failed("checkpointing run \(runID) failed: \(lastProblem)")
    }
}

/// The body of an async checkpoint, field for field as the TypeScript SDK writes it.
struct CheckpointBody: Encodable {
    let runID: String
    let target: CheckpointTarget
    let steps: [Opcode]
    let sentAt: Date

    private enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case functionID = "fn_id"
        case queueItemID = "qi_id"
        case requestID = "request_id"
        case generationID = "generation_id"
        case requestStartedAt = "request_started_at"
        case steps
        case timestamp = "ts"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runID, forKey: .runID)
        try container.encode(target.functionID, forKey: .functionID)
        try container.encode(target.queueItemID, forKey: .queueItemID)
        try container.encodeIfPresent(target.requestID, forKey: .requestID)
        try container.encodeIfPresent(target.generationID, forKey: .generationID)
        try container.encode(target.requestStartedAt, forKey: .requestStartedAt)
        try container.encode(steps, forKey: .steps)
        try container.encode(Int64((sentAt.timeIntervalSince1970 * 1000).rounded(.down)), forKey: .timestamp)
    }
}
