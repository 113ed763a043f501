import HTTPTypes
import Inngest

/// An endpoint the dashboard serves at `<mount>/<name>` beside its pages, behind the same
/// host-name, origin and signing-key checks (refused in JSON, as the API is).
///
/// The MCP endpoint for AI assistants is one (`MCPEndpoint` in `InngestDashboardMCP`). It is
/// a product of its own because the MCP SDK links Foundation's networking (libcurl and its
/// TLS, Kerberos and LDAP libraries); an app that mounts only the dashboard loads none of it.
public protocol DashboardEndpoint: Sendable {
    /// The one path segment it answers under the mount, e.g. `"mcp"`. It takes precedence
    /// over a dashboard page of the same name.
    var name: String { get }

    /// Answers a request for `<mount>/<name>`, after the dashboard's access checks passed.
    func respond(to request: HTTPRequestMessage) async -> HTTPResponseMessage
}
