import Inngest
import Testing

struct ProductImported: EventPayload {
    static let eventName = "shop/product.imported"
    var imageURLs: [String]
}

@Sendable func reportImportFailure(_ ctx: Context<FunctionFailed>) async throws {}

// These compile only if every label and argument type of the attribute type-checks:
// the marker attribute costs nothing at run time but is checked like a call.
@InngestFunction(
    id: "import-product-images",
    name: "Import product images",
    trigger: .event(ProductImported.self, if: "size(event.data.imageURLs) > 0"),
    retries: 5,
    onFailure: reportImportFailure,
    cancelOn: [Cancellation(event: "shop/product.deleted", match: "data.id", timeout: "1d")],
    concurrency: [.limit(10), .limit(1, key: "event.data.shop", scope: .env)],
    throttle: Throttle(limit: 10, period: "1m", burst: 2),
    rateLimit: RateLimit(limit: 100, period: "1h"),
    priority: Priority(run: "event.data.vip ? 120 : 0"),
    idempotency: "event.data.id",
    timeouts: Timeouts(start: "10m", finish: "1h"),
    singleton: Singleton(key: "event.data.shop", mode: .skip))
func importProductImages(_ ctx: Context<ProductImported>) async throws -> [String] {
    try await ctx.step.run("copy-images-to-s3") { ctx.event.data.imageURLs }
}

enum Weekly {
    @InngestFunction(
        id: "weekly-digest", triggers: [.cron("TZ=Europe/Paris 0 9 * * 1", jitter: "5m"), .event("app/digest.requested")],
        debounce: Debounce(period: "5m", key: "event.data.user", timeout: "1h"))
    static func digest(_ ctx: Context<JSONValue>) async throws {}

    @InngestFunction(id: "batched", trigger: .event("app/row"), batchEvents: BatchEvents(maxSize: 100, timeout: "5s", key: "event.data.table", if: "event.data.batch == true"))
    static func batched(_ ctx: Context<JSONValue>) async -> Int { ctx.events.count }
}

@Suite struct AttributeTests {
    /// What generated code does: pass the attribute's arguments to the runtime unchanged.
    @Test func attributeArgumentsBuildAValidFunction() throws {
        let function = InngestFunction(
            FunctionConfiguration(
                id: "import-product-images", name: "Import product images",
                trigger: .event(ProductImported.self, if: "size(event.data.imageURLs) > 0"), retries: 5,
                cancelOn: [Cancellation(event: "shop/product.deleted", match: "data.id", timeout: "1d")],
                concurrency: [.limit(10), .limit(1, key: "event.data.shop", scope: .env)],
                throttle: Throttle(limit: 10, period: "1m", burst: 2), rateLimit: RateLimit(limit: 100, period: "1h"),
                priority: Priority(run: "event.data.vip ? 120 : 0"), idempotency: "event.data.id",
                timeouts: Timeouts(start: "10m", finish: "1h"), singleton: Singleton(key: "event.data.shop", mode: .skip)),
            onFailure: reportImportFailure, handler: importProductImages)
        try function.configuration.validate()
        #expect(function.configuration.triggers.first?.eventName == "shop/product.imported")
        #expect(function.configuration.maxAttempts == 6)
        let failure = try #require(function.failureFunction(appID: "shop"))
        #expect(failure.id == "import-product-images-failure")
        #expect(failure.configuration.triggers == [.event("inngest/function.failed", if: "event.data.function_id == 'shop-import-product-images'")])
        #expect(InngestFunction(.init(id: "weekly-digest"), handler: Weekly.digest).id == "weekly-digest")
    }
}
