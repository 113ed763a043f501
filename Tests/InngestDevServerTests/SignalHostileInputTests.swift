import Foundation
import HTTPTypes
import Inngest
import InngestDevServer
import InngestEngine
import InngestTesting
import Testing

/// `POST /v1/signals` and `WaitForSignal` ops with malformed, oversized or out-of-range input:
/// a 4xx (or a failed run) naming the field and the limit, nothing resumed, the server unharmed.
@Suite(.tags(.hostileInput)) struct SignalHostileInputTests {
    private func post(_ dev: DevHarness, _ body: [UInt8]) async -> HTTPResponseMessage {
        await dev.server.handle(HTTPRequestMessage(method: .post, url: DevHarness.devOrigin + "/v1/signals", body: body))
    }

    static let bigData = #"{"signal":"s","data":""# + String(repeating: "x", count: InngestLimits.maxStepOutputBytes) + #""}"#
    static let deepData = #"{"signal":"s","data":"# + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}"
    static let longName = #"{"signal":""# + String(repeating: "n", count: InngestLimits.maxSignalNameBytes + 1) + #""}"#

    @Test(arguments: [
        ("", 400, "the body is empty"),
        ("{", 400, "not valid JSON"),
        (#"["signal"]"#, 400, "must be a JSON object"),
        (#"{"data":1}"#, 400, "signal: a string is required"),
        (#"{"signal":42}"#, 400, "signal: a string is required"),
        (#"{"signal":""}"#, 400, "signal: the signal name is empty"),
        (longName, 400, "signal: the name is 1025 bytes, over the limit of 1024 bytes"),
        (deepData, 400, "data: arrays and objects nest deeper than 256 levels"),
        (bigData, 413, "over the limit of 4194304 bytes"),
    ])
    func badSignalsAreRefusedNamingTheFieldAndResumeNothing(body: String, status: Int, mentions: String) async throws {
        let dev = try await DevHarness()
        try await dev.serve("app", [SignalAPITests.approver])
        let waiting = try await dev.send("app/request", ["signal": "s"])
        await dev.engine.settle()
        let response = await post(dev, Array(body.utf8))
        #expect(response.status.code == status)
        let error = try #require(response.json?["error"]?.stringValue)
        #expect(error.contains(mentions), "\(error)")
        #expect(response.json?["status"]?.integerValue == Int64(status))
        // Nothing was resumed, and the server still delivers a good signal.
        #expect(try await dev.run(startedBy: waiting).run.status == .waiting)
        #expect(await post(dev, Array(#"{"signal":"s","data":{"by":"ok"}}"#.utf8)).status == 200)
        #expect(try await dev.run(startedBy: waiting).run.output == "s: ok")
    }

    @Test func otherMethodsAreRefusedWithAllow() async throws {
        let dev = try await DevHarness()
        let response = await dev.server.handle(HTTPRequestMessage(method: .get, url: DevHarness.devOrigin + "/v1/signals"))
        #expect(response.status == .methodNotAllowed)
        #expect(response.headerFields[.allow] == "POST")
    }

    @Test(arguments: [
        (#"{"id":"h","op":"WaitForSignal","opts":{"timeout":"1h"}}"#, "names no signal"),
        (#"{"id":"h","op":"WaitForSignal","opts":{"signal":"s","timeout":"9999-12-31T00:00:00Z"}}"#, "longer than 366 days"),
        (#"{"id":"h","op":"WaitForSignal","opts":{"signal":"s","timeout":"99999999999999999999999w"}}"#, "longer than 366 days"),
        (#"{"id":"h","op":"WaitForSignal","opts":{"signal":"s","timeout":"soon"}}"#, "neither a time string"),
    ])
    func signalWaitsFromAnAppOutOfRangeFailTheRunNamingTheOp(op: String, mentions: String) async throws {
        let dev = try await DevHarness()
        let app = ScriptedApp(dev, "ops") { call in call.steps.isEmpty ? .ops(op) : .completed("finished") }
        try await app.register([["id": "ops-f", "triggers": [["event": "app/o"]], "steps": ["step": ["retries": ["attempts": 0]]]]])
        let run = try await dev.run(startedBy: try await dev.send("app/o"))
        #expect(run.run.status == .failed)
        #expect(run.run.error?.message.contains(mentions) == true, "\(run.run.error?.message ?? "no error")")
    }

    @Test func aSignalWaitWithoutATimeoutWaitsAYearAsOnTheInngestServer() async throws {
        let dev = try await DevHarness()
        let app = ScriptedApp(dev, "ops") { call in
            call.steps.isEmpty ? .ops(#"{"id":"h","op":"WaitForSignal","name":"by-name","opts":{"conflict":"replace"}}"#) : .completed(call.steps["h"] ?? "none")
        }
        try await app.register([["id": "ops-f", "triggers": [["event": "app/o"]]]])
        let event = try await dev.send("app/o")
        let waiting = try await dev.run(startedBy: event)
        let until = try #require(waiting.steps.first?.detail?.until)
        #expect(until.timeIntervalSince(dev.clock.now()) >= 365 * 86_400)
        #expect(waiting.steps.first?.detail?.signal == "by-name")
        #expect(await post(dev, Array(#"{"signal":"by-name","data":7}"#.utf8)).status == 200)
        #expect(try await dev.run(startedBy: event).run.output == ["data": ["signal": "by-name", "data": 7]])
    }
}
