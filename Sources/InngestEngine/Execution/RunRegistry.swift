import Inngest
import Synchronization

/// Why a parked step resumed.
enum Wake: Sendable {
    /// The step has its recorded result (already durable).
    case resolved(StepMemo)
    /// A failed step's backoff is over: run its body again.
    case retry
    /// The execution must stop here: the run was evicted from memory or cancelled.
    case interrupted
}

/// One execution: whether it must stop, readable without the registry's lock (checked at
/// every step), and the registry's record of it.
///
/// One object per execution, so the registry changes a run's record in place: no copy of a
/// run's parked steps, and no second hash of its id, under the lock every step takes.
final class ExecutionHandle: @unchecked Sendable {
    private let stopped = Atomic<Bool>(false)

    var isInterrupted: Bool { stopped.load(ordering: .acquiring) }

    func interrupt() { stopped.store(true, ordering: .releasing) }

    // The registry's record: read and written only under `RunRegistry`'s lock.
    fileprivate var parked: [String: CheckedContinuation<Wake, Never>] = [:]
    /// Wakes that arrived before their step parked.
    fileprivate var early: [String: Wake] = [:]
    fileprivate var interrupted = false
    fileprivate var replayWhenEnded = false
}

/// The runs executing in this process and the steps they are parked on.
///
/// A parked run keeps its task while that is cheap; past `maxParked` parked steps the
/// oldest runs are evicted (their tasks unwind) and resume later by replaying the durable
/// record. One execution per run at a time: a wake for a run whose execution is unwinding
/// schedules a replay for when it has ended.
final class RunRegistry: Sendable {
    private struct State {
        var runs: [String: ExecutionHandle] = [:]
        /// Runs to start once a place frees, oldest first. A start keeps what its send already
        /// loaded (the events), far smaller than an execution's task.
        var waiting: [RunStart] = []
        var waitingHead = 0
        var waitingIDs: Set<String> = []
        var parkedCount = 0
        /// Park order, oldest first, for eviction; stale entries are skipped lazily.
        var parkOrder: [(runID: String, hashedID: String)] = []
        var parkOrderHead = 0
        /// The engine is shutting down: no step parks any more.
        var closed = false
    }

    private let state = Mutex(State())
    private let maxParked: Int
    /// Executions held at once, parked or not: past it, a run waits as an id.
    private let capacity: Int

    /// - Parameters:
    ///   - maxParked: parked steps kept in memory before the oldest runs are evicted.
    ///   - maxActive: executions at once besides the parked ones.
    init(maxParked: Int, maxActive: Int) {
        self.maxParked = maxParked
        let (sum, overflow) = maxParked.addingReportingOverflow(max(1, maxActive))
        self.capacity = overflow ? .max : sum
    }

    enum Begin {
        case started(ExecutionHandle)
        /// An execution of the run is active: it replays when that one ends.
        case alreadyActive
        /// Every place is taken: the run starts when one frees (``end(_:)`` hands it out).
        case waiting
    }

    /// Starts an execution if there is a place for it.
    func begin(_ start: RunStart) -> Begin {
        let runID = start.runID
        return state.withLock { state in
            if let active = state.runs[runID] {
                active.replayWhenEnded = true
                return .alreadyActive
            }
            guard state.runs.count < capacity else {
                if state.waitingIDs.insert(runID).inserted { state.waiting.append(start) }
                return .waiting
            }
            let active = ExecutionHandle()
            state.runs[runID] = active
            return .started(active)
        }
    }

    /// Ends an execution: whether the run must be replayed now, and the waiting run that
    /// takes the freed place, if any.
    func end(_ runID: String) -> (replay: Bool, next: RunStart?) {
        state.withLock { state in
            guard let active = state.runs.removeValue(forKey: runID) else { return (false, nil) }
            state.parkedCount -= active.parked.count
            guard state.waitingHead < state.waiting.count else { return (active.replayWhenEnded, nil) }
            let next = state.waiting[state.waitingHead]
            state.waitingHead += 1
            state.waitingIDs.remove(next.runID)
            if state.waitingHead == state.waiting.count {
                // Drained: give a burst's storage back rather than keep its capacity.
                state.waiting = []
                state.waitingIDs = []
                state.waitingHead = 0
            } else if state.waitingHead > 1_024 && state.waitingHead * 2 > state.waiting.count {
                state.waiting.removeFirst(state.waitingHead)
                state.waitingHead = 0
            }
            return (active.replayWhenEnded, next)
        }
    }

    /// Runs waiting for a place.
    var waitingCount: Int { state.withLock { $0.waiting.count - $0.waitingHead } }

    /// Suspends the step until it is woken.
    func park(_ runID: String, _ hashedID: String) async -> Wake {
        return await withCheckedContinuation { continuation in
            let (immediate, victims) = state.withLock { state -> (Wake?, [CheckedContinuation<Wake, Never>]) in
                guard let active = state.runs[runID] else { return (.interrupted, []) }
                if active.interrupted { return (.interrupted, []) }
                if state.closed {
                    active.interrupted = true
                    active.interrupt()
                    return (.interrupted, [])
                }
                if let early = active.early.removeValue(forKey: hashedID) { return (early, []) }
                active.parked[hashedID] = continuation
                state.parkedCount += 1
                state.parkOrder.append((runID, hashedID))
                return (nil, Self.evictOverflow(&state, limit: maxParked))
            }
            if let immediate { continuation.resume(returning: immediate) }
            for victim in victims { victim.resume(returning: .interrupted) }
        }
    }

    enum Delivery { case resumed, notActive, deferred }

    /// Wakes a parked step; `.notActive` means no execution holds the run (replay it).
    func wake(_ runID: String, _ hashedID: String, with wake: Wake) -> Delivery {
        let (delivery, continuation) = state.withLock { state -> (Delivery, CheckedContinuation<Wake, Never>?) in
            guard let active = state.runs[runID] else { return (.notActive, nil) }
            if active.interrupted {
                active.replayWhenEnded = true
                return (.deferred, nil)
            }
            if let continuation = active.parked.removeValue(forKey: hashedID) {
                state.parkedCount -= 1
                return (.resumed, continuation)
            }
            active.early[hashedID] = wake
            return (.deferred, nil)
        }
        continuation?.resume(returning: wake)
        return delivery
    }

    /// Stops a run's execution at its parked steps and at its next step call (cancellation).
    func interrupt(_ runID: String, replay: Bool = false) {
        let continuations = state.withLock { state -> [CheckedContinuation<Wake, Never>] in
            if replay { state.runs[runID]?.replayWhenEnded = true }
            return Self.stop(runID, in: &state)
        }
        for continuation in continuations { continuation.resume(returning: .interrupted) }
    }

    /// For a shutdown: every parked run unwinds (its record says where it is parked) and no
    /// step parks from now on. Runs with a step body in flight keep going, so the body's
    /// result is recorded; they stop at their next step.
    func shutDown() {
        let continuations = state.withLock { state -> [CheckedContinuation<Wake, Never>] in
            state.closed = true
            let parkedRuns = state.runs.compactMap { $0.value.parked.isEmpty ? nil : $0.key }
            return parkedRuns.flatMap { Self.stop($0, in: &state) }
        }
        for continuation in continuations { continuation.resume(returning: .interrupted) }
    }

    var activeCount: Int { state.withLock { $0.runs.count } }

    /// Steps parked in memory.
    var parkedCount: Int { state.withLock { $0.parkedCount } }

    /// Marks a run's execution interrupted and takes its parked steps, to be resumed with `.interrupted`.
    private static func stop(_ runID: String, in state: inout State) -> [CheckedContinuation<Wake, Never>] {
        guard let active = state.runs[runID] else { return [] }
        active.interrupted = true
        active.interrupt()
        let parked = Array(active.parked.values)
        state.parkedCount -= parked.count
        active.parked = [:]
        return parked
    }

    /// Evicts the oldest parked runs until at most `limit` steps are parked. An evicted run
    /// is resumed from its record by the wake that would have resumed its task.
    private static func evictOverflow(_ state: inout State, limit: Int) -> [CheckedContinuation<Wake, Never>] {
        var victims: [CheckedContinuation<Wake, Never>] = []
        while state.parkedCount > limit, state.parkOrderHead < state.parkOrder.count {
            let (runID, hashedID) = state.parkOrder[state.parkOrderHead]
            state.parkOrderHead += 1
            guard state.runs[runID]?.parked[hashedID] != nil else { continue }
            victims += stop(runID, in: &state)
        }
        if state.parkOrderHead > 4_096, state.parkOrderHead * 2 > state.parkOrder.count {
            state.parkOrder.removeFirst(state.parkOrderHead)
            state.parkOrderHead = 0
        }
        return victims
    }
}
