import Foundation
import Inngest

public struct ImportSummary: Codable, Sendable {
    public var copied: [URL]
    public var thumbnails: [String: URL]
    public var startedAt: Date
    public var status: Status

    public enum Status: String, Codable, Sendable {
        case complete, partial = "partial-import"
    }
}

@InngestFunction(
    id: "import-product-images",
    trigger: .event(Events.ProductImported.self, if: "size(event.data.image_urls) > 0"),
    retries: 5,
    cancelOn: [.init(event: "shop/product.deleted", match: "data.product_id")],
    concurrency: [.limit(10), .limit(1, key: "event.data.product_id")],
    throttle: .init(limit: 100, period: "1m", burst: 10),
    timeouts: .init(finish: "1h"))
public func importProductImages(_ ctx: Context<Events.ProductImported>) async throws -> ImportSummary {
    let copied = try await ctx.step.run("copy-images-to-s3") { ctx.event.data.imageUrls.compactMap(URL.init(string:)) }
    var thumbnails: [String: URL] = [:]
    for url in copied {
        thumbnails[url.lastPathComponent] = try await ctx.step.run("thumbnail") { url }
    }
    try await ctx.step.sleep("settle", "30s")
    _ = try await ctx.step.invoke("charge", function: Billing.chargeCard,
                                  data: Billing.ChargeRequest(amountCents: 100, currency: .eur, customer: .init(id: "c-1")))
    return ImportSummary(copied: copied, thumbnails: thumbnails, startedAt: Date(), status: .complete)
}
