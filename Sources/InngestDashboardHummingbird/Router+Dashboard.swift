import Foundation
import HTTPTypes
import Hummingbird
import Inngest
import InngestDashboard
import InngestEngine

extension RouterMethods {
    /// Mounts the dashboard of `engine` (see ``Dashboard``) at `path`: the runs, functions,
    /// apps and events of the app's own database, live, and the run-control API at
    /// `<path>/v1/…`.
    ///
    /// ```swift
    /// router.addInngestDashboard(engine, at: "/inngest")
    /// ```
    ///
    /// Protect it like any admin page: pass a signing key (every page then needs it), or
    /// mount it behind your own authentication middleware. `endpoints` are served beside the
    /// pages behind the same checks, such as `MCPEndpoint(engine: engine)` (`InngestDashboardMCP`).
    @discardableResult
    public func addInngestDashboard(
        _ engine: Engine, at path: String = "/inngest", signingKey: SigningKey? = nil, allowedHosts: Set<String>? = nil,
        endpoints: [any DashboardEndpoint] = [], maxBodyBytes: Int = InngestLimits.maxRequestBodyBytes
    ) -> Self {
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        let dashboard = Dashboard(
            engine: engine,
            configuration: Dashboard.Configuration(basePath: base, signingKey: signingKey, allowedHosts: allowedHosts, endpoints: endpoints))
        return addInngestDashboard(dashboard, maxBodyBytes: maxBodyBytes)
    }

    /// Mounts a configured dashboard at its ``Dashboard/Configuration/basePath``.
    @discardableResult
    public func addInngestDashboard(_ dashboard: Dashboard, maxBodyBytes: Int = InngestLimits.maxRequestBodyBytes) -> Self {
        let base = dashboard.configuration.basePath
        let respond: @Sendable (Request, Context) async throws -> Response = { request, _ in
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: maxBodyBytes)
            } catch {
                return Response(DashboardResponse.complete(.dashboardJSON(.contentTooLarge, ["error": .string("the request body exceeds the limit of \(maxBodyBytes) bytes"), "status": 413])))
            }
            let message = HTTPRequestMessage(head: request.head, body: Array(body.readableBytesView))
            return Response(await dashboard.respond(to: message) ?? .complete(.dashboardJSON(.notFound, ["error": "not found", "status": 404])))
        }
        for method in [HTTPRequest.Method.get, .head, .post, .delete] {
            on(RouterPath(base.isEmpty ? "/" : base), method: method, use: respond)
            on(RouterPath(base + "/**"), method: method, use: respond)
        }
        return self
    }
}

extension Response {
    /// A dashboard answer as a Hummingbird response: an event stream is written as it comes.
    public init(_ answer: DashboardResponse) {
        switch answer {
        case .complete(let message):
            self.init(
                status: message.status, headers: message.headerFields,
                body: .init(byteBuffer: ByteBuffer(bytes: message.body)))
        case .eventStream(let frames):
            self.init(
                status: .ok, headers: DashboardResponse.eventStreamHeaders,
                body: ResponseBody(asyncSequence: frames.map { ByteBuffer(string: $0) }))
        }
    }
}
