import Foundation
import Inngest
import Synchronization

/// Limits concurrently *executing steps* per key, Inngest's concurrency semantics: a step
/// holds its slots while its body runs; a run parked in a sleep or a wait holds none.
///
/// A step takes all of its (at most two) slots at once or waits, so two limits cannot
/// deadlock. Waiters are served by priority, then arrival; a waiter whose other slot is full
/// does not block the ones behind it, so a hot key cannot starve the other keys of a shared
/// limit.
final class ConcurrencyLimiter: Sendable {
    /// One limit instance: `fn:<function>:<key value>` or `env:<key value>`, with its limit.
    struct Slot: Hashable, Sendable {
        let key: String
        let limit: Int
    }

    private struct Waiter {
        let slots: [Slot]
        let order: (Int64, UInt64)
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var running: [String: Int] = [:]
        var queues: [String: [UInt64]] = [:]
        var waiters: [UInt64: Waiter] = [:]
        var nextID: UInt64 = 0
    }

    /// How many waiters of a queue are examined per release, bounding the work of one release.
    private static let scanLimit = 64
    private let state = Mutex(State())

    /// The slots a step of the function takes, for the run's event.
    static func slots(for options: ResolvedOptions, functionID: String, event: JSONValue) -> [Slot] {
        options.concurrency.map { limit in
            let value = FlowKey.of(limit.key, event: event)
            switch limit.scope {
            case .fn: return Slot(key: "fn:\(functionID):\(value)", limit: limit.limit)
            // One engine serves one environment, so account scope shares like env scope.
            case .env, .account: return Slot(key: "env:\(value)", limit: limit.limit)
            }
        }
    }

    /// Waits until every slot has room, then takes them. `priority` is seconds of advantage.
    func acquire(_ slots: [Slot], priority: Int64, now: Date) async {
        guard !slots.isEmpty else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                if Self.hasRoom(slots, in: state) {
                    Self.take(slots, in: &state)
                    return true
                }
                state.nextID += 1
                let id = state.nextID
                let waiter = Waiter(slots: slots, order: (now.milliseconds - priority * 1_000, id), continuation: continuation)
                state.waiters[id] = waiter
                for slot in slots {
                    var queue = state.queues[slot.key, default: []]
                    let position =
                        queue.firstIndex { other in
                            guard let existing = state.waiters[other] else { return false }
                            return existing.order > waiter.order
                        } ?? queue.endIndex
                    queue.insert(id, at: position)
                    state.queues[slot.key] = queue
                }
                return false
            }
            if granted { continuation.resume() }
        }
    }

    /// Gives the slots back and lets waiters that now fit proceed.
    func release(_ slots: [Slot]) {
        guard !slots.isEmpty else { return }
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            for slot in slots {
                let count = (state.running[slot.key] ?? 1) - 1
                state.running[slot.key] = count > 0 ? count : nil
            }
            var ready: [CheckedContinuation<Void, Never>] = []
            for slot in slots {
                var examined = 0
                var index = 0
                while examined < Self.scanLimit, let queue = state.queues[slot.key], index < queue.count {
                    examined += 1
                    guard let waiter = state.waiters[queue[index]] else {
                        state.queues[slot.key]?.remove(at: index)
                        continue
                    }
                    guard Self.hasRoom(waiter.slots, in: state) else {
                        index += 1
                        continue
                    }
                    Self.take(waiter.slots, in: &state)
                    let id = queue[index]
                    state.waiters[id] = nil
                    for other in waiter.slots { state.queues[other.key]?.removeAll { $0 == id } }
                    if state.queues[slot.key]?.isEmpty == true { state.queues[slot.key] = nil }
                    ready.append(waiter.continuation)
                }
            }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Steps waiting for a slot.
    var waitingCount: Int { state.withLock { $0.waiters.count } }

    /// Steps holding slots, per slot key (for tests and inspection).
    func running(_ key: String) -> Int { state.withLock { $0.running[key] ?? 0 } }

    private static func hasRoom(_ slots: [Slot], in state: State) -> Bool {
        slots.allSatisfy { (state.running[$0.key] ?? 0) < $0.limit }
    }

    private static func take(_ slots: [Slot], in state: inout State) {
        for slot in slots { state.running[slot.key, default: 0] += 1 }
    }
}
