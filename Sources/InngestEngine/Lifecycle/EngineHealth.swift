import Foundation
import GRDB
import Inngest

/// Whether an engine's parts are working, as ``Engine/health`` reports it.
public struct EngineHealth: Sendable, Hashable, CustomStringConvertible {
    /// One part's state.
    public enum Condition: Sendable, Hashable, CustomStringConvertible {
        case ok
        /// Not working, with the reason.
        case failing(String)

        public var description: String {
            switch self {
            case .ok: return "ok"
            case .failing(let reason): return "failing: \(reason)"
            }
        }
    }

    /// The group-commit writer: open, and its last transaction committed.
    public let writer: Condition
    /// The loop that fires sleeps, timeouts, retries and crons: running, and not behind.
    public let timerLoop: Condition
    /// The database file answers reads.
    public let store: Condition

    /// True when every part is ``Condition/ok``.
    public var isHealthy: Bool { writer == .ok && timerLoop == .ok && store == .ok }

    public var description: String { "writer \(writer), timer loop \(timerLoop), store \(store)" }
}

extension Engine {
    /// How long a due timer may wait for the loop before the loop counts as stuck.
    static let timerLag: TimeInterval = 60

    /// Whether the writer, the timer loop and the store are working. Cheap enough for a
    /// load balancer's health check: one small read.
    public var health: EngineHealth {
        get async {
            let writer: EngineHealth.Condition
            if database.writer.isClosed {
                writer = .failing("the engine is shut down")
            } else if let failure = database.writer.lastFailure {
                writer = .failing("the last transaction failed: \(failure)")
            } else {
                writer = .ok
            }
            let timerLoop: EngineHealth.Condition
            switch lifecycle.current {
            case .created: timerLoop = .failing("the engine has not been started")
            case .draining, .stopped: timerLoop = .failing("the engine is shut down")
            case .running:
                if let due = self.timerLoop.deadline, clock.now().timeIntervalSince(Date(milliseconds: due)) > Self.timerLag {
                    timerLoop = .failing("a timer due at \(ISO8601Timestamp.string(from: Date(milliseconds: due))) has not fired")
                } else {
                    timerLoop = .ok
                }
            }
            let store: EngineHealth.Condition
            if database.path == EngineDatabase.inMemoryPath {
                // Memory cannot fail apart from the process; a read would queue behind the
                // writer (one connection in memory) and slow the check under load.
                store = .ok
            } else {
                do {
                    _ = try await database.read { database in try Int.fetchOne(database, sql: "SELECT COUNT(*) FROM sqlite_master") }
                    store = .ok
                } catch {
                    store = .failing("a read failed: \(error)")
                }
            }
            return EngineHealth(writer: writer, timerLoop: timerLoop, store: store)
        }
    }
}
