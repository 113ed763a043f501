import Foundation
import GRDB
import Inngest

/// Listings a page at a time, newest first. Ids are ULIDs, which sort by creation time, so a
/// page is a range of an id index ending at the previous page's last id: the cost of a page
/// does not grow with the number of pages before it or the rows in the table.
extension RunQueries {
    /// Runs matching `filter`, newest first, after the run `cursor` names.
    func runs(matching filter: RunFilter, after cursor: String?, limit: Int) async throws -> Page<RunSummary> {
        let limit = min(max(1, limit), Page<RunSummary>.maxSize)
        if let cursor, !ULID.isWellFormed(cursor) { throw InvalidCursor(cursor: cursor) }
        return try await database.read { database in
            var (conditions, arguments) = Self.conditions(of: filter)
            if let cursor {
                conditions.append("id < ?")
                _ = arguments.append(contentsOf: [cursor])
            }
            _ = arguments.append(contentsOf: [limit + 1])
            let filterSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            // Functions alone: their index is in id order. (With several functions the planner
            // would otherwise take the function-and-status index and sort every match.)
            let index = filter.statuses.isEmpty && !filter.functionIDs.isEmpty && filter.eventName == nil ? "INDEXED BY runs_by_function_id" : ""
            let rows = try database.rows(sql: "SELECT * FROM runs \(index) \(filterSQL) ORDER BY id DESC LIMIT ?", arguments: arguments)
            let runs = try rows.prefix(limit).map(Self.summary)
            return Page(items: runs, nextCursor: rows.count > limit ? runs.last?.id : nil)
        }
    }

    /// The ids of every run matching `filter` that has not ended (for a bulk cancellation).
    func liveRunIDs(matching filter: RunFilter) async throws -> [String] {
        try await database.read { database in
            var (conditions, arguments) = Self.conditions(of: filter)
            conditions.append("status IN (?, ?, ?)")
            _ = arguments.append(contentsOf: [RunStatus.queued, RunStatus.running, RunStatus.waiting])
            return try String.fetchAll(
                database, sql: "SELECT id FROM runs WHERE \(conditions.joined(separator: " AND ")) ORDER BY id", arguments: arguments)
        }
    }

    /// The SQL conditions of a filter, each on an indexed column where one serves.
    private static func conditions(of filter: RunFilter) -> ([String], StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        func add(_ condition: String, _ values: [any DatabaseValueConvertible]) {
            conditions.append(condition)
            _ = arguments.append(contentsOf: StatementArguments(values))
        }
        if !filter.statuses.isEmpty {
            let statuses = filter.statuses.sorted { $0.rawValue < $1.rawValue }
            add("status IN (\(Array(repeating: "?", count: statuses.count).joined(separator: ", ")))", statuses.map(\.rawValue))
        }
        if !filter.functionIDs.isEmpty {
            let ids = filter.functionIDs.sorted()
            add("function_id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ", ")))", ids)
        }
        // Times as id bounds: the primary key's index answers them.
        if let after = filter.createdAfter { add("id >= ?", [ULID.lowerBound(at: after)]) }
        if let before = filter.createdBefore { add("id < ?", [ULID.lowerBound(at: before)]) }
        if let name = filter.eventName { add("event_name = ?", [name]) }
        return (conditions, arguments)
    }

    /// Stored events, newest first (by arrival), optionally of one name, after the event
    /// `cursor` names. (Event ids are not all ULIDs — a `step.sendEvent`'s derive from its
    /// step — so the order and the cursor are arrival time and row, which both indexes on
    /// events end with.)
    func events(named name: String?, after cursor: String?, limit: Int) async throws -> Page<StoredEvent> {
        let limit = min(max(1, limit), Page<StoredEvent>.maxSize)
        let position = try cursor.map(EventCursor.init(parsing:))
        return try await database.read { database in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let name {
                conditions.append("name = ?")
                _ = arguments.append(contentsOf: [name])
            }
            if let position {
                conditions.append("(received_at < ? OR (received_at = ? AND rowid < ?))")
                _ = arguments.append(contentsOf: [position.receivedAt, position.receivedAt, position.rowID])
            }
            _ = arguments.append(contentsOf: [limit + 1])
            let filterSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let rows = try database.rows(
                sql: "SELECT rowid AS row_id, * FROM events \(filterSQL) ORDER BY received_at DESC, rowid DESC LIMIT ?", arguments: arguments)
            let page = rows.prefix(limit)
            let next = rows.count > limit ? page.last.map { EventCursor(receivedAt: $0["received_at"], rowID: $0["row_id"]).text } : nil
            return Page(items: try page.map(Self.storedEvent), nextCursor: next)
        }
    }

    /// One stored event by its internal id.
    func event(id: String) async throws -> StoredEvent? {
        try await database.read { database in
            try database.row(sql: "SELECT * FROM events WHERE id = ?", arguments: [id]).map(Self.storedEvent)
        }
    }

    /// The runs each of `eventIDs` started, by event id, oldest first.
    func runs(startedByEvents eventIDs: [String]) async throws -> [String: [RunSummary]] {
        guard !eventIDs.isEmpty else { return [:] }
        return try await database.read { database in
            let marks = Array(repeating: "?", count: eventIDs.count).joined(separator: ", ")
            var runs: [String: [RunSummary]] = [:]
            for row in try database.rows(
                sql: "SELECT * FROM runs WHERE event_id IN (\(marks)) ORDER BY id", arguments: StatementArguments(eventIDs))
            {
                let run = try Self.summary(row)
                if let eventID = run.eventID { runs[eventID, default: []].append(run) }
            }
            return runs
        }
    }

    static func storedEvent(_ row: Row) throws -> StoredEvent {
        StoredEvent(
            internalID: row["id"], event: try StoredJSON.value(AnyEvent.self, from: row["body"]) ?? AnyEvent(name: row["name"]),
            receivedAt: Date(milliseconds: row["received_at"]))
    }
}

/// Where an events page ended: an arrival time and a row, as `<ms>.<row>`.
struct EventCursor {
    let receivedAt: Int64
    let rowID: Int64

    init(receivedAt: Int64, rowID: Int64) {
        self.receivedAt = receivedAt
        self.rowID = rowID
    }

    init(parsing text: String) throws {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let receivedAt = Int64(parts[0]), let rowID = Int64(parts[1]) else { throw InvalidCursor(cursor: text) }
        self.init(receivedAt: receivedAt, rowID: rowID)
    }

    var text: String { "\(receivedAt).\(rowID)" }
}
