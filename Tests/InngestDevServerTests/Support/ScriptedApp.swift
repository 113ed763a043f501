import Foundation
import HTTPTypes
import Inngest
import InngestDevServer
import Testing

/// An app that answers the engine's calls from a script instead of an SDK: for input an SDK
/// would never send, such as ops with absurd times or any register payload.
struct ScriptedApp {
    struct Call: Sendable {
        /// The composite id the call's URL names (`fnId`).
        var functionID: String
        var stepID: String
        var steps: [String: JSONValue]
        var attempt: Int
        var event: JSONValue
    }

    enum Answer: Sendable {
        case completed(JSONValue)
        /// A `206` with these ops (one op object or an array, as JSON text).
        case ops(String)
        /// A `500` with an error, and the retry headers given.
        case failed(retryAfter: String?, noRetry: Bool = false)
    }

    let dev: DevHarness
    let appID: String

    init(_ dev: DevHarness, _ appID: String, answer: @escaping @Sendable (Call) -> Answer) {
        self.dev = dev
        self.appID = appID
        dev.network.route("http://\(appID).test") { request in
            let body = (try? JSONText.read(request.body)) ?? [:]
            let query = request.queryItems
            let call = Call(
                functionID: query.first { $0.name == "fnId" }?.value ?? "",
                stepID: query.first { $0.name == "stepId" }?.value ?? "",
                steps: body["steps"]?.objectValue ?? [:],
                attempt: Int(body["ctx"]?["attempt"]?.integerValue ?? 0),
                event: body["event"] ?? .null)
            var headers: HTTPFields = [.inngestSDK: "scripted:v1", .contentType: "application/json"]
            switch answer(call) {
            case .completed(let value):
                return HTTPResponseMessage(status: 200, headerFields: headers, body: Array(((try? JSONText.write(value)) ?? "null").utf8))
            case .ops(let text):
                return HTTPResponseMessage(status: 206, headerFields: headers, body: Array(text.utf8))
            case .failed(let retryAfter, let noRetry):
                if let retryAfter { headers[.retryAfter] = retryAfter }
                if noRetry { headers[.inngestNoRetry] = "true" }
                return HTTPResponseMessage(status: 500, headerFields: headers, body: Array(#"{"name":"Error","message":"the app refused"}"#.utf8))
            }
        }
    }

    /// Registers `functions` (register-payload function objects) as this app, through `POST /fn/register`.
    func register(_ functions: [JSONValue]) async throws {
        let body = try JSONText.write([
            "appName": .string(appID), "url": .string("http://\(appID).test/api/inngest"), "sdk": "py:v0.5.19",
            "functions": .array(functions),
        ])
        let response = await dev.server.handle(HTTPRequestMessage(method: .post, url: DevHarness.devOrigin + "/fn/register", body: Array(body.utf8)))
        try #require(response.status == 200, "register answered \(response.status): \(response.bodyText)")
    }
}
