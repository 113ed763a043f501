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
        var closed = false
        var lastFailure: String?
        var transactions = 0
        var writes = 0
    }

    private let pool: any DatabaseWriter
    private let state = Mutex(State())
    private let dispatch = DispatchQueue(label: "inngest.engine.writer")
    /// Upper bound on writes per transaction, to keep a transaction's latency bounded.
    private let maxBatch: Int
    private let onCommit: @Sendable (Int) -> Void

    init(pool: any DatabaseWriter, maxBatch: Int = 4_096, onCommit: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.pool = pool
        self.maxBatch = maxBatch
        self.onCommit = onCommit
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
                        if let value = result.withLock({ $0 }) { continuation.resume(returning: value) } else { continuation.resume(throwing: CancellationError()) }
                    case .failure(let error):
                        continuation.resume(throwing: error)
                    }
                })
            let startDrain = state.withLock { state -> Bool? in
                if state.closed { return nil }
                state.queue.append(pending)
                if state.draining { return false }
                state.draining = true
                return true
            }
            guard let startDrain else {
                continuation.resume(throwing: EngineError.shutDown)
                return
            }
            if startDrain { dispatch.async { self.drain() } }
        }
    }

    /// Refuses every later write (``EngineError/shutDown``); writes queued before still commit.
    func close() {
        state.withLock { $0.closed = true }
    }

    /// Whether ``close()`` was called.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// The error of the last transaction that failed, cleared by the next that commits.
    var lastFailure: String? { state.withLock { $0.lastFailure } }

    /// (transactions, writes) committed so far: the batching factor is writes / transactions.
    var statistics: (transactions: Int, writes: Int) {
        state.withLock { ($0.transactions, $0.writes) }
    }

    /// Commits the batch in one transaction. If a write fails, the transaction is rolled back
    /// and each write is retried in a transaction of its own, so one bad write fails alone
    /// (savepoints per write would cost two statements each on the common path).
    private func commit(_ batch: [Pending]) -> [Result<Void, any Error>] {
        do {
            try pool.writeWithoutTransaction { database in
                try database.inTransaction(.immediate) {
                    for pending in batch { try pending.operation(database) }
                    return .commit
                }
            }
            return Array(repeating: .success(()), count: batch.count)
        } catch {
            guard batch.count > 1 else { return [.failure(error)] }
        }
        return batch.map { pending in
            do {
                try pool.writeWithoutTransaction { database in
                    try database.inTransaction(.immediate) {
                        try pending.operation(database)
                        return .commit
                    }
                }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
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
            let outcomes = commit(batch)
            let failure = outcomes.count == batch.count && outcomes.allSatisfy({ if case .failure = $0 { return true } else { return false } })
            state.withLock { state in
                state.transactions += 1
                state.writes += batch.count
                if failure, case .failure(let error) = outcomes.last {
                    state.lastFailure = "\(error)"
                } else {
                    state.lastFailure = nil
                }
            }
            if !failure { onCommit(batch.count) }
            for (pending, outcome) in zip(batch, outcomes) { pending.committed(outcome) }
        }
    }
}
