import Foundation
import HTTPTypes
import Inngest
import InngestDashboard
import InngestEngine
import Logging
import ServiceLifecycle

/// `inngest dev`: the embedded engine as a server that Inngest SDK apps (Swift, TypeScript,
/// Python, Go) sync with and are driven by, over the same HTTP API as Inngest's own dev server.
///
/// Framework-neutral: ``handle(_:)`` takes a request and returns the response; the
/// Hummingbird adapter (`Router.addInngestDevServer`) and tests call it.
///
/// | route | what |
/// | --- | --- |
/// | `POST /e/{key}` | the event API: one event or an array; `{"ids": [...], "status": 200}` |
/// | `POST /fn/register` | an app's sync (out-of-band) |
/// | `GET /v0/runs/{id}/actions`, `GET /v0/runs/{id}/batch` | a run's steps and events, for SDKs sent a trimmed call (`use_api`) |
/// | `POST /v1/checkpoint/{runId}/async` | steps an app ran during a call, recorded before it runs the next (checkpointing) |
/// | `POST /v1/signals` | resumes the run waiting for a signal (`{"signal", "data"}`), as Inngest's API does |
/// | `GET /dev` | the synced apps and their functions |
/// | `GET /health` | the engine's health: `200`, or `503` naming the part that fails |
/// | `/v1/…` | the run-control API (``RunControlAPI``): runs, events, functions, apps, cancel, rerun, invoke, bulk cancel |
/// | `/`, `/runs`, … | the dashboard (``Dashboard``) |
public struct DevServer: Sendable {
    public struct Configuration: Sendable {
        /// Event keys the event API accepts; empty accepts any key (and `NO_EVENT_KEY_SET`).
        public var eventKeys: Set<String>
        /// When set, calls to apps are signed with it and the SDK-facing API
        /// (`/fn/register`, `/v0/...`, `/v1/...`) requires `Authorization: Bearer` with it.
        public var signingKey: SigningKey?
        /// Larger request bodies get `413`.
        public var maxBodyBytes: Int
        /// Host names the server answers to (besides loopback names); `nil` answers any. See
        /// ``Dashboard/Configuration/allowedHosts``. The SDK-facing routes check it too, and
        /// take an action (`POST /e/{key}`, `POST /fn/register`) from a browser only for a
        /// page of one of these hosts.
        public var allowedHosts: Set<String>?
        /// Step manifests to show with functions, by composite id.
        public var stepManifests: [String: JSONValue]
        /// Endpoints the dashboard serves beside its pages (`inngest dev` gives it the MCP endpoint).
        public var dashboardEndpoints: [any DashboardEndpoint]

        public init(
            eventKeys: Set<String> = [], signingKey: SigningKey? = nil, maxBodyBytes: Int = InngestLimits.maxRequestBodyBytes,
            allowedHosts: Set<String>? = Dashboard.Configuration.loopbackHosts, stepManifests: [String: JSONValue] = [:],
            dashboardEndpoints: [any DashboardEndpoint] = []
        ) {
            self.eventKeys = eventKeys
            self.signingKey = signingKey
            self.maxBodyBytes = maxBodyBytes
            self.allowedHosts = allowedHosts.map { $0.union(Dashboard.Configuration.loopbackHosts) }
            self.stepManifests = stepManifests
            self.dashboardEndpoints = dashboardEndpoints
        }
    }

    public let engine: Engine
    public let configuration: Configuration
    let transport: any HTTPTransport
    let logger: Logger
    let syncs = SyncLog()
    /// The dashboard at `/` and the run-control API at `/v1/`.
    public private(set) var dashboard: Dashboard

    /// - Parameter transport: for syncing apps by URL (``syncApp(at:)``).
    public init(
        engine: Engine, configuration: Configuration = Configuration(), transport: any HTTPTransport,
        logger: Logger = Logger(label: "inngest.dev")
    ) {
        self.engine = engine
        self.configuration = configuration
        self.transport = transport
        self.logger = logger
        var dashboardConfiguration = Dashboard.Configuration(
            signingKey: configuration.signingKey, allowedHosts: configuration.allowedHosts, title: "Inngest dev server",
            stepManifests: configuration.stepManifests, endpoints: configuration.dashboardEndpoints)
        self.dashboard = Dashboard(engine: engine, configuration: dashboardConfiguration)
        // The apps page's resync button syncs through this server (a copy: the server is a value).
        let server = self
        dashboardConfiguration.resyncApp = { url in try await server.syncApp(at: url) }
        self.dashboard = Dashboard(engine: engine, configuration: dashboardConfiguration)
    }

    /// Answers any request: the SDK-facing routes, else the dashboard and its API (whose live
    /// pages answer an event stream).
    public func respond(to request: HTTPRequestMessage) async -> DashboardResponse {
        if let response = await handleOwnRoute(request) { return .complete(response) }
        return await dashboard.respond(to: request) ?? .complete(.json(404, ["error": .string("no route for \(request.method.rawValue) \(request.path)"), "status": 404]))
    }

    /// Answers a request with a complete response (a live page's event stream is refused:
    /// use ``respond(to:)`` for those).
    public func handle(_ request: HTTPRequestMessage) async -> HTTPResponseMessage {
        switch await respond(to: request) {
        case .complete(let response): return response
        case .eventStream: return .json(406, ["error": "this route answers a stream of server-sent events; read it with respond(to:)", "status": 406])
        }
    }

    /// The SDK-facing routes, or `nil` for a path that is not one.
    private func handleOwnRoute(_ request: HTTPRequestMessage) async -> HTTPResponseMessage? {
        if request.body.count > configuration.maxBodyBytes {
            return .json(
                413,
                [
                    "error": .string("the request body is \(request.body.count) bytes, over the limit of \(configuration.maxBodyBytes) bytes"),
                    "status": 413,
                ])
        }
        let parts = request.path.split(separator: "/").map(String.init)
        let method = request.method.rawValue.uppercased()
        guard let route = Route(parts) else { return nil }
        guard route.methods.contains(method) else {
            let allowed = route.methods.joined(separator: ", ")
            return .json(
                405, ["error": .string("\(method) is not allowed on \(request.path); use \(allowed)"), "status": 405],
                headers: [.allow: allowed])
        }
        if let refusal = refusal(of: request, for: route) { return .json(403, ["error": .string(refusal), "status": 403]) }
        switch (route, method) {
        case (.events(let key), _): return await receiveEvents(request, key: key)
        case (.register, _): return await register(request)
        case (.recordedSteps(let runID), _): return await authorized(request) { await recordedSteps(runID: runID) }
        case (.runEvents(let runID), _): return await authorized(request) { await runEvents(runID: runID) }
        case (.signals, _): return await authorized(request) { await receiveSignal(request) }
        case (.checkpoint(let runID), _): return await authorized(request) { await receiveCheckpoint(request, runID: runID) }
        case (.apps, _): return await apps()
        case (.health, _): return await health()
        }
    }

    /// Why the server refuses `request` before reading it, or `nil`: a host name it does not
    /// answer to (DNS rebinding), or an action sent by a browser for another site's page (a
    /// form or `fetch` of any site could otherwise send events or register an app here). The
    /// health check answers any host name: it tells nothing, and probes name the server as
    /// their network sees it.
    private func refusal(of request: HTTPRequestMessage, for route: Route) -> String? {
        if case .health = route { return nil }
        let policy = LocalRequestPolicy(allowedHosts: configuration.allowedHosts)
        if let refusal = policy.hostRefusal(request) { return refusal }
        guard route.methods.contains("POST") else { return nil }
        return policy.crossSiteRefusal(request, sameOrigin: false)
    }

    /// `GET /health`: the engine's ``EngineHealth``, `200` when every part works, else `503`.
    private func health() async -> HTTPResponseMessage {
        let health = await engine.health
        return .json(
            health.isHealthy ? 200 : 503,
            [
                "ok": .bool(health.isHealthy), "writer": .string("\(health.writer)"), "timer_loop": .string("\(health.timerLoop)"),
                "store": .string("\(health.store)"),
            ])
    }

    /// The paths the server answers, each with the methods it takes.
    private enum Route {
        case events(key: String)
        case register
        case recordedSteps(runID: String)
        case runEvents(runID: String)
        case signals
        case checkpoint(runID: String)
        case apps
        case health

        init?(_ parts: [String]) {
            switch parts.count {
            case 1 where parts[0] == "health": self = .health
            case 1 where parts[0] == "dev": self = .apps
            case 2 where parts[0] == "e": self = .events(key: parts[1])
            case 2 where parts == ["fn", "register"]: self = .register
            case 2 where parts == ["v1", "signals"]: self = .signals
            case 4 where parts[0] == "v0" && parts[1] == "runs" && parts[3] == "actions": self = .recordedSteps(runID: parts[2])
            case 4 where parts[0] == "v0" && parts[1] == "runs" && parts[3] == "batch": self = .runEvents(runID: parts[2])
            case 4 where parts[0] == "v1" && parts[1] == "checkpoint" && parts[3] == "async": self = .checkpoint(runID: parts[2])
            default: return nil
            }
        }

        var methods: [String] {
            switch self {
            case .events, .register, .signals, .checkpoint: return ["POST"]
            case .recordedSteps, .runEvents, .apps, .health: return ["GET"]
            }
        }
    }

    /// The SDK-facing API requires the signing key when the server has one.
    func authorized(_ request: HTTPRequestMessage, _ work: () async -> HTTPResponseMessage) async -> HTTPResponseMessage {
        if let key = configuration.signingKey {
            let header = request.headerFields[.authorization] ?? ""
            let token = header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces) : ""
            guard !token.isEmpty, key.acceptsBearer(token) else {
                return .json(401, ["error": "missing or invalid Authorization: Bearer signing key", "status": 401])
            }
        }
        return await work()
    }
}

extension HTTPResponseMessage {
    package static func json(_ status: HTTPResponse.Status, _ body: JSONValue, headers: HTTPFields = [:]) -> HTTPResponseMessage {
        var headers = headers
        headers[.inngestServerKind] = "dev"
        return .dashboardJSON(status, body, headers: headers)
    }
}

extension DevServer: Service {
    /// Runs the server's engine for a `ServiceGroup` beside the HTTP server that mounts
    /// ``handle(_:)``: starts it, and stops it gracefully (``Engine/shutdown()``) on graceful
    /// shutdown. List it before the HTTP server, which the group then stops first.
    public func run() async throws {
        try await engine.run()
    }
}
