import Foundation
import HTTPTypes
import Inngest
import InngestEngine

/// The JSON run-control API under `<base>/v1/`, what the dashboard's pages call. Where
/// Inngest's REST API has a route, the path and shape are its; the rest are this project's.
///
/// | route | what | Inngest's |
/// | --- | --- | --- |
/// | `GET v1/runs` | runs, newest first: `status`, `function_id`, `app_id`, `event`, `created_after`, `created_before`, `cursor`, `limit` | ours |
/// | `GET v1/runs/{id}` | a run with its events and steps | Inngest's (steps and events added) |
/// | `POST v1/runs/{id}/cancel`, `DELETE v1/runs/{id}` | cancel | Inngest's |
/// | `POST v1/runs/bulk-cancel?…` | cancel every live run a runs listing's query matches | ours |
/// | `POST v1/runs/{id}/rerun` | `{"from_step": hashed id}` or `{}`: a new run | ours |
/// | `GET v1/events` | events, newest first: `name`, `cursor`, `limit` | Inngest's |
/// | `GET v1/events/{id}`, `GET v1/events/{id}/runs` | an event; the runs it started | Inngest's |
/// | `POST v1/events` | send an event (or an array) | ours (Inngest's event API is `/e/{key}`) |
/// | `GET v1/functions`, `GET v1/functions/{id}` | functions with triggers and options | ours |
/// | `POST v1/functions/{id}/invoke` | `{"data": {...}}`: a new run | ours |
/// | `GET v1/apps`, `POST v1/apps/resync` | synced apps; resync `{"url": …}` | ours |
/// | `POST v1/cancellations` | bulk cancel: `app_id`, `function_id`, `started_after`, `started_before`, `if` | Inngest's |
struct RunControlAPI {
    let dashboard: Dashboard
    var engine: Engine { dashboard.engine }

    func respond(to request: HTTPRequestMessage, parts: [String]) async -> DashboardResponse {
        let method = request.method
        let route: (allowed: [HTTPRequest.Method], work: () async throws -> HTTPResponseMessage)
        switch parts.count {
        case 1 where parts[0] == "runs": route = ([.get], { try await listRuns(request) })
        case 2 where parts == ["runs", "bulk-cancel"]: route = ([.post], { try await cancelMatching(request) })
        case 2 where parts[0] == "runs":
            route = ([.get, .delete], { method == .delete ? try await cancel(parts[1]) : try await run(parts[1]) })
        case 3 where parts[0] == "runs" && parts[2] == "cancel": route = ([.post], { try await cancel(parts[1]) })
        case 3 where parts[0] == "runs" && parts[2] == "rerun": route = ([.post], { try await rerun(parts[1], request) })
        case 1 where parts[0] == "events": route = ([.get, .post], { method == .post ? try await send(request) : try await listEvents(request) })
        case 2 where parts[0] == "events": route = ([.get], { try await event(parts[1]) })
        case 3 where parts[0] == "events" && parts[2] == "runs": route = ([.get], { try await runs(ofEvent: parts[1]) })
        case 1 where parts[0] == "functions": route = ([.get], { functions() })
        case 2 where parts[0] == "functions": route = ([.get], { try function(parts[1]) })
        case 3 where parts[0] == "functions" && parts[2] == "invoke": route = ([.post], { try await invoke(parts[1], request) })
        case 1 where parts[0] == "apps": route = ([.get], { try await apps() })
        case 2 where parts == ["apps", "resync"]: route = ([.post], { try await resync(request) })
        case 1 where parts[0] == "cancellations": route = ([.post], { try await bulkCancel(request) })
        default:
            return .complete(Self.error(404, "no route for \(method.rawValue) \(request.path)"))
        }
        guard route.allowed.contains(method) else {
            let allowed = route.allowed.map(\.rawValue).joined(separator: ", ")
            return .complete(
                .dashboardJSON(
                    .methodNotAllowed, ["error": .string("\(method.rawValue) is not allowed on \(request.path); use \(allowed)"), "status": 405],
                    headers: [.allow: allowed]))
        }
        if method == .post, let problem = Self.bodyProblem(request) { return .complete(Self.error(415, problem)) }
        do {
            return .complete(try await route.work())
        } catch let error as APIError {
            return .complete(Self.error(error.status, error.message))
        } catch let error as EngineError {
            switch error {
            case .unknownRun, .unknownFunction, .unknownStep: return .complete(Self.error(404, error.description))
            case .shutDown: return .complete(Self.error(503, error.description))
            default: return .complete(Self.error(400, error.description))
            }
        } catch let error as InvalidEvent {
            return .complete(Self.error(400, error.description))
        } catch let error as InvalidCursor {
            return .complete(Self.error(400, error.description))
        } catch {
            return .complete(Self.error(500, "the engine's state could not be read or written: \(error)"))
        }
    }

    /// Actions carry a JSON body (or none): a form of another site cannot send one.
    private static func bodyProblem(_ request: HTTPRequestMessage) -> String? {
        let type = (request.headerFields[.contentType] ?? "").lowercased()
        if request.body.isEmpty && type.isEmpty { return nil }
        return type.hasPrefix("application/json") ? nil : "an action's body must be JSON (Content-Type: application/json), not \(type.isEmpty ? "none" : type)"
    }

    // MARK: Runs

    private func listRuns(_ request: HTTPRequestMessage) async throws -> HTTPResponseMessage {
        let query = try RunQuery(request, engine: engine)
        let page = try await engine.runs(matching: query.filter, after: query.cursor, limit: query.limit)
        return .dashboardJSON(
            200, ["data": .array(page.items.map { RunJSON.run($0, engine: engine) }), "metadata": ["next_cursor": page.nextCursor.map(JSONValue.string) ?? .null]])
    }

    private func run(_ runID: String) async throws -> HTTPResponseMessage {
        guard let detail = try await engine.run(id: runID) else { throw EngineError.unknownRun(runID) }
        return .dashboardJSON(200, ["data": RunJSON.detail(detail, engine: engine)])
    }

    private func cancel(_ runID: String) async throws -> HTTPResponseMessage {
        try await engine.cancelRun(id: runID)
        return try await run(runID)
    }

    private func rerun(_ runID: String, _ request: HTTPRequestMessage) async throws -> HTTPResponseMessage {
        let body = try Self.object(request)
        let step = try Self.optionalString(body, "from_step")
        let newRunID = try await engine.rerun(runID, fromStep: step)
        return .dashboardJSON(201, ["data": ["run_id": .string(newRunID), "rerun_of": .string(runID)]])
    }

    // MARK: Events

    private func listEvents(_ request: HTTPRequestMessage) async throws -> HTTPResponseMessage {
        let limit = try RunQuery.limit(request)
        let page = try await engine.events(named: request.query("name").flatMap { $0.isEmpty ? nil : $0 }, after: request.query("cursor"), limit: limit)
        let runs = try await engine.runs(startedByEvents: page.items.map(\.internalID))
        return .dashboardJSON(
            200,
            [
                "data": .array(page.items.map { RunJSON.event($0, runs: runs[$0.internalID] ?? [], engine: engine) }),
                "metadata": ["next_cursor": page.nextCursor.map(JSONValue.string) ?? .null],
            ])
    }

    private func event(_ eventID: String) async throws -> HTTPResponseMessage {
        guard let stored = try await engine.event(id: eventID) else { throw APIError(404, "no event has the id \(eventID)") }
        let runs = try await engine.runs(startedByEvent: eventID)
        return .dashboardJSON(200, ["data": RunJSON.event(stored, runs: runs, engine: engine)])
    }

    private func runs(ofEvent eventID: String) async throws -> HTTPResponseMessage {
        let runs = try await engine.runs(startedByEvent: eventID)
        return .dashboardJSON(200, ["data": .array(runs.map { RunJSON.run($0, engine: engine) })])
    }

    private func send(_ request: HTTPRequestMessage) async throws -> HTTPResponseMessage {
        let body = try Self.json(request)
        let values = body.arrayValue ?? [body]
        var events: [AnyEvent] = []
        for (index, value) in values.enumerated() {
            do {
                events.append(try JSONCodec.shared.decode(AnyEvent.self, from: Data(try JSONText.write(value).utf8)))
            } catch {
                throw APIError(400, "event \(index) is not an event (an object with a string \"name\" and an object \"data\"): \(error)")
            }
        }
        let ids = try await engine.send(events)
        return .dashboardJSON(200, ["ids": .array(ids.map(JSONValue.string)), "status": 200])
    }

    // MARK: Functions and apps

    private func functions() -> HTTPResponseMessage {
        .dashboardJSON(200, ["data": .array(engine.functionListings.map { RunJSON.function($0, manifest: dashboard.configuration.stepManifests[$0.compositeID]) })])
    }

    private func function(_ id: String) throws -> HTTPResponseMessage {
        guard let listing = engine.functionListings.first(where: { $0.compositeID == id || $0.key == id }) else {
            throw EngineError.unknownFunction(id)
        }
        return .dashboardJSON(200, ["data": RunJSON.function(listing, manifest: dashboard.configuration.stepManifests[listing.compositeID])])
    }

    private func invoke(_ functionID: String, _ request: HTTPRequestMessage) async throws -> HTTPResponseMessage {
        let body = try Self.object(request)
        let data = body["data"] ?? [:]
        guard data.objectValue != nil || data.isNull else { throw APIError(400, "\"data\" must be a JSON object") }
        let runID = try await engine.invoke(functionID, data: data)
        return .dashboardJSON(201, ["data": ["run_id": .string(runID)]])
    }

    private func apps() async throws -> HTTPResponseMessage {
        let apps = try await engine.syncedApps()
        return .dashboardJSON(200, ["data": .array(apps.map(RunJSON.app))])
    }

    private func resync(_ request: HTTPRequestMessage) async throws -> HTTPResponseMessage {
        guard let resync = dashboard.configuration.resyncApp else { throw APIError(404, "this server does not sync apps") }
        let body = try Self.object(request)
        guard let url = try Self.optionalString(body, "url"), !url.isEmpty else { throw APIError(400, "\"url\" is required: the app's serve URL") }
        do {
            try await resync(url)
        } catch {
            throw APIError(502, "the app at \(url) could not be synced: \(error)")
        }
        return try await apps()
    }

    // MARK: Bulk cancellation

    /// `POST v1/runs/bulk-cancel?<a runs listing's query>`: cancels every live run the listing matches.
    private func cancelMatching(_ request: HTTPRequestMessage) async throws -> HTTPResponseMessage {
        let query = try RunQuery(request, engine: engine)
        let cancelled = try await engine.cancelRuns(matching: query.filter)
        return .dashboardJSON(200, ["cancelled": .integer(Int64(cancelled.count)), "run_ids": .array(cancelled.map(JSONValue.string))])
    }

    /// Inngest's `POST /v1/cancellations`.
    private func bulkCancel(_ request: HTTPRequestMessage) async throws -> HTTPResponseMessage {
        let body = try Self.object(request)
        guard let appID = try Self.optionalString(body, "app_id"), let functionID = try Self.optionalString(body, "function_id") else {
            throw APIError(400, "\"app_id\" and \"function_id\" are required")
        }
        let composite = functionID.hasPrefix(appID + "-") ? functionID : "\(appID)-\(functionID)"
        guard let key = engine.functionKey(for: composite) else { throw EngineError.unknownFunction(composite) }
        let after = try Self.time(body, "started_after")
        let before = try Self.time(body, "started_before")
        let condition = try Self.optionalString(body, "if")
        let filter = RunFilter(functionIDs: [key], createdAfter: after, createdBefore: before)
        let cancelled = try await engine.cancelRuns(matching: filter, condition: condition)
        var data: [String: JSONValue] = [
            "id": .string(UUID().uuidString), "app_id": .string(appID), "function_id": .string(functionID),
            "started_after": after.map { .string(ISO8601Timestamp.string(from: $0)) } ?? .null,
            "started_before": before.map { .string(ISO8601Timestamp.string(from: $0)) } ?? .null,
            "cancelled": .integer(Int64(cancelled.count)), "run_ids": .array(cancelled.map(JSONValue.string)),
        ]
        data["if"] = condition.map(JSONValue.string) ?? .null
        return .dashboardJSON(200, .object(data))
    }

    // MARK: Request bodies

    private static func json(_ request: HTTPRequestMessage) throws -> JSONValue {
        guard !request.body.isEmpty else { return [:] }
        do {
            return try JSONText.read(request.body)
        } catch {
            throw APIError(400, "the body is not valid JSON: \(error)")
        }
    }

    private static func object(_ request: HTTPRequestMessage) throws -> [String: JSONValue] {
        guard let object = try json(request).objectValue else { throw APIError(400, "the body must be a JSON object") }
        return object
    }

    private static func optionalString(_ body: [String: JSONValue], _ field: String) throws -> String? {
        guard let value = body[field], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw APIError(400, "\"\(field)\" must be a string") }
        return text
    }

    private static func time(_ body: [String: JSONValue], _ field: String) throws -> Date? {
        guard let text = try optionalString(body, field) else { return nil }
        guard let date = ISO8601Timestamp.date(from: text) else {
            throw APIError(400, "\"\(field)\" must be an RFC 3339 time such as 2026-01-21T18:23:12.000Z, not \"\(text)\"")
        }
        return date
    }

    static func error(_ status: Int, _ message: String) -> HTTPResponseMessage {
        .dashboardJSON(HTTPResponse.Status(code: status), ["error": .string(message), "status": .integer(Int64(status))])
    }
}

/// A request the API refuses, with its status and why.
package struct APIError: Error {
    package let status: Int
    package let message: String

    package init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }
}
