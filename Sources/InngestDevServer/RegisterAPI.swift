import Foundation
import HTTPTypes
import Inngest
import InngestEngine
import Logging

extension DevServer {
    /// `POST /fn/register`: an app's out-of-band sync. Answers as Inngest's dev server does:
    /// `{"ok": true, "modified", "sync_id", "app_id"}`, or a non-200 with `{"error"}`.
    func register(_ request: HTTPRequestMessage) async -> HTTPResponseMessage {
        if let expected = request.headerFields[.inngestExpectedServerKind], !expected.isEmpty, expected.lowercased() != "dev" {
            return .json(400, ["error": .string("the app expects a \(expected) server, but this is a dev server")])
        }
        return await authorized(request) {
            let json: JSONValue
            do {
                json = try JSONText.read(request.body)
            } catch {
                return .json(400, ["error": .string("the register body is not valid JSON: \(error)")])
            }
            let identity = try? JSONCodec.shared.decode(RegisterRequest.Identity.self, from: json)
            let appID = identity?.appName
            let url = identity?.url ?? ""
            do {
                let modified = try await engine.sync(registration: json)
                syncs.succeeded(url: url)
                logger.info("synced app \(appID ?? "")\(modified ? "" : " (unchanged)")")
                return .json(
                    200,
                    [
                        "ok": true, "modified": .bool(modified), "sync_id": .string(UUID().uuidString.lowercased()),
                        "app_id": .string(Self.stableUUID(appID ?? "")),
                    ])
            } catch let error as EngineError {
                syncs.failed(url: url, appID: appID, reason: error.description, at: Date())
                logger.error("app \(appID ?? url) was not synced: \(error)")
                return .json(400, ["code": "invalid_config", "error": .string(error.description), "status": 400])
            } catch {
                logger.error("an app could not be synced: \(error)")
                return .json(500, ["error": "the app could not be stored", "status": 500])
            }
        }
    }

    /// A UUID-shaped id that is the same for the same app every time.
    static func stableUUID(_ text: String) -> String {
        let hex = Array(StepIdentity.hash("app:" + text).prefix(32))
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(hex[$0]) }
        return groups.joined(separator: "-")
    }
}
