/// CEL expressions (event triggers' `if`, waits' `if` and `match`, cancellations, flow-control
/// keys): parse, then evaluate against events with every kind of value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpression(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let expression = try? CELExpression(fuzzText(data, size)) else { return 0 }
    _ = try? expression.evaluate(ExpressionFuzzData.variables)
    _ = expression.matches(ExpressionFuzzData.variables)
    _ = expression.matches([:])
    return 0
}

enum ExpressionFuzzData {
    static let variables: [String: JSONValue] = [
        "event": [
            "name": "shop/order.placed", "ts": .integer(1_767_225_600_000),
            "data": [
                "id": "o-1", "amount": .integer(Int64.max), "min": .integer(Int64.min), "price": .double(-0.0),
                "tiny": .double(5e-324), "huge": .double(1.7976931348623157e308), "items": [1, "two", 3.5, [4], ["five": 5], .null, true],
                "nested": ["deep": ["deeper": ["id": "o-1"]]], "empty": [:], "list": [], "text": "héllo 🙂", "flag": false,
            ],
        ],
        "async": ["data": ["id": "o-1", "amount": .integer(-1), "items": []]],
    ]
}
