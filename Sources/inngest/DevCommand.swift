import ArgumentParser
import Foundation
import Hummingbird
import Inngest
import InngestDashboardMCP
import InngestDevServer
import InngestDevServerHummingbird
import InngestEngine
import InngestHummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// `inngest dev`: the embedded engine as a dev server that Inngest SDK apps sync with.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run the dev server: the event API, app syncs and the REST API on one port; apps of any Inngest SDK are driven over HTTP.")

    @Option(name: [.short, .long], help: "The port to listen on.")
    var port: Int = 8288

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .customLong("sync-url"), help: ArgumentHelp("An app's serve URL to sync at start (repeatable), e.g. http://127.0.0.1:3000/api/inngest.", valueName: "url"))
    var syncURLs: [String] = []

    @Option(name: .short, help: ArgumentHelp("Same as --sync-url.", valueName: "url"))
    var u: [String] = []

    @Option(help: "The SQLite file that keeps events, runs and synced apps across restarts.")
    var database: String = ".inngest/dev.sqlite"

    @Flag(help: "Keep all state in memory (nothing survives the process).")
    var inMemory = false

    @Option(name: .customLong("event-key"), help: "An event key the event API accepts (repeatable); without any, every key is accepted.")
    var eventKeys: [String] = []

    @Option(help: "Sign calls to apps with this key and require it (as a Bearer token) on the SDK API. Also read from INNGEST_SIGNING_KEY.")
    var signingKey: String?

    @Option(help: "Seconds before the first retry of a failed step (doubling after each failure).")
    var retryBase: Int = 10

    @Option(help: "The most calls in flight to one app at once; more wait in the server, taken in turn from each function.")
    var maxCallsPerApp: Int = 256

    @Flag(
        name: .customLong("no-checkpointing"),
        help: "Do not offer checkpointing: apps answer one step per call (without it, SDKs that checkpoint run consecutive steps in one call).")
    var noCheckpointing = false

    @Option(help: "How long finished runs and their events are kept, as an Inngest time string (e.g. 1h, 7d); \"forever\" keeps everything.")
    var retention: String = "7d"

    @Option(help: "On SIGTERM or SIGINT, how long step bodies in flight may finish, as a time string (e.g. 30s).")
    var shutdownGracePeriod: String = "30s"

    @Option(
        name: .customLong("allow-host"),
        help: ArgumentHelp(
            "A host name the server answers to besides localhost (repeatable), such as the name apps in containers reach it by; others get 403 (DNS rebinding).",
            valueName: "name"))
    var allowedHosts: [String] = []

    @Option(name: .customLong("manifest"), help: ArgumentHelp("An app's step manifest (<app>.inngest.json) to show with its functions in the dashboard (repeatable).", valueName: "file"))
    var manifests: [String] = []

    @Flag(help: "Do not print a line for each finished run.")
    var quiet = false

    /// `--retention` as the engine takes it (`nil`: keep everything).
    func retentionPeriod() throws -> Duration? {
        if retention == "forever" { return nil }
        do {
            return try InngestDuration(parsing: retention).duration()
        } catch {
            throw ValidationError("--retention \(retention): \(error)")
        }
    }

    func gracePeriod() throws -> Duration {
        do {
            return try InngestDuration(parsing: shutdownGracePeriod).duration()
        } catch {
            throw ValidationError("--shutdown-grace-period \(shutdownGracePeriod): \(error)")
        }
    }

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be between 1 and 65535, not \(port)") }
        guard (1...86_400).contains(retryBase) else { throw ValidationError("--retry-base must be between 1 and 86400 seconds, not \(retryBase)") }
        guard (1...10_000).contains(maxCallsPerApp) else { throw ValidationError("--max-calls-per-app must be between 1 and 10000, not \(maxCallsPerApp)") }
        if let retention = try retentionPeriod(), retention <= .zero || retention > .seconds(10 * 365 * 86_400) {
            throw ValidationError("--retention must be more than 0 and at most 10 years (or forever), not \(self.retention)")
        }
        let grace = try gracePeriod()
        guard grace > .zero, grace <= .seconds(86_400) else {
            throw ValidationError("--shutdown-grace-period must be more than 0 and at most 1 day, not \(shutdownGracePeriod)")
        }
        for url in syncURLs + u {
            guard let components = URLComponents(string: url), components.scheme == "http" || components.scheme == "https", components.host != nil else {
                throw ValidationError("--sync-url \(url) is not an http(s) URL")
            }
        }
    }

    func run() async throws {
        let logger = {
            var logger = Logger(label: "inngest.dev")
            logger.logLevel = .info
            return logger
        }()
        let key = (signingKey ?? ProcessInfo.processInfo.environment["INNGEST_SIGNING_KEY"]).flatMap { $0.isEmpty ? nil : SigningKey($0) }
        // A step may run for a long time inside one call (Inngest allows 2 h).
        let transport = AsyncHTTPClientTransport(maxConnectionsPerHost: maxCallsPerApp, timeout: .seconds(7_200))
        var options = Engine.Options(backoff: Backoff(base: .seconds(retryBase)), logger: logger, appTransport: transport, signingKey: key)
        options.maxConcurrentCallsPerApp = maxCallsPerApp
        options.offersCheckpointing = !noCheckpointing
        options.retention = try retentionPeriod()
        options.shutdownGracePeriod = try gracePeriod()
        // The client must be shut down on every way out (its deinit traps otherwise): a database
        // in use by another engine is an error to report, not a crash.
        do {
            try await serve(options: options, key: key, transport: transport, logger: logger)
        } catch {
            try? await transport.shutdown()
            throw error
        }
        try await transport.shutdown()
    }

    private func serve(options: Engine.Options, key: SigningKey?, transport: AsyncHTTPClientTransport, logger: Logger) async throws {
        let engine = try Engine(appID: "inngest-dev", databasePath: inMemory ? ":memory:" : database, functions: [], options: options)
        let stepManifests = try StepManifests.load(manifests)
        let server = DevServer(
            engine: engine,
            configuration: DevServer.Configuration(
                eventKeys: Set(eventKeys), signingKey: key, allowedHosts: Set(allowedHosts.map { $0.lowercased() }),
                stepManifests: stepManifests, dashboardEndpoints: [MCPEndpoint(engine: engine, stepManifests: stepManifests)]),
            transport: transport, logger: logger)
        let router = Router()
        router.addInngestDevServer(server)
        let urls = syncURLs + u
        let (host, port, state) = (host, port, inMemory ? "in memory" : database)
        let application = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "inngest-dev"),
            onServerRunning: { _ in
                logger.info("inngest dev listening on http://\(host):\(port) (state: \(state)); dashboard: http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)/")
                for url in urls {
                    Task {
                        do {
                            try await server.syncApp(at: url, attempts: 60)
                        } catch {
                            logger.error("\(error)")
                        }
                    }
                }
            },
            logger: logger)
        // SIGTERM or SIGINT: the HTTP server stops first (services stop in reverse order), then
        // the engine lets step bodies in flight finish.
        // Services stop in reverse order: the HTTP server, then the engine (which lets bodies in
        // flight finish), then the run log, which prints the runs that end meanwhile and stops
        // when the engine has stopped.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: server), .init(service: application)]
        if !quiet { services.insert(.init(service: RunLog(engine: engine)), at: 0) }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
