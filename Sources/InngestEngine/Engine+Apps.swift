import Foundation
import GRDB
import Inngest
import Logging
import Synchronization

/// An app served over HTTP that the engine runs functions of.
public struct SyncedApp: Sendable, Hashable {
    /// The app's id.
    public let appID: String
    /// Where the engine calls it.
    public let url: String
    /// `<language>:v<version>` as the app registered, e.g. `py:v0.5.19`.
    public let sdk: String?
    /// Composite ids (`<app>-<function>`), sorted.
    public let functionIDs: [String]
    /// When it last synced.
    public let syncedAt: Date
}

extension Engine {
    /// Registers an app served over HTTP from its register payload (`POST /fn/register`), or
    /// replaces what an earlier sync of it registered. Its functions then run in this engine
    /// like its own — triggers, flow control, retries, sleeps, waits and invokes are the
    /// engine's — each step executed by calling the app as the Inngest server does.
    ///
    /// The registration is stored, so a restarted engine knows the app again. A payload with
    /// any invalid function changes nothing.
    ///
    /// - Returns: whether anything changed since the app's last sync.
    /// - Throws: ``EngineError/invalidRegistration(_:)`` naming the field and the problem.
    @discardableResult
    public func sync(registration json: JSONValue) async throws -> Bool {
        let registration: AppRegistration
        do {
            registration = try AppRegistration(json: json)
        } catch {
            throw EngineError.invalidRegistration(error.description)
        }
        guard registration.appID != appID else {
            throw EngineError.invalidRegistration("the app id \"\(appID)\" is this engine's own app")
        }
        let modified = try register(registration)
        let now = clock.now()
        let functions = catalog.all.map(\.function)
        let text = try StoredJSON.text(json)
        try await commit { database in
            try Apps.save(registration.appID, registration: text, at: now, in: database)
            var effects = Effects()
            effects.addTimer(try CronScheduling.ensureTimers(in: database, functions: functions, now: now))
            return effects
        }
        return modified
    }

    /// The apps synced over HTTP, by id.
    public func syncedApps() async throws -> [SyncedApp] {
        let stored = try await database.read { database in
            try Apps.all(in: database)
        }
        return stored.compactMap { text, syncedAt in
            guard let json = try? StoredJSON.value(JSONValue.self, from: text),
                let registration = try? AppRegistration(json: json)
            else { return nil }
            return SyncedApp(
                appID: registration.appID, url: registration.url, sdk: registration.sdk,
                functionIDs: registration.functions.map(\.compositeID).sorted(),
                syncedAt: Date(milliseconds: syncedAt))
        }
    }

    /// Puts an app's functions in the catalog, each a proxy that drives the app over HTTP.
    @discardableResult
    func register(_ registration: AppRegistration) throws -> Bool {
        guard let transport = options.appTransport else { throw EngineError.noAppTransport }
        // Signatures carry wall-clock time (the app checks it against its own clock), also under a test clock.
        let limit = options.maxConcurrentCallsPerApp
        let gate = appGates.withLock { gates in
            if let gate = gates[registration.appID], gate.limit == limit { return gate }
            let gate = AppCallGate(limit: limit)
            gates[registration.appID] = gate
            return gate
        }
        var caller = AppCaller(transport: transport, gate: gate, signingKey: options.signingKey, serverKind: "dev", now: { Date() })
        caller.maxBodyBytes = options.maxCallBodyBytes
        caller.tracer = tracer
        caller.checkpoints = options.offersCheckpointing ? checkpointCalls : nil
        let entries = try registration.functions.map { function in
            var configuration = function.configuration
            // Keyed by the composite id: another app's function id may equal one of ours.
            configuration.id = function.compositeID
            let remote = RemoteFunction(compositeID: function.compositeID, url: function.url, caller: caller)
            return try FunctionCatalog.Entry(
                function: remote.engineFunction(configuration), compositeID: function.compositeID,
                appID: registration.appID, url: function.url)
        }
        return try catalog.replace(appID: registration.appID, with: entries)
    }

    /// Registers the apps a previous process synced, before their runs resume.
    func restoreSyncedApps() async throws {
        let stored = try await database.read { database in
            try Apps.all(in: database).map(\.registration)
        }
        for text in stored {
            guard let json = try StoredJSON.value(JSONValue.self, from: text) else { continue }
            do {
                try register(try AppRegistration(json: json))
            } catch {
                logger.error("a stored app registration could not be restored: \(error)")
            }
        }
    }

    /// Recorded step results of a run, in the shape of a call's `steps` (for `GET /v0/runs/{id}/actions`).
    public func recordedSteps(ofRun runID: String) async throws -> [String: JSONValue]? {
        try await database.read { database in
            guard try Runs.exists(runID, in: database) else { return nil }
            return try StepRecords.recordedMemos(ofRun: runID, in: database)
        }
    }

    /// The events of a run (for `GET /v0/runs/{id}/batch`).
    public func events(ofRun runID: String) async throws -> [AnyEvent]? {
        try await database.read { database in
            guard let text = try Runs.events(ofRun: runID, in: database) else { return nil }
            return try StoredJSON.value([AnyEvent].self, from: text) ?? []
        }
    }

    /// The wire id of a function the runs name by `functionID` (an own function's id, or another app's composite id).
    public func compositeID(ofFunction functionID: String) -> String {
        catalog[functionID]?.compositeID ?? "\(appID)-\(functionID)"
    }
}

extension Engine {
    /// Records steps an app ran during a call and checkpointed
    /// (`POST /v1/checkpoint/{runId}/async`): each `StepRun` is committed as a completed step
    /// of the run before this returns, so the app may go on to the next.
    ///
    /// - Parameter request: the checkpoint as the app sent it.
    /// - Throws: ``CheckpointRefusal``: `staleDispatch` when the call it names is over (the app
    ///   must stop), `invalid` for an op that cannot be checkpointed, `unavailable` when the
    ///   run takes no steps now.
    public func checkpoint(_ request: CheckpointRequest) async throws(CheckpointRefusal) {
        try await checkpointCalls.checkpoint(request)
    }
}
