import Testing

@testable import Inngest
@testable import InngestCore

/// The expressions Inngest users write, as trigger filters, waitForEvent and cancelOn
/// conditions and flow-control keys.
@Suite struct ExpressionExamplesTests {
    let order: JSONValue = ["name": "shop/order.created", "data": ["id": "ord_9", "plan": "pro", "customer": ["id": "c_1"]]]

    @Test func matchingEventsById() throws {
        let expression = try CELExpression("event.data.id == async.data.id")
        #expect(expression.variables == ["event", "async"])
        #expect(expression.matches(["event": order, "async": ["data": ["id": "ord_9"]]]))
        #expect(!expression.matches(["event": order, "async": ["data": ["id": "ord_10"]]]))
        // A missing id on one side is null, which equals nothing but null.
        #expect(!expression.matches(["event": order, "async": ["data": [:]]]))
        #expect(!expression.matches(["event": order]))
    }

    @Test func amountAndCurrencyFilter() throws {
        let expression = try CELExpression("async.data.amount > 100 && async.data.currency == 'USD'")
        #expect(expression.variables == ["async"])
        #expect(expression.matches(["async": ["data": ["amount": 150, "currency": "USD"]]]))
        #expect(expression.matches(["async": ["data": ["amount": 100.5, "currency": "USD"]]]))
        #expect(!expression.matches(["async": ["data": ["amount": 100, "currency": "USD"]]]))
        #expect(!expression.matches(["async": ["data": ["amount": 150, "currency": "EUR"]]]))
        #expect(!expression.matches(["async": ["data": ["amount": "150", "currency": "USD"]]]))
        #expect(!expression.matches(["async": ["data": ["currency": "USD"]]]))
    }

    @Test func priorityFromPlan() throws {
        let expression = try CELExpression("event.data.plan == 'pro' ? 120 : 0")
        #expect(try expression.evaluate(["event": order]) == .integer(120))
        #expect(try expression.evaluate(["event": ["data": ["plan": "free"]]]) == .integer(0))
        #expect(try expression.evaluate(["event": ["data": [:]]]) == .integer(0))
        #expect(try expression.evaluate([:]) == .integer(0))
    }

    @Test func resumeSignal() throws {
        let expression = try CELExpression("async.data.resume == true && async.data.id == event.data.id")
        #expect(expression.variables == ["async", "event"])
        #expect(expression.matches(["event": order, "async": ["data": ["resume": true, "id": "ord_9"]]]))
        #expect(!expression.matches(["event": order, "async": ["data": ["resume": false, "id": "ord_9"]]]))
        #expect(!expression.matches(["event": order, "async": ["data": ["resume": "true", "id": "ord_9"]]]))
        #expect(!expression.matches(["event": order, "async": ["data": ["id": "ord_9"]]]))
        #expect(!expression.matches(["event": order, "async": ["data": ["resume": true, "id": "ord_1"]]]))
    }

    @Test func flowControlKeys() throws {
        #expect(try CELExpression("event.data.customer.id").evaluate(["event": order]) == "c_1")
        #expect(try CELExpression("event.data.customer.id + ':' + event.data.plan").evaluate(["event": order]) == "c_1:pro")
        // A key over a missing field is null rather than an error; callers decide what that means.
        #expect(try CELExpression("event.data.account_id").evaluate(["event": order]) == nil)
    }

    @Test func triggerFilterReadsOnlyEvent() throws {
        #expect(try CELExpression("event.name == 'shop/order.created' && size(event.data.id) > 0").variables == ["event"])
        #expect(try CELExpression("event.data.id == async.data.id").variables.subtracting(["event"]) == ["async"])
    }
}
