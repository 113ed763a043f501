// snippet: engine
import Inngest
import InngestEngine

// snippet: hide
func runOnTheEmbeddedEngine(urls: [String]) async throws {
    // snippet: show
    let engine = try Engine(appID: "shop", databasePath: ".inngest/shop.sqlite", functions: Functions.all)
    try await engine.start()                       // resumes whatever a previous process left
    try await engine.send(Event(ProductImported(imageURLs: urls)))
    // snippet: hide
}
// snippet: end
