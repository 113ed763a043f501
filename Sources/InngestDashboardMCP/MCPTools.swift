import Foundation
import Inngest
import InngestDashboard
import InngestEngine
import MCP

/// The MCP tools: what an assistant may see and do, each answered with the run-control
/// API's JSON (as text). A tool's failure (an unknown run, bad arguments) is a tool result
/// marked as an error that says why, so the assistant can correct itself.
struct MCPTools: Sendable {
    let engine: Engine
    let manifests: [String: JSONValue]

    static let definitions: [Tool] = [
        Tool(
            name: "list_functions", description: "Lists the functions this engine runs: id, app, triggers and options.",
            inputSchema: ["type": "object", "properties": [:]]),
        Tool(
            name: "send_event", description: "Sends an event; returns its id. Functions it triggers start runs.",
            inputSchema: [
                "type": "object", "required": ["name"],
                "properties": ["name": ["type": "string", "description": "The event name, e.g. app/user.created"], "data": ["type": "object"]],
            ]),
        Tool(
            name: "invoke_function", description: "Starts a run of a function by id with data; returns the run id.",
            inputSchema: [
                "type": "object", "required": ["function_id"],
                "properties": ["function_id": ["type": "string", "description": "The function's id, <app>-<function>"], "data": ["type": "object"]],
            ]),
        Tool(
            name: "list_runs", description: "Lists runs, newest first, optionally by status and function; returns a cursor for the next page.",
            inputSchema: [
                "type": "object",
                "properties": [
                    "status": ["type": "string", "enum": .array(RunStatus.allCases.map { .string($0.rawValue) })],
                    "function_id": ["type": "string"], "cursor": ["type": "string"],
                    "limit": ["type": "integer", "minimum": 1, "maximum": .int(Page<RunSummary>.maxSize)],
                ],
            ]),
        Tool(
            name: "get_run", description: "A run with its events, its steps (each with output or error, attempts, what it waits for) and its output.",
            inputSchema: ["type": "object", "required": ["run_id"], "properties": ["run_id": ["type": "string"]]]),
        Tool(
            name: "cancel_run", description: "Cancels a run: it stops at its next step.",
            inputSchema: ["type": "object", "required": ["run_id"], "properties": ["run_id": ["type": "string"]]]),
        Tool(
            name: "rerun", description: "Starts a new run of a run's function with the same events, from the start or from a step (earlier steps are reused).",
            inputSchema: [
                "type": "object", "required": ["run_id"],
                "properties": ["run_id": ["type": "string"], "from_step": ["type": "string", "description": "A step id (as get_run names it)"]],
            ]),
    ]

    func register(on server: Server) async {
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: Self.definitions) }
        await server.withMethodHandler(CallTool.self) { [self] parameters in
            do {
                let answer = try await call(parameters.name, arguments: try Self.json(parameters.arguments ?? [:]))
                return CallTool.Result(content: [.text(text: try JSONText.write(answer), annotations: nil, _meta: nil)], isError: false)
            } catch {
                let message = (error as? APIError)?.message ?? "\(error)"
                return CallTool.Result(content: [.text(text: message, annotations: nil, _meta: nil)], isError: true)
            }
        }
    }

    private func call(_ name: String, arguments: JSONValue) async throws -> JSONValue {
        func string(_ field: String, required: Bool = false) throws -> String? {
            guard let value = arguments[field], !value.isNull else {
                if required { throw APIError(400, "\"\(field)\" is required") }
                return nil
            }
            guard let text = value.stringValue else { throw APIError(400, "\"\(field)\" must be a string") }
            return text
        }
        func data() throws -> JSONValue {
            guard let value = arguments["data"], !value.isNull else { return [:] }
            guard value.objectValue != nil else { throw APIError(400, "\"data\" must be an object") }
            return value
        }
        switch name {
        case "list_functions":
            return .array(engine.functionListings.map { RunJSON.function($0, manifest: manifests[$0.compositeID]) })
        case "send_event":
            let ids = try await engine.send([AnyEvent(name: try string("name", required: true) ?? "", data: try data())])
            return ["ids": .array(ids.map(JSONValue.string))]
        case "invoke_function":
            let runID = try await engine.invoke(try string("function_id", required: true) ?? "", data: try data())
            return ["run_id": .string(runID)]
        case "list_runs":
            var filter = RunFilter()
            if let status = try string("status") {
                guard let parsed = RunStatus(rawValue: status) else { throw APIError(400, "\"status\" must be one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))") }
                filter.statuses = [parsed]
            }
            if let function = try string("function_id") {
                guard let key = engine.functionKey(for: function) else { throw EngineError.unknownFunction(function) }
                filter.functionIDs = [key]
            }
            let limit = arguments["limit"]?.integerValue.map { Int(clamping: $0) } ?? 20
            guard (1...Page<RunSummary>.maxSize).contains(limit) else { throw APIError(400, "\"limit\" must be from 1 to \(Page<RunSummary>.maxSize)") }
            let page = try await engine.runs(matching: filter, after: try string("cursor"), limit: limit)
            return ["runs": .array(page.items.map { RunJSON.run($0, engine: engine) }), "next_cursor": page.nextCursor.map(JSONValue.string) ?? .null]
        case "get_run":
            let runID = try string("run_id", required: true) ?? ""
            guard let detail = try await engine.run(id: runID) else { throw EngineError.unknownRun(runID) }
            return RunJSON.detail(detail, engine: engine)
        case "cancel_run":
            let runID = try string("run_id", required: true) ?? ""
            try await engine.cancelRun(id: runID)
            return ["run_id": .string(runID), "cancelled": true]
        case "rerun":
            let runID = try string("run_id", required: true) ?? ""
            let newRunID = try await engine.rerun(runID, fromStep: try string("from_step"))
            return ["run_id": .string(newRunID), "rerun_of": .string(runID)]
        default:
            throw APIError(404, "no tool named \(name); the tools are \(Self.definitions.map(\.name).joined(separator: ", "))")
        }
    }

    /// MCP's values as the project's JSON (both are plain JSON on the wire).
    private static func json(_ arguments: [String: Value]) throws -> JSONValue {
        try JSONText.read(Array(try JSONEncoder().encode(arguments)))
    }
}
