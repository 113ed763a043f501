import Foundation
import GRDB
import Inngest
import Synchronization

extension Engine {
    /// How often the gauges are sampled, on the engine's clock.
    static let gaugeInterval: Duration = .seconds(10)

    func startGaugeSampler() {
        let task = Task { [weak self] in
            while let engine = self, !Task.isCancelled {
                try? await engine.recordGauges()
                let next = engine.clock.now().adding(Self.gaugeInterval)
                do { try await engine.clock.sleep(until: next) } catch { return }
            }
        }
        gaugeSampler.withLock { $0 = task }
    }

    /// Records the gauges now: runs in memory, runs running and parked (from the store),
    /// timers due and not yet fired.
    func recordGauges() async throws {
        let now = clock.now().milliseconds
        let (running, parked, due) = try await database.read { database in
            (
                try Int.fetchOne(database, sql: "SELECT COUNT(*) FROM runs WHERE status = ?", arguments: [RunStatus.running]) ?? 0,
                try Int.fetchOne(database, sql: "SELECT COUNT(*) FROM runs WHERE status = ?", arguments: [RunStatus.waiting]) ?? 0,
                try Int.fetchOne(database, sql: "SELECT COUNT(*) FROM timers WHERE due_at <= ?", arguments: [now]) ?? 0
            )
        }
        metrics.recordGauges(inMemory: registry.activeCount, running: running, parked: parked, timersDue: due)
    }
}
