import Foundation
import Inngest
import InngestEngine

/// Runs, steps, events, functions and apps in the API's JSON shapes: a run in the shape of
/// Inngest's REST API (`run_id`, `function_id`, `status` as `Completed`, …), with this
/// project's additions.
package enum RunJSON {
    package static func run(_ run: RunSummary, engine: Engine) -> JSONValue {
        var members: [String: JSONValue] = [
            "run_id": .string(run.id),
            "function_id": .string(engine.compositeID(ofFunction: run.functionID)),
            "status": .string(restStatus(run.status)),
            "state": .string(run.status.rawValue),
            "created_at": time(run.createdAt),
            "run_started_at": time(run.startedAt ?? run.createdAt),
            "ended_at": run.endedAt.map(time) ?? .null,
            "output": run.output ?? run.error?.json ?? .null,
            "event_id": run.eventID.map(JSONValue.string) ?? .null,
        ]
        if let error = run.error { members["error"] = error.json }
        if let parent = run.parentRunID { members["parent_run_id"] = .string(parent) }
        if let original = run.rerunOf { members["rerun_of"] = .string(original) }
        return .object(members)
    }

    package static func detail(_ detail: RunDetail, engine: Engine) -> JSONValue {
        guard case .object(var members) = run(detail.run, engine: engine) else { return .null }
        members["events"] = .array(detail.events.compactMap { try? JSONCodec.shared.jsonValue(of: $0) })
        members["steps"] = .array(detail.steps.map(step))
        if !detail.failedAttempts.isEmpty { members["failed_attempts"] = attempts(detail.failedAttempts) }
        return .object(members)
    }

    static func attempts(_ attempts: [StepAttempt]) -> JSONValue {
        .array(
            attempts.map { attempt in
                ["attempt": .integer(Int64(attempt.number)), "started_at": time(attempt.startedAt), "ended_at": time(attempt.endedAt), "error": attempt.error.json]
            })
    }

    static func step(_ step: StepSummary) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(step.hashedID), "name": .string(step.userID), "index": .integer(Int64(step.index)),
            "kind": .string(step.kind.rawValue), "status": .string(step.status.rawValue), "attempts": .integer(Int64(step.attempts)),
            "started_at": step.startedAt.map(time) ?? .null, "ended_at": step.endedAt.map(time) ?? .null,
            "output": step.output ?? .null, "error": step.error?.json ?? .null,
        ]
        if let detail = step.detail {
            var waits: [String: JSONValue] = [:]
            if let until = detail.until { waits["until"] = time(until) }
            if let event = detail.event { waits["event"] = .string(event) }
            if let condition = detail.condition { waits["if"] = .string(condition) }
            if let function = detail.function { waits["function_id"] = .string(function) }
            if let signal = detail.signal { waits["signal"] = .string(signal) }
            if let runID = detail.runID { waits["run_id"] = .string(runID) }
            members["waits_for"] = .object(waits)
        }
        if !step.failedAttempts.isEmpty { members["failed_attempts"] = attempts(step.failedAttempts) }
        return .object(members)
    }

    static func event(_ stored: StoredEvent, runs: [RunSummary], engine: Engine) -> JSONValue {
        let event = (try? JSONCodec.shared.jsonValue(of: stored.event)) ?? .null
        return [
            "internal_id": .string(stored.internalID), "name": .string(stored.event.name), "data": stored.event.data,
            "id": stored.event.id.map(JSONValue.string) ?? .null, "ts": stored.event.ts.map(JSONValue.integer) ?? .null,
            "received_at": time(stored.receivedAt), "event": event,
            "runs": .array(runs.map { run($0, engine: engine) }),
        ]
    }

    package static func function(_ listing: FunctionListing, manifest: JSONValue?) -> JSONValue {
        // A synced app's function is kept under its composite id; the wire document adds the
        // app's prefix itself, so it gets the function's own id.
        var configuration = listing.configuration
        let prefix = listing.appID + "-"
        if configuration.id == listing.compositeID, configuration.id.hasPrefix(prefix) { configuration.id.removeFirst(prefix.count) }
        let wire = (try? JSONCodec.shared.jsonValue(of: RegisteredFunction(configuration, appURL: listing.url ?? "", appID: listing.appID))) ?? .null
        var members: [String: JSONValue] = [
            "id": .string(listing.compositeID), "slug": .string(listing.key), "app_id": .string(listing.appID),
            "name": .string(configuration.name ?? configuration.id), "configuration": wire,
            "url": listing.url.map(JSONValue.string) ?? .null,
        ]
        if let manifest { members["step_manifest"] = manifest }
        return .object(members)
    }

    static func app(_ app: SyncedApp) -> JSONValue {
        [
            "app_id": .string(app.appID), "url": .string(app.url), "sdk": app.sdk.map(JSONValue.string) ?? .null,
            "functions": .array(app.functionIDs.map(JSONValue.string)), "synced_at": time(app.syncedAt),
        ]
    }

    static func time(_ date: Date) -> JSONValue { .string(ISO8601Timestamp.string(from: date)) }

    /// Inngest's REST status names.
    static func restStatus(_ status: RunStatus) -> String {
        switch status {
        case .queued: return "Queued"
        case .running, .waiting: return "Running"
        case .completed: return "Completed"
        case .failed: return "Failed"
        case .cancelled: return "Cancelled"
        case .skipped: return "Skipped"
        }
    }
}
