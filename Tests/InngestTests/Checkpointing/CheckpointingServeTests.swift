import Foundation
import HTTPTypes
import Testing

@testable import Inngest

/// The serve handler checkpoints when the call carries `ctx.fn_id` and `ctx.qi_id`: it posts
/// each step to `/v1/checkpoint/{runId}/async` in the TypeScript SDK's shape and answers
/// `RunComplete` in a `206`. Without them (or with checkpointing off) it answers one step per call.
@Suite struct CheckpointingServeTests {
    static let fnUUID = "6f1c2b7e-8d0a-5c3e-9b4f-2a1d0e9c8b7a"

    static func checkpointedCall(_ body: JSONValue, queueItemID: String = "qi-1") -> JSONValue {
        guard case .object(var root) = body, case .object(var ctx)? = root["ctx"] else { return body }
        ctx["fn_id"] = .string(fnUUID)
        ctx["qi_id"] = .string(queueItemID)
        root["ctx"] = .object(ctx)
        return .object(root)
    }

    static func cloudConfiguration() -> InngestConfiguration {
        ServeFixture.cloudConfiguration()
    }

    @Test func stepsArePostedToTheCheckpointAPIAsTheTypeScriptSDKSendsThem() async throws {
        let counter = Counter()
        let transport = RecordingTransport { _ in HTTPResponseMessage(status: 200, body: Array("{}".utf8)) }
        let handler = ServeFixture.handler(functions: [Fixture.sequence(counter)], transport: transport)
        let body = Self.checkpointedCall(ServeFixture.callBody(ServeFixture.event("app/user.created")))
        let response = await handler.handle(
            ServeFixture.post("\(Fixture.appID)-seq", body: body, headers: [.requestID: "req-7", .inngestGenerationID: "3"]))
        #expect(response.status.code == 206)
        #expect(response.ops == [["id": "0737c22d3bfae812339732d14d8c7dbd6dc4e09c", "op": "RunComplete", "data": "done"]])
        #expect(counter["fetch-user"] == 1 && counter["send-email"] == 1)

        let posts = transport.requests
        #expect(posts.count == 2)
        for post in posts {
            #expect(post.method == .post)
            #expect(post.url == "http://localhost:8288/v1/checkpoint/\(ServeFixture.runID)/async")
        }
        let first = try JSONText.read(posts[0].body).objectValue ?? [:]
        #expect(Set(first.keys) == ["run_id", "fn_id", "qi_id", "request_id", "generation_id", "request_started_at", "steps", "ts"])
        #expect(first["run_id"] == .string(ServeFixture.runID))
        #expect(first["fn_id"] == .string(Self.fnUUID))
        #expect(first["qi_id"] == "qi-1")
        #expect(first["request_id"] == "req-7")
        #expect(first["generation_id"] == 3)
        #expect((first["request_started_at"]?.integerValue ?? 0) > 1_700_000_000_000)
        #expect(first["steps"] == [["id": .string(Hash.fetchUser), "op": "StepRun", "name": "fetch-user", "displayName": "fetch-user", "data": ["id": "u_1"], "userland": ["id": "fetch-user"]]])
        let second = try JSONText.read(posts[1].body).objectValue ?? [:]
        #expect(second["steps"]?.arrayValue?.first?.objectValue?["id"] == .string(Hash.sendEmail))
    }

    @Test func inCloudModeTheCheckpointCarriesTheHashedSigningKey() async throws {
        let transport = RecordingTransport { _ in HTTPResponseMessage(status: 200, body: Array("{}".utf8)) }
        let handler = ServeFixture.handler(Self.cloudConfiguration(), functions: [Fixture.copy(Counter())], transport: transport)
        let body = Self.checkpointedCall(ServeFixture.callBody(ServeFixture.event("app/images.uploaded")))
        let bytes = Array(try JSONText.write(body).utf8)
        let signature = RequestSignature.header(body: bytes, timestamp: 1_700_000_000, key: SigningKey(Keys.primary))
        let response = await handler.handle(ServeFixture.post("\(Fixture.appID)-copy", bytes: bytes, headers: [.inngestSignature: signature]))
        #expect(response.status.code == 206)
        #expect(transport.requests.first?.url == "https://api.inngest.com/v1/checkpoint/\(ServeFixture.runID)/async")
        #expect(transport.requests.first?.headerFields[.authorization] == "Bearer \(Keys.primaryBearer)")
    }

    @Test func aStaleDispatchAnswerStopsTheCall() async throws {
        let counter = Counter()
        let transport = RecordingTransport { _ in HTTPResponseMessage(status: 409, body: Array(#"{"error":"stale"}"#.utf8)) }
        let handler = ServeFixture.handler(functions: [Fixture.sequence(counter)], transport: transport)
        let body = Self.checkpointedCall(ServeFixture.callBody(ServeFixture.event("app/user.created")))
        let response = await handler.handle(ServeFixture.post("\(Fixture.appID)-seq", body: body))
        #expect(response.status.code == 400)
        #expect(response.headerFields[.inngestNoRetry] == "true")
        #expect(counter["send-email"] == 0)
        #expect(transport.requests.count == 1)
    }

    @Test func aRefusedCheckpointSendsTheStepInTheAnswerInstead() async throws {
        let counter = Counter()
        let transport = RecordingTransport { _ in HTTPResponseMessage(status: 400, body: Array(#"{"error":"no"}"#.utf8)) }
        let handler = ServeFixture.handler(functions: [Fixture.sequence(counter)], transport: transport)
        let body = Self.checkpointedCall(ServeFixture.callBody(ServeFixture.event("app/user.created")))
        let response = await handler.handle(ServeFixture.post("\(Fixture.appID)-seq", body: body))
        #expect(response.status.code == 206)
        #expect(response.ops.map { $0.objectValue?["op"] } == ["StepRun"])
        #expect(response.firstOp["id"] == .string(Hash.fetchUser))
        // A 400 is not tried again; the next step waits for the next call.
        #expect(transport.requests.count == 1)
        #expect(counter["send-email"] == 0)
    }

    @Test func withoutTheServersOfferOrWithCheckpointingOffOneStepPerCall() async throws {
        let transport = RecordingTransport()
        let plain = ServeFixture.handler(functions: [Fixture.sequence(Counter())], transport: transport)
        let withoutOffer = await plain.handle(ServeFixture.post("\(Fixture.appID)-seq", body: ServeFixture.callBody(ServeFixture.event("app/user.created"))))
        #expect(withoutOffer.ops.map { $0.objectValue?["op"] } == ["StepRun"])

        var configuration = ServeFixture.devConfiguration()
        configuration.checkpointing = .disabled
        let off = ServeFixture.handler(configuration, functions: [Fixture.sequence(Counter())], transport: transport)
        let body = Self.checkpointedCall(ServeFixture.callBody(ServeFixture.event("app/user.created")))
        let offered = await off.handle(ServeFixture.post("\(Fixture.appID)-seq", body: body))
        #expect(offered.ops.map { $0.objectValue?["op"] } == ["StepRun"])
        #expect(transport.requests.isEmpty)
    }
}
