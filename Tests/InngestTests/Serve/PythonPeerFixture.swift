import Foundation
import HTTPTypes
import Testing

@testable import Inngest

/// The functions of an app on the official Python SDK (app `my-python-app`, whose recorded
/// requests are in `Captures/`) written in Swift, to replay those requests against.
enum PythonPeer {
    static let appID = "my-python-app"
    /// The test key the cloud-mode captures were signed with.
    static let signingKey = "signkey-test-7c5d2c1e4b6a8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718"
    /// When the cloud captures were recorded (their signatures' `t`).
    static let captureTime: Double = 1_795_304_929

    static let computeSquare = InngestFunction(.init(id: "compute-square", trigger: .event("calculate/square"))) { (ctx: Context<JSONValue>) -> JSONValue in
        let n = ctx.event.data.objectValue?["number"]?.integerValue ?? 0
        return ["result": .integer(n * n)]
    }

    static let multiStep = InngestFunction(.init(id: "multi-step", trigger: .event("test/multi-step"))) { (ctx: Context<JSONValue>) -> JSONValue in
        let input = ctx.event.data.objectValue?["value"] ?? .null
        let one = try await ctx.step.run("first-step") { () -> JSONValue in ["step": 1, "input": input] }
        try await ctx.step.sleep("pause", "1s")
        let two = try await ctx.step.run("second-step") { () -> JSONValue in ["step": 2] }
        return [one, two]
    }

    static let parallelSteps = InngestFunction(.init(id: "parallel-steps", trigger: .event("test/parallel-steps"))) { (ctx: Context<JSONValue>) -> [String] in
        async let a = ctx.step.run("parallel-a") { "a-done" }
        async let b = ctx.step.run("parallel-b") { "b-done" }
        return try await [a, b]
    }

    static let waitForPost = InngestFunction(.init(id: "wait-for-post", trigger: .event("test/wait-for-post"))) { (ctx: Context<JSONValue>) -> JSONValue in
        let post = try await ctx.step.waitForEvent("wait-for-post", event: "app/post.created", timeout: "5s", if: "event.data.user.id == async.data.user.id")
        return ["timedOut": .bool(post == nil), "post": post?.data ?? .null]
    }

    static let alwaysFails = InngestFunction(.init(id: "always-fails", trigger: .event("test/always-fails"), retries: 0)) { (_: Context<JSONValue>) in
        throw NonRetriableError("this function always fails")
    }

    static let flakyStep = InngestFunction(.init(id: "flaky-step", trigger: .event("test/flaky-step"), retries: 1)) { (ctx: Context<JSONValue>) -> JSONValue in
        let failures = ctx.event.data.objectValue?["failures"]?.integerValue ?? 1
        let attempt = ctx.attempt
        return try await ctx.step.run("flaky") { () -> JSONValue in
            if Int64(attempt) < failures { throw Boom(message: "step failed on attempt \(attempt)") }
            return ["attempt": .integer(Int64(attempt))]
        }
    }

    static let cube = FunctionReference<JSONValue, JSONValue>(app: "swift-app", id: "compute-cube")

    static let invoker = InngestFunction(.init(id: "invoker", trigger: .event("test/invoker"))) { (ctx: Context<JSONValue>) -> JSONValue in
        let result = try await ctx.step.invoke("invoke-cube", function: cube, data: ["number": 3])
        return ["invoked": result]
    }

    static let sendEvent = InngestFunction(.init(id: "send-event", trigger: .event("test/send-event"))) { (ctx: Context<JSONValue>) -> JSONValue in
        let ids = try await ctx.step.sendEvent("send-followup", AnyEvent(name: "calculate/square", data: ["number": 7, "source": "my-python-app"]))
        return ["sent": .array(ids.map(JSONValue.string))]
    }

    static let all = [computeSquare, multiStep, parallelSteps, waitForPost, alwaysFails, flakyStep, invoker, sendEvent]
}

/// One recorded request/response pair of the Python SDK.
struct Capture {
    let name: String
    let root: [String: JSONValue]

    init(_ name: String) throws {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Captures"))
        root = try #require(try JSONText.read(Data(contentsOf: url)).objectValue)
        self.name = name
    }

    var request: [String: JSONValue] { root["request"]?.objectValue ?? [:] }
    var response: [String: JSONValue] { root["response"]?.objectValue ?? [:] }
    var status: Int { Int(response["status"]?.integerValue ?? 0) }
    var responseBody: JSONValue { response["body"] ?? .null }
    func responseHeader(_ name: String) -> String? { response["headers"]?.objectValue?[name.lowercased()]?.stringValue }
    var outbound: [[String: JSONValue]] { root["outbound_to_server"]?.arrayValue?.compactMap(\.objectValue) ?? [] }
    /// The `9x-cloud-*` captures were recorded with the peer in cloud mode (`05`/`06` only
    /// claim to come from a cloud server).
    var isCloud: Bool { name.hasPrefix("9") }

    /// The serve handler configured like the peer was when this was recorded.
    func handler(transport: RecordingTransport) -> InngestServeHandler {
        var environment = ["INNGEST_BASE_URL": "http://127.0.0.1:18288"]
        if isCloud {
            environment["INNGEST_DEV"] = "0"
            environment["INNGEST_SIGNING_KEY"] = PythonPeer.signingKey
            environment["INNGEST_EVENT_KEY"] = "test-event-key"
        } else {
            environment["INNGEST_DEV"] = "1"
        }
        let configuration = InngestConfiguration(appID: PythonPeer.appID, environment: environment)
        let clock = TestClock(PythonPeer.captureTime)
        let client = InngestClient(configuration: configuration, transport: transport, now: { clock.now })
        return InngestServeHandler(client: client, functions: PythonPeer.all)
    }

    /// A transport answering the outbound requests with what the fake server answered then.
    func transport() -> RecordingTransport {
        let replies = outbound.map { call -> HTTPResponseMessage in
            let response = call["response"]?.objectValue ?? [:]
            let body = response["body"].map { (try? JSONText.write($0)) ?? "" } ?? ""
            return HTTPResponseMessage(status: .init(code: Int(response["status"]?.integerValue ?? 200)), body: Array(body.utf8))
        }
        return replies.isEmpty ? RecordingTransport() : RecordingTransport(responses: replies)
    }

    var serveRequest: HTTPRequestMessage {
        var headers = HTTPFields()
        for (name, value) in request["headers"]?.objectValue ?? [:] {
            if let name = HTTPField.Name(name) { headers[name] = value.stringValue }
        }
        let query = (request["query"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value.stringValue) }
        let body: [UInt8] = request["body"].flatMap { $0.isNull ? nil : Array((try? JSONText.write($0))?.utf8 ?? "".utf8) } ?? []
        var url = URLComponents(string: isCloud ? "http://127.0.0.1:3940" : "http://127.0.0.1:3939")
        url?.path = request["path"]?.stringValue ?? "/api/inngest"
        if !query.isEmpty { url?.queryItems = query }
        return HTTPRequestMessage(
            method: request["method"]?.stringValue.flatMap { HTTPRequest.Method($0) } ?? .get, url: url?.string ?? "/api/inngest",
            headerFields: headers, body: body)
    }

    /// Replays the request; returns the handler's answer and what it sent out.
    func replay() async -> (HTTPResponseMessage, [HTTPRequestMessage]) {
        let transport = transport()
        let response = await handler(transport: transport).handle(serveRequest)
        return (response, transport.requests)
    }
}
