// snippet: production
import Hummingbird
import Inngest
import InngestEngine
import Logging
import ServiceLifecycle
import UnixSignals

// snippet: hide
struct OrderPlaced: EventPayload {
    static let eventName = "shop/order.placed"
    var id: String
}

func runInProduction() async throws {
    // snippet: show
    let logger = Logger(label: "shop")
    let engine = try Engine(appID: "shop", databasePath: "/var/lib/shop/inngest.sqlite", functions: Functions.all)
    let router = Router()
    router.post("/orders") { request, context in
        try await engine.send(Event(OrderPlaced(id: "o-1")))
        return HTTPResponse.Status.accepted
    }
    router.get("/health") { _, _ in await engine.health.isHealthy ? HTTPResponse.Status.ok : .serviceUnavailable }
    let app = Application(router: router, configuration: .init(address: .hostname("0.0.0.0", port: 8080)), logger: logger)
    // Services stop in reverse order: the HTTP server first, then the engine.
    let group = ServiceGroup(
        configuration: .init(
            services: [.init(service: engine), .init(service: app)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
    // snippet: hide
}
// snippet: end
