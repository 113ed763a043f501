import Foundation
import HTTPTypes
import Inngest
import InngestEngine

/// A web dashboard over an engine — runs with a step timeline drawn to scale, functions,
/// apps and events, kept live by server-sent events — with the JSON run-control API its pages
/// use (see `RunControlAPI` for the routes), and any ``DashboardEndpoint`` it is given, such as
/// the MCP endpoint for assistants. `inngest dev` serves it at `/` with the MCP endpoint; an app
/// on the embedded engine mounts it on its own router (`router.addInngestDashboard(engine, at: "/inngest")`).
///
/// Framework-neutral: ``respond(to:)`` takes a request and answers a complete response or an
/// event stream; the Hummingbird adapters turn these into their responses.
///
/// Safe to expose to a browser on a developer's machine: actions are `POST` (or `DELETE`)
/// with a JSON body — which a page of another site cannot send without the server's consent —
/// and an `Origin` of this server; ``Configuration/allowedHosts`` refuses requests for other
/// host names (DNS rebinding); every value is rendered as text; with a signing key, every
/// page and call needs it (a login sets a cookie derived from it).
public struct Dashboard: Sendable {
    public struct Configuration: Sendable {
        /// Where the dashboard is mounted, without a trailing slash: `""` at the root, `"/inngest"`.
        public var basePath: String
        /// When set, every page and API call requires it: `Authorization: Bearer <key>` or the
        /// cookie the login page sets.
        public var signingKey: SigningKey?
        /// Host names (without port) requests may name; `nil` accepts any. `inngest dev` allows
        /// only loopback names and the ones it is told, so a site that points its own name at
        /// 127.0.0.1 (DNS rebinding) gets nothing.
        public var allowedHosts: Set<String>?
        /// The title of the pages.
        public var title: String
        /// Resyncs the app served at a URL (the apps page's button); `nil`: no button.
        public var resyncApp: (@Sendable (String) async throws -> Void)?
        /// Step manifests (`<app>.inngest.json`, as the plugin writes them) to show with each
        /// function, by composite function id.
        public var stepManifests: [String: JSONValue]
        /// Endpoints served at `<mount>/<name>` behind the dashboard's access checks.
        public var endpoints: [any DashboardEndpoint]

        public init(
            basePath: String = "", signingKey: SigningKey? = nil, allowedHosts: Set<String>? = nil, title: String = "Inngest",
            resyncApp: (@Sendable (String) async throws -> Void)? = nil, stepManifests: [String: JSONValue] = [:],
            endpoints: [any DashboardEndpoint] = []
        ) {
            self.basePath = basePath.hasSuffix("/") ? String(basePath.dropLast()) : basePath
            self.signingKey = signingKey
            self.allowedHosts = allowedHosts
            self.title = title
            self.resyncApp = resyncApp
            self.stepManifests = stepManifests
            self.endpoints = endpoints
        }

        /// The endpoint that answers `parts` (the path under the mount), if any.
        func endpoint(for parts: [String]) -> (any DashboardEndpoint)? {
            guard parts.count == 1 else { return nil }
            return endpoints.first { $0.name == parts[0] }
        }

        /// The loopback names a local server answers to.
        public static let loopbackHosts: Set<String> = ["localhost", "127.0.0.1", "::1", "[::1]"]
    }

    public let engine: Engine
    public let configuration: Configuration
    let pages: PageRenderer
    let access: AccessGuard

    public init(engine: Engine, configuration: Configuration = Configuration()) {
        self.engine = engine
        self.configuration = configuration
        self.pages = PageRenderer(basePath: configuration.basePath, title: configuration.title)
        self.access = AccessGuard(configuration: configuration)
    }

    /// Answers a request for a path under ``Configuration/basePath``; `nil` for a path
    /// outside it (the caller's other routes answer those).
    public func respond(to request: HTTPRequestMessage) async -> DashboardResponse? {
        guard let relative = relativePath(of: request.path) else { return nil }
        let parts = relative.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        if let asset = Asset(parts) { return .complete(asset.response) }
        if let refusal = access.refusal(for: request, relativeParts: parts) { return .complete(refusal) }
        if let endpoint = configuration.endpoint(for: parts) { return .complete(await endpoint.respond(to: request)) }
        if parts.first == "v1" {
            return await RunControlAPI(dashboard: self).respond(to: request, parts: Array(parts.dropFirst()))
        }
        return await PageRoutes(dashboard: self).respond(to: request, parts: parts)
    }

    /// The path under the base, or `nil` when `path` is not under it.
    private func relativePath(of path: String) -> String? {
        let base = configuration.basePath
        if base.isEmpty { return path }
        if path == base { return "/" }
        guard path.hasPrefix(base + "/") else { return nil }
        return String(path.dropFirst(base.count))
    }
}

/// What the dashboard answers: a whole response, or a stream of server-sent events (the
/// text of each frame, `data: …` lines and a blank line) that ends when the client leaves.
public enum DashboardResponse: Sendable {
    case complete(HTTPResponseMessage)
    case eventStream(AsyncStream<String>)

    /// The headers of an event stream.
    public static var eventStreamHeaders: HTTPFields {
        [.contentType: "text/event-stream", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"]
    }
}
