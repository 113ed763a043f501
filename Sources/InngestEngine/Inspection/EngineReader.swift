import Foundation
import GRDB
import Inngest

/// Reads an engine's database without running an engine: for a dashboard, a CLI listing
/// runs, or checks in tests, in any process, while the engine that writes the file runs.
///
/// ```swift
/// let reader = try EngineReader(databasePath: ".inngest/shop.sqlite")
/// for run in try await reader.runs(status: .failed, limit: 20) { print(run.id, run.error ?? "") }
/// ```
///
/// It opens the file read-only and takes no lock, so it never stands in the writer's way
/// (SQLite's WAL mode lets readers see the last committed state while the writer writes).
public final class EngineReader: Sendable {
    let queries: RunQueries

    /// - Throws: ``EngineError/noDatabase(path:)`` if there is no file at the path; a database
    ///   error if it is not an engine's database.
    public init(databasePath: String) throws {
        self.queries = RunQueries(database: try EngineDatabase.reader(path: databasePath))
    }

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

    /// The runs an event started (by its internal id), oldest first.
    public func runs(startedByEvent eventID: String) async throws -> [RunSummary] {
        try await queries.runs(startedByEvent: eventID)
    }

    /// How many runs there are, optionally of one function and in one status.
    public func runCount(function functionID: String? = nil, status: RunStatus? = nil) async throws -> Int {
        try await queries.runCount(function: functionID, status: status)
    }
}
