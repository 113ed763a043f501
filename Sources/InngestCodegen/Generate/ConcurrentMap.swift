import Foundation

extension Array where Element: Sendable {
    /// `map` with the elements spread over all cores; the results keep the input order.
    /// `transform` runs concurrently: it may only read shared state.
    func concurrentMap<T>(_ transform: @Sendable (Element) -> T) -> [T] {
        let slots = Slots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            slots.set(index, transform(self[index]))
        }
        return slots.values()
    }
}

/// One slot per element, filled from several threads.
private final class Slots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [T?]

    init(count: Int) { storage = [T?](repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) {
        lock.withLock { storage[index] = value }
    }

    func values() -> [T] {
        lock.withLock { storage.map { $0! } }
    }
}
