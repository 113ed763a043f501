import Foundation
import Inngest
import InngestEngine

/// A runs listing as a query string states it (the API's and the runs page's):
/// `status` (one or more, comma-separated: `completed`, `failed`, … or Inngest's `Completed`,
/// `Running`), `function_id` (composite or own id), `app_id`, `event` (the triggering event's
/// name), `created_after` / `created_before` (RFC 3339, or `datetime-local` form values, read
/// as UTC), `cursor`, `limit` (1–500, 50 by default).
struct RunQuery {
    var filter = RunFilter()
    var cursor: String?
    var limit = 50
    /// The query's own values, to render the filter form and the next page's link.
    var status = ""
    var functionID = ""
    var appID = ""
    var eventName = ""
    var createdAfter = ""
    var createdBefore = ""

    init(_ request: HTTPRequestMessage, engine: Engine) throws {
        func value(_ name: String) -> String? {
            guard let text = request.query(name)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        if let status = value("status") {
            self.status = status
            for name in status.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !name.isEmpty {
                guard let parsed = RunStatus(rawValue: name) else {
                    throw APIError(400, "\"status\" has \"\(name)\"; use \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                filter.statuses.insert(parsed)
            }
        }
        let functions = engine.functionListings
        if let functionID = value("function_id") {
            self.functionID = functionID
            guard let key = engine.functionKey(for: functionID) else { throw APIError(404, "no function with the id \"\(functionID)\" is registered") }
            filter.functionIDs = [key]
        }
        if let appID = value("app_id") {
            self.appID = appID
            let keys = Set(functions.filter { $0.appID == appID }.map(\.key))
            guard !keys.isEmpty else { throw APIError(404, "no app with the id \"\(appID)\" has functions here") }
            if filter.functionIDs.isEmpty {
                filter.functionIDs = keys
            } else if filter.functionIDs.isDisjoint(with: keys) {
                throw APIError(404, "the function \"\(functionID)\" is not one of the app \"\(appID)\"")
            }
        }
        if let event = value("event") {
            eventName = event
            filter.eventName = event
        }
        if let after = value("created_after") {
            createdAfter = after
            filter.createdAfter = try Self.time(after, field: "created_after")
        }
        if let before = value("created_before") {
            createdBefore = before
            filter.createdBefore = try Self.time(before, field: "created_before")
        }
        cursor = value("cursor")
        limit = try Self.limit(request)
    }

    static func limit(_ request: HTTPRequestMessage) throws -> Int {
        guard let text = request.query("limit"), !text.isEmpty else { return 50 }
        guard let limit = Int(text), limit >= 1, limit <= Page<RunSummary>.maxSize else {
            throw APIError(400, "\"limit\" must be a whole number from 1 to \(Page<RunSummary>.maxSize), not \"\(text)\"")
        }
        return limit
    }

    /// RFC 3339, or a `datetime-local` value (`2026-12-04T10:30`, read as UTC).
    static func time(_ text: String, field: String) throws -> Date {
        if let date = ISO8601Timestamp.date(from: text) { return date }
        if let date = ISO8601Timestamp.date(from: text + ":00Z") ?? ISO8601Timestamp.date(from: text + "Z") { return date }
        throw APIError(400, "\"\(field)\" must be a time such as 2026-12-04T10:30:00Z, not \"\(text)\"")
    }

    /// The query string of this listing, without the cursor, for links.
    var queryString: String {
        let pairs = [
            ("status", status), ("function_id", functionID), ("app_id", appID), ("event", eventName), ("created_after", createdAfter),
            ("created_before", createdBefore),
        ].filter { !$0.1.isEmpty }
        var components = URLComponents()
        components.queryItems = pairs.map { URLQueryItem(name: $0.0, value: $0.1) }
        return components.percentEncodedQuery ?? ""
    }
}
