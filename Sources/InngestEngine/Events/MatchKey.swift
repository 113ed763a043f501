import Foundation
import Inngest

/// The part of a wait or cancellation condition that an index can answer.
///
/// Conditions made from `match:` start with `event.<path> == async.<path>`. For those the
/// value the awaited event must carry is known when the wait begins, so waits are stored
/// under `(event name, async path, value)` and an arriving event finds its waiters with one
/// indexed lookup per distinct path instead of evaluating every waiter's condition.
struct MatchKey: Sendable, Equatable {
    /// The dotted path into the awaited event (without `async.`).
    let field: String
    /// The canonical JSON of the value it must have.
    let key: String

    // Regex is not Sendable; this one is immutable and only read.
    private nonisolated(unsafe) static let pattern = /^\(?\s*event\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)\s*==\s*async\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)\s*\)?(?:\s*&&|\s*$)/

    /// The key of `condition` for a run whose event is `runEvent`, if it starts with a match.
    static func of(condition: String?, runEvent: JSONValue) -> MatchKey? {
        guard let condition, let match = condition.firstMatch(of: pattern) else { return nil }
        let value = lookup(String(match.1), in: runEvent)
        return MatchKey(field: String(match.2), key: canonical(value))
    }

    /// The value at a dotted path; `null` when any part is missing.
    static func lookup(_ path: String, in value: JSONValue) -> JSONValue {
        var current = value
        for part in path.split(separator: ".") {
            guard let next = current[String(part)] else { return .null }
            current = next
        }
        return current
    }

    /// JSON text with integral doubles written as integers, so `1` and `1.0` share a key
    /// (the condition treats them as equal).
    static func canonical(_ value: JSONValue) -> String {
        (try? JSONCodec.shared.encodeToString(normalized(value))) ?? "null"
    }

    private static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .double(let number): return Int64(exactly: number).map(JSONValue.integer) ?? value
        case .array(let elements): return .array(elements.map(normalized))
        case .object(let members): return .object(members.mapValues(normalized))
        default: return value
        }
    }
}
