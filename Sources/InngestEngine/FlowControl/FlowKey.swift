import Inngest

/// The key a flow-control option applies per: the canonical JSON of its expression's value
/// for the event, or one shared key when the option has no expression.
///
/// An expression that yields nothing for an event (a missing field, `null`) gives the key
/// `null`: such events share one key, the same way every equal value does.
enum FlowKey {
    static let shared = ""

    static func of(_ expression: CELExpression?, event: JSONValue) -> String {
        guard let expression else { return shared }
        let value = (try? expression.evaluate(["event": event])) ?? .null
        return MatchKey.canonical(value)
    }
}
