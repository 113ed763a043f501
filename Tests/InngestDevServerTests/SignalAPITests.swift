import Foundation
import HTTPTypes
import Inngest
import InngestDevServer
import InngestEngine
import InngestTesting
import Testing

/// Signals across the wire: a served Swift function reports `WaitForSignal`, the dev server
/// parks the run, and `POST /v1/signals` (or a served app's `step.sendSignal`, through its
/// `InngestClient`) resumes it, answering as the Inngest server answers.
@Suite struct SignalAPITests {
    static let approver = InngestFunction(.init(id: "approver", trigger: .event("app/request"))) { (ctx: Context<JSONValue>) -> String in
        let name = ctx.event.data["signal"]?.stringValue ?? "approval"
        guard let signal = try await ctx.step.waitForSignal("wait", signal: name, timeout: "1h") else { return "timed out" }
        return "\(signal.signal): \(signal.data["by"]?.stringValue ?? "?")"
    }

    private func signal(_ dev: DevHarness, _ body: String, headers: HTTPFields = [:]) async -> HTTPResponseMessage {
        await dev.server.handle(HTTPRequestMessage(method: .post, url: DevHarness.devOrigin + "/v1/signals", headerFields: headers, body: Array(body.utf8)))
    }

    @Test func theRouteResumesAServedFunctionWaitingForTheSignal() async throws {
        let dev = try await DevHarness()
        try await dev.serve("app", [Self.approver])
        let event = try await dev.send("app/request", ["signal": "order-7"])
        var detail = try await dev.run(startedBy: event)
        #expect(detail.run.status == .waiting)
        #expect(detail.steps.first?.kind == .waitForSignal)
        #expect(detail.steps.first?.detail?.signal == "order-7")

        let response = await signal(dev, #"{"signal":"order-7","data":{"by":"ana"}}"#)
        #expect(response.status == 200)
        #expect(response.json?["data"]?["run_id"]?.stringValue == detail.run.id)
        #expect(response.json?["metadata"]?["fetched_at"]?.stringValue != nil)
        detail = try await dev.run(startedBy: event)
        #expect(detail.run.output == "order-7: ana")
        // The app read the memo as Inngest sends it: `{"data": {"signal", "data"}}`.
        #expect(detail.steps.first?.output == ["signal": "order-7", "data": ["by": "ana"]])
    }

    @Test func aSignalNoRunWaitsForIsA404AndTheWaitTimesOutToNull() async throws {
        let dev = try await DevHarness()
        try await dev.serve("app", [Self.approver])
        let missed = await signal(dev, #"{"signal":"approval"}"#)
        #expect(missed.status == 404)
        #expect(missed.json?["error"]?.stringValue == "No signal found: no run waits for signal \"approval\"")
        let event = try await dev.send("app/request")
        #expect(try await dev.run(startedBy: event).run.status == .waiting)
        await dev.advance(by: .seconds(3_600))
        #expect(try await dev.run(startedBy: event).run.output == "timed out")
        #expect(await signal(dev, #"{"signal":"approval"}"#).status == 404)
    }

    @Test func aSecondServedWaitForTheSameSignalFailsItsRunWithoutRetries() async throws {
        let dev = try await DevHarness()
        try await dev.serve("app", [Self.approver])
        let first = try await dev.send("app/request")
        let second = try await dev.send("app/request")
        let holder = try await dev.run(startedBy: first)
        let failed = try await dev.run(startedBy: second)
        #expect(holder.run.status == .waiting)
        #expect(failed.run.status == .failed)
        #expect(failed.run.error?.message.hasPrefix("Signal conflict; signal wait already exists for another run") == true)
        #expect(await signal(dev, #"{"signal":"approval","data":{"by":"bo"}}"#).json?["data"]?["run_id"]?.stringValue == holder.run.id)
        #expect(try await dev.run(startedBy: first).run.output == "approval: bo")
    }

    @Test func aServedStepSendSignalPostsToTheDevServerAndResumesTheOtherRun() async throws {
        let sender = InngestFunction(.init(id: "sender", trigger: .event("app/approve"))) { (ctx: Context<JSONValue>) -> String? in
            try await ctx.step.sendSignal("approve", signal: "approval", data: ["by": "step"] as JSONValue)
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [Self.approver, sender])
        let waiting = try await dev.run(startedBy: try await dev.send("app/request"))
        let sent = try await dev.run(startedBy: try await dev.send("app/approve"))
        #expect(sent.run.output == .string(waiting.run.id))
        #expect(sent.steps.first?.kind == .sendSignal)
        await dev.engine.settle()
        #expect(try await dev.engine.run(id: waiting.run.id)?.run.output == "approval: step")
        // The SDK's client reads the 404 of a signal nobody waits for as "no run".
        let configuration = InngestConfiguration(appID: "other", environment: ["INNGEST_DEV": DevHarness.devOrigin])
        #expect(try await InngestClient(configuration: configuration, transport: dev.network).sendSignal("approval") == nil)
    }

    @Test func theRouteRequiresTheSigningKeyWhenTheServerHasOne() async throws {
        let key = SigningKey("signkey-test-12345678")
        let dev = try await DevHarness(signingKey: key)
        let refused = await signal(dev, #"{"signal":"approval"}"#)
        #expect(refused.status == 401)
        let accepted = await signal(dev, #"{"signal":"approval"}"#, headers: [.authorization: "Bearer \(key.bearerToken)"])
        #expect(accepted.status == 404)
    }
}
