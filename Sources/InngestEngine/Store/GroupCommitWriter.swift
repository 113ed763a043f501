import Dispatch
import GRDB
import Synchronization

/// Serializes writes and commits many of them in one transaction.
///
/// A caller's write returns only after the transaction holding it has committed (with
/// `synchronous = FULL`, after the fsync). While one transaction commits, new writes queue
/// up and go into the next, so under load the fsync cost is shared by every write in the
/// batch: durability does not cost one fsync per step. Each write runs in its own savepoint,
/// so one failing write rolls back alone.
final class GroupCommitWriter: Sendable {
    private struct Pending {
        let operation: @Sendable (Database) throws -> Void
        let committed: @Sendable (Result<Void, any Error>) -> Void
    }

    private struct State {
        var queue: [Pending] = []
        var draining = false
        var transactions = 0
        var writes = 0
    }

    private let pool: DatabasePool
    private let state = Mutex(State())
    private let dispatch = DispatchQueue(label: "inngest.engine.writer")
    /// Upper bound on writes per transaction, to keep a transaction's latency bounded.
    private let maxBatch: Int

    init(pool: DatabasePool, maxBatch: Int = 4_096) {
        self.pool = pool
        self.maxBatch = maxBatch
    }

    /// Runs `operation` in the next transaction and returns its result once committed.
    func write<T: Sendable>(_ operation: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let result = Mutex<T?>(nil)
            let pending = Pending(
                operation: { database in
                    let value = try operation(database)
                    result.withLock { $0 = value }
                },
                committed: { outcome in
                    switch outcome {
                    case .success:
                        // A write that succeeded always stored its value before the commit.
                        if let value = result.withLock({ $0 }) { continuation.resume(returning: value) }
                        else { continuation.resume(throwing: CancellationError()) }
                    case .failure(let error):
                        continuation.resume(throwing: error)
                    }
                })
            let startDrain = state.withLock { state -> Bool in
                state.queue.append(pending)
                if state.draining { return false }
                state.draining = true
                return true
            }
            if startDrain { dispatch.async { self.drain() } }
        }
    }

    /// (transactions, writes) committed so far: the batching factor is writes / transactions.
    var statistics: (transactions: Int, writes: Int) {
        state.withLock { ($0.transactions, $0.writes) }
    }

    private func drain() {
        while true {
            let batch = state.withLock { state -> [Pending] in
                let batch = Array(state.queue.prefix(maxBatch))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            var outcomes = [Result<Void, any Error>](repeating: .success(()), count: batch.count)
            do {
                try pool.writeWithoutTransaction { database in
                    try database.inTransaction(.immediate) {
                        for (index, pending) in batch.enumerated() {
                            do {
                                try database.inSavepoint {
                                    try pending.operation(database)
                                    return .commit
                                }
                            } catch {
                                outcomes[index] = .failure(error)
                            }
                        }
                        return .commit
                    }
                }
            } catch {
                outcomes = Array(repeating: .failure(error), count: batch.count)
            }
            state.withLock { state in
                state.transactions += 1
                state.writes += batch.count
            }
            for (pending, outcome) in zip(batch, outcomes) { pending.committed(outcome) }
        }
    }
}
