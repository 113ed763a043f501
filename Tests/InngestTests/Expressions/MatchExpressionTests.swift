import Testing

@testable import Inngest
@testable import InngestCore

@Suite struct MatchExpressionTests {
    @Test func buildsTheComparisonOfBothEvents() throws {
        let expression = try CELExpression.match(field: "data.invoice_id")
        #expect(expression.source == "event.data.invoice_id == async.data.invoice_id")
        #expect(expression.variables == ["event", "async"])
        #expect(
            expression.matches([
                "event": ["data": ["invoice_id": "in_1"]], "async": ["data": ["invoice_id": "in_1"]],
            ]))
        #expect(
            !expression.matches([
                "event": ["data": ["invoice_id": "in_1"]], "async": ["data": ["invoice_id": "in_2"]],
            ]))
        #expect(try CELExpression.match(field: "data.invoice_id") == CELExpression("event.data.invoice_id == async.data.invoice_id"))
    }

    @Test(arguments: ["id", "data.userId", "data._private.v2", "user.account.ID_9", "data.if"])
    func acceptsDottedIdentifiers(field: String) throws {
        #expect(try CELExpression.match(field: field).source == "event.\(field) == async.\(field)")
    }

    @Test(arguments: [
        ("", "empty match field at column 1 in \"\""),
        ("data.", "empty segment in match field at column 6 in \"data.\""),
        (".data", "empty segment in match field at column 1 in \".data\""),
        ("data..id", "empty segment in match field at column 6 in \"data..id\""),
        ("data.1st", "match field segments must start with a letter or '_' at column 6 in \"data.1st\""),
        ("data.user-id", "invalid character '-' in match field at column 10 in \"data.user-id\""),
        ("data.id == 1 || true", "invalid character ' ' in match field at column 8 in \"data.id == 1 || true\""),
        ("data['id']", "invalid character '[' in match field at column 5 in \"data['id']\""),
        ("data.naïve", "invalid character '\\u{00EF}' in match field at column 8 in \"data.naïve\""),
        ("event.data.id", "match field is relative to each event; drop the leading 'event.' at column 1 in \"event.data.id\""),
        ("async.data.id", "match field is relative to each event; drop the leading 'async.' at column 1 in \"async.data.id\""),
        ("data.null", "'null' is a keyword and cannot be a match field segment at column 6 in \"data.null\""),
        ("in", "'in' is a keyword and cannot be a match field segment at column 1 in \"in\""),
    ])
    func rejectsAnythingButDottedIdentifiers(field: String, description: String) {
        let error = #expect(throws: ExpressionError.self) { try CELExpression.match(field: field) }
        #expect(error?.kind == .invalidField)
        #expect(error?.source == field)
        #expect(error?.description == description)
    }

    @Test func rejectsOverlongFields() throws {
        let longest = String(repeating: "a", count: (CELExpression.maximumSourceLength - 16) / 2)
        #expect(try CELExpression.match(field: longest).source.utf8.count == CELExpression.maximumSourceLength)
        let error = #expect(throws: ExpressionError.self) {
            try CELExpression.match(field: String(repeating: "a", count: CELExpression.maximumSourceLength))
        }
        #expect(error?.kind == .invalidField)
        #expect(error?.message == "match field is longer than the limit of 8184 bytes")
    }
}
