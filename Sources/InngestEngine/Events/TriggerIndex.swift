import Inngest

/// Which functions an event starts, found by event name, with each trigger's `if` parsed once.
struct TriggerIndex: Sendable {
    struct Entry: Sendable {
        let functionID: String
        let condition: CELExpression?
    }

    private let byEventName: [String: [Entry]]

    init() { byEventName = [:] }

    /// Indexes the event triggers of `entries` by name; fails on an expression it cannot evaluate.
    init(entries: [FunctionCatalog.Entry]) throws {
        var index: [String: [Entry]] = [:]
        for entry in entries.sorted(by: { $0.key < $1.key }) {
            for trigger in entry.function.configuration.triggers {
                guard case .event(let name, let condition) = trigger.kind else { continue }
                index[name, default: []].append(Entry(functionID: entry.key, condition: try condition.map(CELExpression.init)))
            }
        }
        byEventName = index
    }

    /// The ids of the functions `event` starts (each at most once, even with several matching triggers).
    func functions(startedBy name: String, event: JSONValue) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for entry in byEventName[name] ?? [] where !seen.contains(entry.functionID) {
            if let condition = entry.condition, !condition.matches(["event": event]) { continue }
            seen.insert(entry.functionID)
            result.append(entry.functionID)
        }
        return result
    }
}
