import Foundation
import HTTPTypes
import Inngest
import InngestEngine
import Logging

extension DevServer {
    /// `POST /e/{key}`: stores the events and starts what they trigger; nothing is stored
    /// when any event is invalid. The runs continue the request's trace (`traceparent`).
    func receiveEvents(_ request: HTTPRequestMessage, key: String) async -> HTTPResponseMessage {
        let key = key.removingPercentEncoding ?? key
        if !configuration.eventKeys.isEmpty && !configuration.eventKeys.contains(key) {
            return .json(401, ["ids": [], "status": 401, "error": "Event key not found"])
        }
        guard !request.body.isEmpty else {
            return .json(400, ["ids": [], "status": 400, "error": "the body is empty: send one event object or an array of events"])
        }
        let json: JSONValue
        do {
            json = try JSONText.read(request.body)
        } catch {
            return .json(400, ["ids": [], "status": 400, "error": .string("the body is not valid JSON: \(error)")])
        }
        let raw: [JSONValue]
        switch json {
        case .array(let elements): raw = elements
        case .object: raw = [json]
        default: return .json(400, ["ids": [], "status": 400, "error": "the body must be an event object or an array of events"])
        }
        var events: [AnyEvent] = []
        for (index, element) in raw.enumerated() {
            do {
                events.append(try AnyEvent(jsonTree: element))
            } catch {
                return .json(400, ["ids": [], "status": 400, "error": .string("event [\(index)] is not a valid event: \(error)")])
            }
        }
        do {
            // The runs continue the trace of the request (`traceparent`), as Inngest's event API does.
            let ids = try await engine.send(events, traceHeaders: TraceHeaders(request.headerFields))
            return .json(200, ["ids": .array(ids.map(JSONValue.string)), "status": 200])
        } catch let error as InvalidEvent {
            let status: HTTPResponse.Status = error.isTooLarge ? .contentTooLarge : .badRequest
            return .json(status, ["ids": [], "status": .integer(Int64(status.code)), "error": .string(error.description)])
        } catch {
            logger.error("events could not be stored: \(error)")
            return .json(500, ["ids": [], "status": 500, "error": "the events could not be stored; nothing was accepted"])
        }
    }
}
