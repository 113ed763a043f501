import Foundation
import GRDB
import Inngest

/// The inspection queries, on any reader of an engine's database: the engine's own pool or
/// an ``EngineReader``'s read-only one.
struct RunQueries: Sendable {
    let database: any DatabaseReader

    /// Runs, newest first, optionally of one function and in one status.
    func runs(function functionID: String? = nil, status: RunStatus? = nil, limit: Int = 100) async throws -> [RunSummary] {
        try await database.read { database in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let functionID {
                conditions.append("function_id = ?")
                _ = arguments.append(contentsOf: [functionID])
            }
            if let status {
                conditions.append("status = ?")
                _ = arguments.append(contentsOf: [status])
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            _ = arguments.append(contentsOf: [max(0, limit)])
            return try database.rows(sql: "SELECT * FROM runs \(filter) ORDER BY id DESC LIMIT ?", arguments: arguments)
                .map(Self.summary)
        }
    }

    /// One run with its steps, or `nil` if there is none with that id.
    func run(id: String) async throws -> RunDetail? {
        try await database.read { database in
            guard let row = try database.row(sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) else { return nil }
            let attempts = try StepAttempts.all(ofRun: id, in: database)
            let steps = try database.rows(
                sql: """
                    SELECT * FROM steps WHERE run_id = ? ORDER BY seq IS NULL, seq, started_at
                    """, arguments: [id]
            ).map { row in
                var step = try Self.step(row)
                step.failedAttempts = attempts[step.hashedID] ?? []
                return step
            }
            var detail = RunDetail(run: try Self.summary(row), steps: steps, traceContext: TraceHeaders(stored: row["trace_context"]).fields)
            detail.events = try StoredJSON.value([AnyEvent].self, from: row["events"]) ?? []
            detail.failedAttempts = attempts[StepAttempts.runLevel] ?? []
            return detail
        }
    }

    /// Stored events, newest first, optionally of one name.
    func events(named name: String? = nil, limit: Int = 100) async throws -> [StoredEvent] {
        try await database.read { database in
            let rows: [Row]
            if let name {
                rows = try database.rows(sql: "SELECT * FROM events WHERE name = ? ORDER BY received_at DESC, id DESC LIMIT ?", arguments: [name, max(0, limit)])
            } else {
                rows = try database.rows(sql: "SELECT * FROM events ORDER BY received_at DESC, id DESC LIMIT ?", arguments: [max(0, limit)])
            }
            return try rows.map(Self.storedEvent)
        }
    }

    /// The runs an event started.
    func runs(startedByEvent eventID: String) async throws -> [RunSummary] {
        try await database.read { database in
            try database.rows(sql: "SELECT * FROM runs WHERE event_id = ? ORDER BY created_at", arguments: [eventID]).map(Self.summary)
        }
    }

    static func summary(_ row: Row) throws -> RunSummary {
        var summary = RunSummary(
            id: row["id"], functionID: row["function_id"], status: RunStatus(rawValue: row["status"]) ?? .failed,
            eventID: row["event_id"], createdAt: Date(milliseconds: row["created_at"]),
            startedAt: (row["started_at"] as Int64?).map(Date.init(milliseconds:)),
            endedAt: (row["ended_at"] as Int64?).map(Date.init(milliseconds:)),
            output: try StoredJSON.value(JSONValue.self, from: row["output"]),
            error: try StoredJSON.value(SerializedError.self, from: row["error"]))
        let parent: String? = row["parent"]
        summary.parentRunID = parent.flatMap { parent in parent.lastIndex(of: ".").map { String(parent[..<$0]) } }
        summary.rerunOf = row["rerun_of"]
        return summary
    }

    private static func step(_ row: Row) throws -> StepSummary {
        let memo = try StoredJSON.value(JSONValue.self, from: row["memo"]).flatMap(StepMemo.init(wire:))
        var output: JSONValue?
        var error = try StoredJSON.value(SerializedError.self, from: row["error"])
        switch memo {
        case .data(let value), .value(let value): output = value
        case .error(let failure): error = failure
        case nil: break
        }
        var step = StepSummary(
            hashedID: row["hashed_id"], userID: row["user_id"], index: row["idx"],
            kind: StepKind(rawValue: row["kind"]) ?? .run, status: StepStatus(rawValue: row["status"]) ?? .failed, attempts: row["attempts"],
            startedAt: (row["started_at"] as Int64?).map(Date.init(milliseconds:)),
            endedAt: (row["ended_at"] as Int64?).map(Date.init(milliseconds:)),
            output: output, error: error)
        step.detail = try StoredJSON.value(StepDetail.self, from: row["detail"])
        return step
    }

    /// How many runs there are, optionally of one function and in one status.
    func runCount(function functionID: String? = nil, status: RunStatus? = nil) async throws -> Int {
        try await database.read { database in
            switch (functionID, status) {
            case (let functionID?, let status?):
                return try database.value(Int.self, sql: "SELECT COUNT(*) FROM runs WHERE function_id = ? AND status = ?", arguments: [functionID, status.rawValue]) ?? 0
            case (let functionID?, nil):
                return try database.value(Int.self, sql: "SELECT COUNT(*) FROM runs WHERE function_id = ?", arguments: [functionID]) ?? 0
            case (nil, let status?):
                return try database.value(Int.self, sql: "SELECT COUNT(*) FROM runs WHERE status = ?", arguments: [status.rawValue]) ?? 0
            case (nil, nil):
                return try database.value(Int.self, sql: "SELECT COUNT(*) FROM runs") ?? 0
            }
        }
    }

    /// The waits of a run that are still open: what a parked run waits for.
    func openWaits(ofRun runID: String) async throws -> [OpenWait] {
        try await database.read { database in
            try database.rows(sql: "SELECT * FROM waits WHERE run_id = ? ORDER BY expires_at", arguments: [runID]).map { row in
                OpenWait(
                    hashedID: row["hashed_id"], isCancellation: (row["kind"] as String) == "cancel", eventName: row["event_name"],
                    condition: row["condition"], expiresAt: Date(milliseconds: row["expires_at"]))
            }
        }
    }
}

/// A `waitForEvent` or `cancelOn` of a run that is still open.
package struct OpenWait: Sendable, Hashable {
    /// The step's hashed id, or `cancel:<n>` for the function's n-th `cancelOn`.
    package let hashedID: String
    package let isCancellation: Bool
    package let eventName: String
    package let condition: String?
    package let expiresAt: Date
}
