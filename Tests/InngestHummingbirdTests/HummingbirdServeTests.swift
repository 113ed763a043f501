import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Inngest
import InngestHummingbird
import Testing

struct Greeting: Codable, Sendable { var name: String }

/// The adapter over real HTTP on loopback, called through the AsyncHTTPClient transport.
@Suite struct HummingbirdServeTests {
    static let hello = InngestFunction(.init(id: "hello", trigger: .event("app/hello"))) { (ctx: Context<Greeting>) -> String in
        try await ctx.step.run("greet") { "hi \(ctx.event.data.name)" }
    }

    static func application(maxBodyBytes: Int? = nil, configurationLimit: Int = InngestLimits.maxRequestBodyBytes) -> some ApplicationProtocol {
        var configuration = InngestConfiguration(appID: "swift-app", environment: ["INNGEST_DEV": "1"], framework: "hummingbird")
        configuration.maxRequestBodyBytes = configurationLimit
        let client = InngestClient(configuration: configuration, transport: AsyncHTTPClientTransport())
        let router = Router()
        router.addInngest(InngestServeHandler(client: client, functions: [hello]), maxBodyBytes: maxBodyBytes)
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func call(port: Int, body: String) async throws -> HTTPResponseMessage {
        try await AsyncHTTPClientTransport().send(
            HTTPRequestMessage(
                method: .post, url: "http://127.0.0.1:\(port)/api/inngest?fnId=swift-app-hello&stepId=step",
                headerFields: [.contentType: "application/json"], body: Array(body.utf8)))
    }

    static let callBody = #"""
        {"event":{"name":"app/hello","data":{"name":"Ada"},"id":"01HQ8Z5R3J6W2K9T4V7X1Y0EVT","ts":1700000000000,"user":{}},
         "events":[{"name":"app/hello","data":{"name":"Ada"},"id":"01HQ8Z5R3J6W2K9T4V7X1Y0EVT","ts":1700000000000,"user":{}}],
         "steps":{},"ctx":{"run_id":"01HQ8Z5R3J6W2K9T4V7X1Y0ABC","attempt":0,"max_attempts":4,"disable_immediate_execution":false,
         "use_api":false,"stack":{"stack":[],"current":0}},"version":-1}
        """#

    @Test func introspectionAndACallOverLoopback() async throws {
        try await Self.application().test(.live) { client in
            let port = try #require(client.port)
            let introspection = try await AsyncHTTPClientTransport().send(HTTPRequestMessage(method: .get, url: "http://127.0.0.1:\(port)/api/inngest"))
            #expect(introspection.status == 200)
            let inspected = try JSONText.read(introspection.body)
            #expect(inspected["mode"] == "dev")
            #expect(inspected["function_count"] == 1)

            let first = try await Self.call(port: port, body: Self.callBody)
            #expect(first.status == 206)
            #expect(first.headerFields[.inngestSDK] == "swift-inngest:v0.1.0")
            #expect(first.headerFields[.inngestRequestVersion] == "2")
            let ops = try JSONText.read(first.body)
            #expect(ops[0]?["op"] == "StepRun")
            #expect(ops[0]?["id"] == .string(StepIdentity.hash("greet")))
            #expect(ops[0]?["data"] == "hi Ada")

            let memoized = Self.callBody.replacingOccurrences(of: #""steps":{}"#, with: #""steps":{"\#(StepIdentity.hash("greet"))":{"data":"hi Ada"}}"#)
            let done = try await Self.call(port: port, body: memoized)
            #expect(done.status == 200)
            #expect(try JSONText.read(done.body) == "hi Ada")
        }
    }

    /// The limit is `maxBodyBytes` where given, else the serve configuration's.
    @Test(arguments: [(1_024, InngestLimits.maxRequestBodyBytes), (nil, 2_048)] as [(Int?, Int)])
    func oversizedBodiesAreRefusedWith413(maxBodyBytes: Int?, configurationLimit: Int) async throws {
        try await Self.application(maxBodyBytes: maxBodyBytes, configurationLimit: configurationLimit).test(.live) { client in
            let port = try #require(client.port)
            let response = try await Self.call(port: port, body: String(repeating: " ", count: 4_096) + Self.callBody)
            #expect(response.status == 413)
            #expect(response.json?["message"] == .string("request body exceeds the limit of \(maxBodyBytes ?? configurationLimit) bytes"))
            #expect(response.headerFields[.inngestSDK] == "swift-inngest:v0.1.0")
        }
    }

    @Test func malformedJSONIsA400NamingTheProblem() async throws {
        try await Self.application().test(.live) { client in
            let port = try #require(client.port)
            let response = try await Self.call(port: port, body: #"{"event": "#)
            #expect(response.status == 400)
            #expect(String(decoding: response.body, as: UTF8.self).lowercased().contains("json"))
        }
    }
}
