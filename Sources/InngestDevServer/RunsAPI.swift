import Foundation
import HTTPTypes
import Inngest
import InngestEngine
import Logging

extension DevServer {
    /// `GET /v0/runs/{id}/actions`: the run's recorded steps, shaped like a call's `steps`.
    func recordedSteps(runID: String) async -> HTTPResponseMessage {
        await answer {
            guard let steps = try await engine.recordedSteps(ofRun: runID) else { return Self.runNotFound(runID) }
            return .json(200, .object(steps))
        }
    }

    /// `GET /v0/runs/{id}/batch`: the run's events.
    func runEvents(runID: String) async -> HTTPResponseMessage {
        await answer {
            guard let events = try await engine.events(ofRun: runID) else { return Self.runNotFound(runID) }
            return .json(200, .array(try events.map { try JSONCodec.shared.jsonValue(of: $0) }))
        }
    }

    /// `GET /dev`: the apps, each `synced` with its functions, or not synced with the
    /// `error` of its last sync (an app whose latest sync failed shows as not synced).
    func apps() async -> HTTPResponseMessage {
        await answer {
            let apps = try await engine.syncedApps()
            var failures = syncs.all
            var entries: [JSONValue] = apps.map { app in
                var members: [String: JSONValue] = [
                    "app_id": .string(app.appID), "url": .string(app.url),
                    "functions": .array(app.functionIDs.map(JSONValue.string)),
                    "synced_at": .string(ISO8601Timestamp.string(from: app.syncedAt)),
                    "synced": true,
                ]
                if let sdk = app.sdk { members["sdk"] = .string(sdk) }
                if let failure = failures.removeValue(forKey: SyncLog.key(app.url)), failure.at >= app.syncedAt {
                    members["synced"] = false
                    members["error"] = .string(failure.reason)
                    members["attempted_at"] = .string(ISO8601Timestamp.string(from: failure.at))
                }
                return .object(members)
            }
            for failure in failures.values.sorted(by: { $0.url < $1.url }) {
                entries.append([
                    "app_id": failure.appID.map(JSONValue.string) ?? .null, "url": .string(failure.url), "functions": [],
                    "synced": false, "error": .string(failure.reason),
                    "attempted_at": .string(ISO8601Timestamp.string(from: failure.at)),
                ])
            }
            return .json(200, ["apps": .array(entries)])
        }
    }

    static func runNotFound(_ runID: String) -> HTTPResponseMessage {
        .json(404, ["error": .string("no run has the id \(runID)"), "status": 404])
    }

    private func answer(_ work: () async throws -> HTTPResponseMessage) async -> HTTPResponseMessage {
        do {
            return try await work()
        } catch {
            logger.error("a read of the engine's state failed: \(error)")
            return .json(500, ["error": "the engine's state could not be read", "status": 500])
        }
    }
}
