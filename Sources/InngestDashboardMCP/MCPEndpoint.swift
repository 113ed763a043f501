import Foundation
import HTTPTypes
import Inngest
import InngestDashboard
import InngestEngine
import MCP

/// An MCP endpoint for the dashboard (`<mount>/mcp`), as Inngest's dev server offers one: an
/// AI assistant lists functions, sends events, invokes functions, lists and reads runs,
/// cancels and reruns them. MCP's Streamable HTTP transport in its JSON-response form (the
/// `modelcontextprotocol/swift-sdk` server): `POST` JSON-RPC, one session per `initialize`,
/// named by the `Mcp-Session-Id` header of later requests.
///
/// ```swift
/// router.addInngestDashboard(engine, at: "/inngest", endpoints: [MCPEndpoint(engine: engine)])
/// ```
///
/// Sessions are few and small: at most ``maxSessions``; past that the least recently used
/// ends (its client gets `404` and initializes again, as the protocol has it).
public final class MCPEndpoint: DashboardEndpoint {
    /// The most sessions kept at once.
    public static let maxSessions = 64
    static let sessionHeader = "Mcp-Session-Id"

    public let name = "mcp"
    private let sessions = MCPSessions()
    private let toolbox: MCPTools

    /// - Parameters:
    ///   - engine: the engine whose functions, events and runs the tools reach.
    ///   - stepManifests: step manifests (as the plugin writes them) that `list_functions`
    ///     shows with each function, by composite function id.
    public init(engine: Engine, stepManifests: [String: JSONValue] = [:]) {
        self.toolbox = MCPTools(engine: engine, manifests: stepManifests)
    }

    public func respond(to request: HTTPRequestMessage) async -> HTTPResponseMessage {
        var headers: [String: String] = [:]
        for field in request.headerFields { headers[field.name.canonicalName] = headers[field.name.canonicalName].map { "\($0), \(field.value)" } ?? field.value }
        let mcpRequest = MCP.HTTPRequest(
            method: request.method.rawValue, headers: headers, body: request.body.isEmpty ? nil : Data(request.body), path: request.path)
        let sessionID = mcpRequest.header(Self.sessionHeader)
        if request.method == .delete, let sessionID {
            await sessions.end(sessionID)
            return HTTPResponseMessage(status: .ok)
        }
        let session: MCPSession
        var newSessionID: String?
        if let sessionID {
            guard let existing = await sessions.session(sessionID) else {
                return Self.error(404, "no MCP session \(sessionID) (it ended); initialize a new one")
            }
            session = existing
        } else {
            guard request.method == .post, Self.isInitialize(request.body) else {
                return Self.error(400, "send initialize first: requests after it carry the \(Self.sessionHeader) header its answer gives")
            }
            do {
                session = try await MCPSession.start(tools: toolbox)
            } catch {
                return Self.error(500, "the MCP session could not start: \(error)")
            }
            newSessionID = await sessions.add(session)
        }
        let answer = await session.transport.handleRequest(mcpRequest)
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        if let newSessionID, let name = HTTPField.Name(Self.sessionHeader) { fields[name] = newSessionID }
        return HTTPResponseMessage(status: HTTPResponse.Status(code: answer.statusCode), headerFields: fields, body: answer.bodyData.map(Array.init) ?? [])
    }

    /// Whether a body is a JSON-RPC `initialize` request.
    private static func isInitialize(_ body: [UInt8]) -> Bool {
        guard let json = try? JSONText.read(body) else { return false }
        return json["method"]?.stringValue == "initialize"
    }

    private static func error(_ status: Int, _ message: String) -> HTTPResponseMessage {
        .dashboardJSON(
            HTTPResponse.Status(code: status),
            ["jsonrpc": "2.0", "id": .null, "error": ["code": -32_000, "message": .string(message)]])
    }
}

/// One client's MCP server and its transport.
struct MCPSession: Sendable {
    let server: Server
    let transport: StatelessHTTPServerTransport

    static func start(tools: MCPTools) async throws -> MCPSession {
        let server = Server(
            name: "inngest", version: "1", instructions: "Runs, events and functions of this Inngest engine.",
            capabilities: Server.Capabilities(tools: .init(listChanged: false)))
        await tools.register(on: server)
        // Host and origin are checked by the dashboard before a request gets here.
        let transport = StatelessHTTPServerTransport(
            validationPipeline: StandardValidationPipeline(validators: [
                AcceptHeaderValidator(mode: .jsonOnly), ContentTypeValidator(), ProtocolVersionValidator(),
            ]))
        try await server.start(transport: transport)
        return MCPSession(server: server, transport: transport)
    }
}

/// The live sessions, least recently used first out.
actor MCPSessions {
    private var sessions: [String: (session: MCPSession, used: UInt64)] = [:]
    private var clock: UInt64 = 0

    func add(_ session: MCPSession) async -> String {
        if sessions.count >= MCPEndpoint.maxSessions, let oldest = sessions.min(by: { $0.value.used < $1.value.used })?.key {
            await end(oldest)
        }
        let id = UUID().uuidString
        clock += 1
        sessions[id] = (session, clock)
        return id
    }

    func session(_ id: String) -> MCPSession? {
        guard let entry = sessions[id] else { return nil }
        clock += 1
        sessions[id] = (entry.session, clock)
        return entry.session
    }

    func end(_ id: String) async {
        guard let entry = sessions.removeValue(forKey: id) else { return }
        await entry.session.server.stop()
    }
}
