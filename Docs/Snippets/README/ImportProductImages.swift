// snippet: first-function
import Inngest

struct ProductImported: EventPayload {
    static let eventName = "shop/product.imported"
    var imageURLs: [String]
}

@InngestFunction(id: "import-product-images",
                 trigger: .event(ProductImported.self),
                 retries: 5, concurrency: .limit(10))
func importProductImages(_ ctx: Context<ProductImported>) async throws -> [String] {
    let copied = try await ctx.step.run("copy-images-to-s3") {
        try await copyAllImagesToS3(ctx.event.data.imageURLs)
    }
    try await ctx.step.run("resize-images") { try await resizer.bulk(copied) }
    try await ctx.step.sleep("cool-down", "1h")
    return copied
}
// snippet: end

// What the README's function calls, left out of it.
func copyAllImagesToS3(_ urls: [String]) async throws -> [String] { urls.map { "s3://images/" + $0 } }

struct Resizer: Sendable {
    func bulk(_ urls: [String]) async throws {}
}

let resizer = Resizer()

func buildByHand() throws {
    // snippet: by-hand
    let function = InngestFunction(
        FunctionConfiguration(id: "import-product-images", trigger: .event(ProductImported.self),
                              retries: 5, concurrency: .limit(10)),
        handler: importProductImages)
    try function.configuration.validate()   // Inngest's limits, every problem listed by field
    // snippet: end
}
