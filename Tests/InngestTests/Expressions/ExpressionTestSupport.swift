import Testing

@testable import Inngest
@testable import InngestCore

/// An event payload with the shapes the tests read: nested objects, lists, numbers of both
/// kinds, and the extremes of Int64.
let sampleEvent: JSONValue = [
    "name": "billing/invoice.paid",
    "data": [
        "id": "inv_1",
        "plan": "pro",
        "amount": 150,
        "ratio": 0.25,
        "flag": true,
        "nothing": nil,
        "user": ["name": "Ada", "email": "ada@example.com"],
        "items": [10, 20, 30],
        "tags": ["a": 1, "b": 2],
        "role": "admin",
        "max": .integer(Int64.max),
        "min": .integer(Int64.min),
        "zero": 0,
        "key": "dynamic",
    ],
]

/// Parses and evaluates `source` with `event` bound to `sampleEvent` unless told otherwise.
func evaluate(_ source: String, _ variables: [String: JSONValue] = ["event": sampleEvent]) throws -> JSONValue {
    try CELExpression(source).evaluate(variables)
}

/// The error `CELExpression(source)` throws, or `nil` (recorded as a failure) when it parses.
func rejection(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) -> ExpressionError? {
    #expect(throws: ExpressionError.self, "\(source) should be rejected", sourceLocation: sourceLocation) {
        try CELExpression(source)
    }
}

/// The error evaluating `source` throws, or `nil` (recorded as a failure) when it succeeds.
func evaluationError(
    _ source: String, _ variables: [String: JSONValue] = ["event": sampleEvent],
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> ExpressionError? {
    let expression = try CELExpression(source)
    return #expect(throws: ExpressionError.self, "\(source) should fail", sourceLocation: sourceLocation) {
        try expression.evaluate(variables)
    }
}
