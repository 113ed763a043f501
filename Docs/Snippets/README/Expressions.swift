import Inngest

// The code of the Expressions article's block: a trigger condition and a wait's condition.
// snippet: expressions
// snippet: hide
let couponOrderTrigger: Trigger =
    // snippet: show
    .event("shop/order.placed",
           if: "has(event.data.coupon) && event.data.items.exists(i, i.sku.matches('^SKU-[0-9]+$'))")
// snippet: hide
func waitForPayment(_ ctx: Context<JSONValue>) async throws {
    _ =
        // snippet: show
        try await ctx.step.waitForEvent("paid", event: "shop/order.paid", timeout: "1d",
               if: "async.data.order_id == event.data.id && async.data.lines.all(l, l.qty > 0)")
    // snippet: hide
}
// snippet: end
