import Inngest
import Synchronization

/// The `if` conditions of waits and cancellations, parsed once per text: a wait's condition is
/// stored as text with the wait, and every event that could satisfy it is checked against it.
final class ConditionCache: Sendable {
    /// Distinct conditions kept; past it the cache starts over (a condition is cheap to parse
    /// again, and the set in use is small: one per `waitForEvent` or `cancelOn` in the code).
    private static let capacity = 4_096
    private let parsed = Mutex<[String: CELExpression?]>([:])

    /// The parsed condition; `nil` for text that does not parse (it matches nothing).
    func expression(_ text: String) -> CELExpression? {
        if let known = parsed.withLock({ $0[text] }) { return known }
        let expression = try? CELExpression(text)
        parsed.withLock { cache in
            if cache.count >= Self.capacity { cache.removeAll(keepingCapacity: true) }
            cache[text] = expression
        }
        return expression
    }
}
