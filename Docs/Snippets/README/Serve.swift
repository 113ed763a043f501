// snippet: serve
import Hummingbird
import Inngest
import InngestHummingbird

// snippet: hide
func serveOverHTTP() async throws {
    // snippet: show
    let configuration = InngestConfiguration(appID: "shop")          // reads INNGEST_* from the environment
    let client = InngestClient(configuration: configuration, transport: AsyncHTTPClientTransport())
    let router = Router()
    router.addInngest(InngestServeHandler(client: client, functions: Functions.all))
    try await Application(router: router, configuration: .init(address: .hostname("0.0.0.0", port: 3000))).runService()
    // snippet: hide
}
// snippet: end
