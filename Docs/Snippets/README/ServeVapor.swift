// snippet: serve-vapor
import Inngest
import InngestVapor
import Vapor

// snippet: hide
func serveFromVapor() async throws {
    // snippet: show
    let app = try await Application.make(.detect())
    app.http.server.configuration.port = 3000
    let configuration = InngestConfiguration(appID: "shop", framework: "vapor")
    let client = InngestClient(configuration: configuration, transport: AsyncHTTPClientTransport(client: app.http.client.shared))
    app.addInngest(InngestServeHandler(client: client, functions: Functions.all))
    try await app.execute()
    try await app.asyncShutdown()
    // snippet: hide
}
// snippet: end
