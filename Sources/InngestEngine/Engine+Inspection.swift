import Foundation
import GRDB
import Inngest

/// The inspection API of a running engine; an ``EngineReader`` answers the same queries from
/// another process.
extension Engine {
    var queries: RunQueries { RunQueries(database: database.pool) }

    /// Runs, newest first, optionally of one function and in one status; at most `limit`.
    public func runs(function functionID: String? = nil, status: RunStatus? = nil, limit: Int = 100) async throws -> [RunSummary] {
        try await queries.runs(function: functionID, status: status, limit: limit)
    }

    /// One run with its steps in the order they finished, or `nil` if there is none with that id.
    public func run(id: String) async throws -> RunDetail? {
        try await queries.run(id: id)
    }

    /// Stored events, newest first, optionally of one name; at most `limit`.
    public func events(named name: String? = nil, limit: Int = 100) async throws -> [StoredEvent] {
        try await queries.events(named: name, limit: limit)
    }

    /// The runs an event started (by its internal id, as ``send(_:)`` returned it), oldest first.
    public func runs(startedByEvent eventID: String) async throws -> [RunSummary] {
        try await queries.runs(startedByEvent: eventID)
    }

    /// How many runs there are, optionally of one function and in one status.
    public func runCount(function functionID: String? = nil, status: RunStatus? = nil) async throws -> Int {
        try await queries.runCount(function: functionID, status: status)
    }

    /// The waits of a run that are still open: what a parked run waits for.
    package func openWaits(ofRun runID: String) async throws -> [OpenWait] {
        try await queries.openWaits(ofRun: runID)
    }
}
