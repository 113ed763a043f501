import Foundation
import HTTPTypes
import Inngest
import Testing

@testable import InngestEngine

/// Reading what apps answer, as leniently as the Inngest server reads it.
@Suite struct RemoteOpTests {
    private let now = Date(timeIntervalSince1970: 1_767_225_600)
    private let sdk: HTTPFields = [.inngestSDK: "inngest-py:v0.5.19"]

    private func op(_ json: JSONValue) throws(RemoteOp.Invalid) -> RemoteOp { try RemoteOp(json: json, retryAt: nil, now: now) }

    @Test func opNamesMatchCaseInsensitivelyAndUserlandNamesTheStep() throws {
        let ran = try op(["id": "h1", "op": "steprun", "data": ["x": 1], "userland": ["id": "charge", "index": 2]])
        #expect(ran.identity.hashedID == "h1")
        #expect(ran.identity.userID == "charge")
        #expect(ran.identity.index == 2)
        guard case .ran(.success(let value)) = ran.action else {
            Issue.record("not a success")
            return
        }
        #expect(value == ["x": 1])
        let planned = try op(["id": "h2", "op": "StepPlanned", "displayName": "send", "opts": ["type": "step.sendEvent"]])
        #expect(planned.kind == .sendEvent)
        #expect(planned.identity.userID == "send")
    }

    @Test func sleepsReadTheDurationFromOptsOrNameAndDatesAsDates() throws {
        guard case .sleep(.duration(let go)) = try op(["id": "a", "op": "Sleep", "opts": ["duration": "1h30m"]]).action else {
            Issue.record("go")
            return
        }
        #expect(try go.duration() == .seconds(5_400))
        guard case .sleep(.duration(let ts)) = try op(["id": "b", "op": "Sleep", "name": "30s"]).action else {
            Issue.record("ts")
            return
        }
        #expect(try ts.duration() == .seconds(30))
        guard case .sleep(.date(let date)) = try op(["id": "c", "op": "Sleep", "name": "2026-01-01T00:00:05.000Z"]).action else {
            Issue.record("py")
            return
        }
        #expect(date == now.addingTimeInterval(5))
        #expect(throws: RemoteOp.Invalid.self) { try op(["id": "d", "op": "Sleep", "name": "400d"]) }
        #expect(throws: RemoteOp.Invalid.self) { try op(["id": "e", "op": "Sleep", "name": "soon"]) }
    }

    @Test func waitsReadEventTimeoutAndConditionAndRefuseWhatTheEngineCannotEvaluate() throws {
        let wait = try op([
            "id": "w", "op": "WaitForEvent", "name": "app/post.created",
            "opts": ["if": "event.data.user.id == async.data.user.id", "timeout": "2026-01-01T00:01:00Z"],
        ])
        guard case .waitForEvent(let request) = wait.action else {
            Issue.record("wait")
            return
        }
        #expect(request.event == "app/post.created")
        #expect(try request.timeout.duration() == .seconds(60))
        #expect(request.condition == "event.data.user.id == async.data.user.id")
        #expect(throws: RemoteOp.Invalid.self) { try op(["id": "w", "op": "WaitForEvent", "name": "x", "opts": ["if": "event.data.(", "timeout": "1h"]]) }
    }

    @Test func invokesCarryTheTargetAndPayload() throws {
        let invoke = try op(["id": "i", "op": "InvokeFunction", "opts": ["function_id": "swift-app-compute-cube", "payload": ["data": ["number": 3]], "timeout": "1h"]])
        guard case .invoke(let request) = invoke.action else {
            Issue.record("invoke")
            return
        }
        #expect(request.functionID == "swift-app-compute-cube")
        #expect(request.payload == ["data": ["number": 3]])
        #expect(throws: RemoteOp.Invalid.self) { try op(["id": "i", "op": "InvokeFunction", "opts": [:]]) }
    }

    @Test func errorsNeedAnErrorObjectAndUnknownOpsAreNamed() throws {
        guard case .ran(.failure(let error, .nonRetriable)) = try op(["id": "f", "op": "StepFailed", "error": ["name": "E", "message": "m"]]).action else {
            Issue.record("failed")
            return
        }
        #expect(error.message == "m")
        #expect(throws: RemoteOp.Invalid.self) { try op(["id": "f", "op": "StepError"]) }
        do {
            _ = try op(["id": "g", "op": "AIGateway"])
            Issue.record("accepted an AIGateway op")
        } catch {
            #expect(error.description.contains("AIGateway"))
        }
    }

    @Test func answersAreReadByStatusWithStreamingAndRetryHeaders() {
        guard case .completed(let value) = AppCaller.answer(status: 200, headers: sdk, body: Array(#"{"result":16}"#.utf8)) else {
            Issue.record("200")
            return
        }
        #expect(value == ["result": 16])
        guard case .completed(.null) = AppCaller.answer(status: 200, headers: sdk, body: []) else {
            Issue.record("empty 200")
            return
        }
        guard case .ops(let one) = AppCaller.answer(status: 206, headers: sdk, body: Array(#"{"id":"h","op":"StepRun","data":1}"#.utf8)),
            one.count == 1
        else {
            Issue.record("single op object")
            return
        }
        // Streaming: keep-alive spaces, then the envelope whose body is JSON text.
        let streamed = Array(#"   {"status":206,"body":"[{\"id\":\"h\",\"op\":\"StepRun\",\"data\":2}]","headers":{}}"#.utf8)
        guard case .ops(let ops) = AppCaller.answer(status: 201, headers: sdk, body: streamed) else {
            Issue.record("streamed")
            return
        }
        #expect(ops.first?["data"] == 2)
        guard
            case .failed(let error, .nonRetriable) = AppCaller.answer(
                status: 500, headers: [.inngestSDK: "x:v1", .inngestNoRetry: "true"], body: Array(#"{"name":"NonRetriableError","message":"no"}"#.utf8))
        else {
            Issue.record("500 no-retry")
            return
        }
        #expect(error.name == "NonRetriableError")
        guard
            case .failed(_, .retriable(.delay(let delay))) = AppCaller.answer(
                status: 500, headers: [.inngestSDK: "x:v1", .retryAfter: "30"], body: [])
        else {
            Issue.record("retry-after")
            return
        }
        #expect(delay == .seconds(30))
        // Without X-Inngest-SDK the answer did not come from an SDK (a proxy, a crashed app).
        guard case .failed(let notSDK, .retriable) = AppCaller.answer(status: 200, headers: [:], body: Array("ok".utf8)) else {
            Issue.record("no sdk")
            return
        }
        #expect(notSDK.name == "NotAnSDKResponse")
        guard case .failed(let bad, _) = AppCaller.answer(status: 206, headers: sdk, body: Array("{oops".utf8)) else {
            Issue.record("bad json")
            return
        }
        #expect(bad.message.contains("not JSON"))
    }

    @Test func largeMemosAreSentTrimmedWithUseAPI() throws {
        let caller = AppCaller(transport: NoTransport(), gate: AppCallGate(limit: 1), signingKey: SigningKey("signkey-test-abcd"), serverKind: "dev", now: { Date() })
        let big = String(repeating: "x", count: InngestLimits.maxCallBodyBytes)
        var call = AppCaller.Call(
            functionID: "a-f", url: "http://a.test/api/inngest?fnId=a-f&stepId=step", stepID: "h1", runID: "01RUN", events: [AnyEvent(name: "e")],
            steps: ["s": ["data": .string(big)]], stack: ["s"], attempt: 2, maxAttempts: 5, disableImmediateExecution: true)
        let trimmed = try caller.request(for: call)
        let body = try JSONText.read(trimmed.body)
        #expect(body["use_api"] == true)
        #expect(body["ctx"]?["use_api"] == true)
        #expect(body["steps"] == [:])
        #expect(body["events"] == [])
        #expect(body["event"]?["name"] == "e")
        #expect(trimmed.url == "http://a.test/api/inngest?fnId=a-f&stepId=h1")
        #expect(trimmed.headerFields[.inngestSignature]?.hasPrefix("t=") == true)
        call.steps = ["s": ["data": 1]]
        let whole = try JSONText.read(try caller.request(for: call).body)
        #expect(whole["use_api"] == false)
        #expect(whole["ctx"]?["attempt"] == 2)
        #expect(whole["ctx"]?["stack"]?["stack"] == ["s"])
        #expect(whole["ctx"]?["fn_id"] == nil)
    }
}

private struct NoTransport: HTTPTransport {
    func send(_ request: HTTPRequestMessage) async throws -> HTTPResponseMessage { throw URLError(.cannotConnectToHost) }
}
