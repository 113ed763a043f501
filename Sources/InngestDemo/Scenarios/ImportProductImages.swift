import Foundation
import Inngest
import InngestEngine

struct ProductImported: EventPayload {
    static let eventName = "shop/product.imported"
    var productId: String
    var imageURLs: [String]
}

struct ImportedImages: Codable, Sendable {
    var productId: String
    var thumbnails: [String]
}

/// Inngest's first example: copy a product's images to S3, then resize them. Each step's
/// result is stored before the next begins, so a crash after the copy does not copy again.
struct ImportProductImages: Scenario {
    let title = "Import product images"
    let summary = "Two durable steps on a typed payload; each result is on disk before the next step starts."

    var functions: [InngestFunction] {
        [
            InngestFunction(FunctionConfiguration(id: "import-product-images", trigger: .event(ProductImported.self))) {
                (ctx: Context<ProductImported>) -> ImportedImages in
                let product = ctx.event.data
                let copied = try await ctx.step.run("copy-images-to-s3") {
                    try await SimulatedWork.pause(milliseconds: 30)
                    return product.imageURLs.map { "s3://demo-product-images/\(product.productId)/\(fileName(of: $0))" }
                }
                let thumbnails = try await ctx.step.run("resize-images") {
                    try await SimulatedWork.pause(milliseconds: 20)
                    return copied.map { $0.replacingOccurrences(of: ".jpg", with: "-400w.jpg") }
                }
                return ImportedImages(productId: product.productId, thumbnails: thumbnails)
            }
        ]
    }

    func play(in session: DemoSession) async throws {
        let product = ProductImported(
            productId: "p-100",
            imageURLs: [
                "https://cdn.example.com/uploads/front.jpg", "https://cdn.example.com/uploads/back.jpg",
            ])
        let eventID = try await session.send(try Event(product).erased())
        try await session.settle()
        let detail = try await session.run(of: "import-product-images", startedBy: eventID)
        session.show(detail)
        Console.line()
        session.expect(
            detail.run.status == .completed && detail.steps.map(\.userID) == ["copy-images-to-s3", "resize-images"],
            "the run completed after copy-images-to-s3 then resize-images")
        session.expect(
            detail.run.output?["thumbnails"]?.arrayValue?.count == product.imageURLs.count,
            "it returned one thumbnail per imported image")
    }
}

/// The last path component of a URL string, or the whole string if it has none.
private func fileName(of url: String) -> String {
    url.split(separator: "/").last.map(String.init) ?? url
}
