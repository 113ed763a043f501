import Foundation
import GRDB
import Inngest

/// The inspection API of a running engine; an ``EngineReader`` answers the same queries from
/// another process.
extension Engine {
    var queries: RunQueries { RunQueries(database: database.pool) }

    /// Runs, newest first, optionally of one function and in one status; at most `limit`.
    ///
    /// - Parameters:
    ///   - functionID: Only runs of this function (its id or composite id); all when `nil`.
    ///   - status: Only runs in this status; all when `nil`.
    ///   - limit: The most runs returned.
    /// - Returns: The runs, newest first.
    /// - Throws: A database error if the read fails.
    public func runs(function functionID: String? = nil, status: RunStatus? = nil, limit: Int = 100) async throws -> [RunSummary] {
        try await queries.runs(function: functionID, status: status, limit: limit)
    }

    /// One run with its steps in the order they finished, or `nil` if there is none with that id.
    ///
    /// - Parameter id: The run's id.
    /// - Returns: The run with its events and steps, or `nil`.
    /// - Throws: A database error if the read fails.
    public func run(id: String) async throws -> RunDetail? {
        try await queries.run(id: id)
    }

    /// Stored events, newest first, optionally of one name; at most `limit`.
    ///
    /// - Parameters:
    ///   - name: Only events of this name; all when `nil`.
    ///   - limit: The most events returned.
    /// - Returns: The events, newest first.
    /// - Throws: A database error if the read fails.
    public func events(named name: String? = nil, limit: Int = 100) async throws -> [StoredEvent] {
        try await queries.events(named: name, limit: limit)
    }

    /// The runs an event started (by its internal id, as ``send(_:)-([AnyEvent])`` returned it), oldest first.
    ///
    /// - Parameter eventID: The event's internal id.
    /// - Returns: The runs it started, oldest first.
    /// - Throws: A database error if the read fails.
    public func runs(startedByEvent eventID: String) async throws -> [RunSummary] {
        try await queries.runs(startedByEvent: eventID)
    }

    /// How many runs there are, optionally of one function and in one status.
    public func runCount(function functionID: String? = nil, status: RunStatus? = nil) async throws -> Int {
        try await queries.runCount(function: functionID, status: status)
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

    /// The waits of a run that are still open: what a parked run waits for.
    package func openWaits(ofRun runID: String) async throws -> [OpenWait] {
        try await queries.openWaits(ofRun: runID)
    }
}

/// A function the engine runs, as a dashboard lists it.
package struct FunctionListing: Sendable {
    /// The id its runs name it by (``RunSummary/functionID``).
    package let key: String
    /// The wire id, `<app>-<function>`.
    package let compositeID: String
    package let appID: String
    /// Where it is served, for a function of a synced app.
    package let url: String?
    package let configuration: FunctionConfiguration
}

extension Engine {
    /// Every function the engine runs (its own, their failure handlers, and synced apps'), by composite id.
    package var functionListings: [FunctionListing] {
        catalog.all.map {
            FunctionListing(key: $0.key, compositeID: $0.compositeID, appID: $0.appID, url: $0.url, configuration: $0.function.configuration)
        }.sorted { $0.compositeID < $1.compositeID }
    }

    /// The id runs name a function by, from its composite id or its own id; `nil` if no function has it.
    package func functionKey(for id: String) -> String? {
        catalog.entry(compositeID: id)?.key ?? catalog[id]?.key
    }
}

extension Engine {
    /// How many steps a run has recorded (a count from the steps' primary key; no step is read).
    package func stepCount(ofRun runID: String) async throws -> Int {
        try await database.read { database in
            try Int.fetchOne(database, sql: "SELECT COUNT(*) FROM steps WHERE run_id = ?", arguments: [runID]) ?? 0
        }
    }
}
