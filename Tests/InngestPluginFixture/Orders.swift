import Foundation
import Inngest

public struct Receipt: Codable, Sendable, Hashable {
    public var orderID: String
    public var total: Int
    public var lines: [String]
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case orderID = "order_id", total, lines, note
    }
}

public enum Orders {
    /// A static method with options, steps in a loop and a typed trigger.
    @InngestFunction(
        id: "process-order",
        name: "Process order",
        trigger: .event(Events.OrderPlaced.self),
        retries: 3,
        cancelOn: [.init(event: "shop/order.cancelled", match: "data.order_id")],
        concurrency: .limit(5, key: "event.data.order_id"),
        debounce: .init(period: "2s"))
    public static func process(_ context: Context<Events.OrderPlaced>) async throws -> Receipt {
        let order = context.event.data
        var lines: [String] = []
        for item in order.items {
            let line = try await context.step.run("price-item") { "\(item.quantity) x \(item.sku)" }
            lines.append(line)
        }
        let square = try await context.step.invoke("square-total", function: Functions.computeSquare, data: Events.CalculateSquare(number: order.amountCents))
        try await context.step.sleep("cool-down", "1s")
        return Receipt(orderID: order.orderId, total: square.result, lines: lines, note: nil)
    }
}

/// Calls another app's function through the reference generated from its manifest.
@InngestFunction(id: "ask-python", trigger: .event("shop/order.placed"))
public func askPython(_ ctx: Context<JSONValue>) async throws -> Int {
    let answer = try await ctx.step.invoke("python-square", function: MyPythonApp.computeSquare, data: MyPythonApp.SquareInput(number: 7))
    return answer.result
}

/// No output; a cron trigger.
@InngestFunction(id: "nightly-report", trigger: .cron("TZ=Europe/Paris 0 3 * * *"))
func nightlyReport(ctx: Context<JSONValue>) async throws {
    try await ctx.step.run("collect") { 42 }
}
