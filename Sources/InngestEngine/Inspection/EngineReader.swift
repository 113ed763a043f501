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
    private let database: any DatabaseReader

    /// A reader of the engine database at `databasePath`.
    ///
    /// - Parameter databasePath: The engine's SQLite file.
    /// - Throws: ``EngineError/noDatabase(path:)`` if there is no file at the path; a database
    ///   error if it is not an engine's database.
    public init(databasePath: String) throws {
        self.database = try EngineDatabase.reader(path: databasePath)
        self.queries = RunQueries(database: database)
    }

    /// Copies the database, as of one moment, into a new file at `path` with SQLite's online
    /// backup: safe while an engine writes the original (its writes go on meanwhile). The copy
    /// is a database an engine can open, e.g. to restore.
    ///
    /// - Parameter path: Where to write the copy; nothing may exist there yet.
    /// - Throws: ``EngineError/invalidOption(_:)`` if a file exists at `path` (a backup never
    ///   overwrites); a database error if it cannot be written.
    public func backup(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw EngineError.invalidOption("the backup target \(path) exists; a backup is written to a new file")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let target = try DatabaseQueue(path: path)
        try database.backup(to: target)
        // The copy is in rollback-journal mode; the engine switches it to WAL when it opens it.
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

    /// A page of runs matching `filter`, newest first; pass the page's ``Page/nextCursor`` as
    /// `after` for the next. At most ``Page/maxSize`` a page.
    ///
    /// - Throws: ``InvalidCursor`` for a cursor no page gave.
    public func runs(matching filter: RunFilter, after cursor: String? = nil, limit: Int = 50) async throws -> Page<RunSummary> {
        try await queries.runs(matching: filter, after: cursor, limit: limit)
    }

    /// A page of stored events, newest first, optionally of one name.
    ///
    /// - Throws: ``InvalidCursor`` for a cursor no page gave.
    public func events(named name: String? = nil, after cursor: String?, limit: Int = 50) async throws -> Page<StoredEvent> {
        try await queries.events(named: name, after: cursor, limit: limit)
    }

    /// One stored event by its internal id, or `nil`.
    public func event(id: String) async throws -> StoredEvent? {
        try await queries.event(id: id)
    }

    /// The runs each event started, by internal event id, oldest first.
    public func runs(startedByEvents eventIDs: [String]) async throws -> [String: [RunSummary]] {
        try await queries.runs(startedByEvents: eventIDs)
    }

    /// How many runs there are, optionally of one function and in one status.
    public func runCount(function functionID: String? = nil, status: RunStatus? = nil) async throws -> Int {
        try await queries.runCount(function: functionID, status: status)
    }
}
