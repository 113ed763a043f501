import Synchronization

/// Bounds the calls in flight to one app, and shares them fairly between its functions.
///
/// Without it every run of a burst hands its call to the HTTP client at once: tens of thousands
/// of requests queue inside the client (whose queue is searched linearly on the event-loop
/// threads that also serve the dev server's own API), time out there and are retried, while a
/// per-host connection limit acts as a hidden, global concurrency limit. Here calls wait
/// outside the client instead, in one queue per function, and a freed place goes to the
/// functions in turn: a function with thousands of waiting calls does not delay another
/// function's one. Functions' own `concurrency` options apply before this, in the engine.
final class AppCallGate: Sendable {
    private struct State {
        var inFlight = 0
        var queues: [String: FIFO<CheckedContinuation<Void, Never>>] = [:]
        /// Functions with waiting calls, in the order they get the next free place.
        var turns = FIFO<String>()
    }

    /// A queue with O(1) push and pop.
    private struct FIFO<Element> {
        private var items: [Element] = []
        private var head = 0
        var isEmpty: Bool { head == items.count }

        mutating func push(_ item: Element) { items.append(item) }

        mutating func pop() -> Element? {
            guard head < items.count else { return nil }
            let item = items[head]
            head += 1
            if head > 1_024 && head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
            return item
        }
    }

    /// The most calls in flight to the app at once.
    let limit: Int
    private let state: Mutex<State>

    init(limit: Int) {
        self.limit = max(1, limit)
        self.state = Mutex(State())
    }

    /// Runs `call` once the app has room for it.
    func withPlace<T: Sendable>(function: String, _ call: () async -> T) async -> T {
        await acquire(function: function)
        defer { release() }
        return await call()
    }

    private func acquire(function: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state -> Bool in
                if state.inFlight < limit {
                    state.inFlight += 1
                    return true
                }
                if state.queues[function] == nil {
                    state.queues[function] = FIFO<CheckedContinuation<Void, Never>>()
                    state.turns.push(function)
                }
                state.queues[function]?.push(continuation)
                return false
            }
            if admitted { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            // Queues are mutated in place (through the subscript): a copy would cost its length.
            guard let function = state.turns.pop(), let waiter = state.queues[function]?.pop() else {
                state.inFlight -= 1
                return nil
            }
            // The place passes to the waiter, so `inFlight` stays the same.
            if state.queues[function]?.isEmpty ?? true {
                state.queues[function] = nil
            } else {
                state.turns.push(function)
            }
            return waiter
        }
        next?.resume()
    }
}
