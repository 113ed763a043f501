import Foundation
import HTTPTypes
import Inngest
import InngestEngine
import Logging

extension DevServer {
    /// `POST /v1/signals` `{"signal": name, "data": any}`, as on the Inngest server: resumes the
    /// run whose `waitForSignal` holds the name and answers `{"data": {"run_id": …}}`, or `404`
    /// when no run waits for it (SDKs read that as "no run"). The data is optional (`null`).
    func receiveSignal(_ request: HTTPRequestMessage) async -> HTTPResponseMessage {
        guard !request.body.isEmpty else { return Self.badSignal("the body is empty: send {\"signal\": <name>, \"data\": <any JSON>}") }
        let json: JSONValue
        do {
            json = try JSONText.read(request.body)
        } catch {
            return Self.badSignal("the body is not valid JSON: \(error)")
        }
        guard case .object(let body) = json else { return Self.badSignal("the body must be a JSON object {\"signal\": <name>, \"data\": <any JSON>}") }
        guard let signal = body["signal"]?.stringValue else { return Self.badSignal("signal: a string is required (the name a run waits for)") }
        let data = body["data"] ?? .null
        do {
            guard let runID = try await engine.sendSignal(signal, data: data) else {
                return .json(404, ["error": .string("No signal found: no run waits for signal \"\(signal)\""), "status": 404])
            }
            return .json(200, ["data": ["run_id": .string(runID)], "metadata": ["fetched_at": .string(ISO8601Timestamp.string(from: Date()))]])
        } catch let error as InvalidSignal {
            let status: HTTPResponse.Status = error.isTooLarge ? .contentTooLarge : .badRequest
            return .json(status, ["error": .string(error.description), "status": .integer(Int64(status.code))])
        } catch {
            logger.error("signal \"\(signal)\" could not be delivered: \(error)")
            return .json(500, ["error": "the signal could not be delivered; no run was resumed", "status": 500])
        }
    }

    private static func badSignal(_ message: String) -> HTTPResponseMessage {
        .json(400, ["error": .string(message), "status": 400])
    }
}
