import Foundation
import Inngest
import Synchronization

/// What watchers of an engine learn as it works: that a transaction committed (anything a
/// page shows may have changed), and each run that ended. A page re-reads what it shows when
/// told, so it is pushed changes as they commit and nothing is read while the engine is idle.
///
/// Costs nothing without watchers: a commit checks one atomic counter.
package final class ChangeFeed: Sendable {
    /// A run that reached a final status.
    package struct EndedRun: Sendable, Hashable {
        package let runID: String
        package let functionID: String
        package let status: RunStatus
        /// From the run's creation to its end; `nil` for a run that never ran (skipped).
        package let duration: TimeInterval?
    }

    private struct Watchers {
        var commits: [Int: AsyncStream<Void>.Continuation] = [:]
        var endings: [Int: AsyncStream<EndedRun>.Continuation] = [:]
        var next = 0
        /// The engine stopped: new watchers get a finished stream.
        var isFinished = false
    }

    private let watchers = Mutex(Watchers())
    /// Watchers of either kind, read without the lock on every commit.
    private let watcherCount = Atomic<Int>(0)

    package init() {}

    /// A stream that yields after commits; commits while the watcher is busy fold into one.
    package func commits() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        guard let id = add({ $0.commits[$1] = continuation }) else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in self?.remove { $0.commits[id] = nil } }
        return stream
    }

    /// A stream of the runs that end, in commit order; at most `buffer` wait for a slow watcher
    /// (the oldest are dropped past that).
    package func endedRuns(buffer: Int = 10_000) -> AsyncStream<EndedRun> {
        let (stream, continuation) = AsyncStream.makeStream(of: EndedRun.self, bufferingPolicy: .bufferingNewest(max(1, buffer)))
        guard let id = add({ $0.endings[$1] = continuation }) else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in self?.remove { $0.endings[id] = nil } }
        return stream
    }

    func signalCommit() {
        guard watcherCount.load(ordering: .relaxed) > 0 else { return }
        let commits = watchers.withLock { Array($0.commits.values) }
        for continuation in commits { continuation.yield() }
    }

    func publish(ended runs: [(runID: String, functionID: String, status: RunStatus, duration: TimeInterval?)]) {
        guard watcherCount.load(ordering: .relaxed) > 0 else { return }
        let endings = watchers.withLock { Array($0.endings.values) }
        guard !endings.isEmpty else { return }
        for run in runs {
            let ended = EndedRun(runID: run.runID, functionID: run.functionID, status: run.status, duration: run.duration)
            for continuation in endings { continuation.yield(ended) }
        }
    }

    /// Ends every watcher's stream (the engine shut down).
    package func finish() {
        let all = watchers.withLock { watchers in
            defer { watchers = Watchers(next: watchers.next, isFinished: true) }
            return (Array(watchers.commits.values), Array(watchers.endings.values))
        }
        for continuation in all.0 { continuation.finish() }
        for continuation in all.1 { continuation.finish() }
    }

    /// Adds a watcher; `nil` once the feed finished.
    private func add(_ insert: (inout Watchers, Int) -> Void) -> Int? {
        let id = watchers.withLock { watchers -> Int? in
            guard !watchers.isFinished else { return nil }
            let id = watchers.next
            watchers.next += 1
            insert(&watchers, id)
            return id
        }
        if id != nil { watcherCount.add(1, ordering: .relaxed) }
        return id
    }

    private func remove(_ delete: (inout Watchers) -> Void) {
        watchers.withLock { watchers in delete(&watchers) }
        watcherCount.subtract(1, ordering: .relaxed)
    }
}
