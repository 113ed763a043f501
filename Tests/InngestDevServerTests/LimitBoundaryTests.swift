import Foundation
import HTTPTypes
import Inngest
import InngestDevServer
import InngestEngine
import InngestTesting
import Testing

/// Each limit input can reach, at the limit (accepted) and one past it (refused with a
/// message naming the limit, and nothing of the refused input kept). Nesting depth is
/// checked the same way in `HostileInputTests.deepEventsAreRefusedNamingTheLimitAndNeverGetA5xx`.
@Suite(.tags(.hostileInput)) struct LimitBoundaryTests {
    private static let echo = InngestFunction(.init(id: "echo", trigger: .event("app/echo"))) { (ctx: Context<JSONValue>) -> JSONValue in
        try await ctx.step.run("copy") { ctx.event.data }
    }

    private func post(_ server: DevServer, _ path: String, _ body: [UInt8]) async -> HTTPResponseMessage {
        await server.handle(HTTPRequestMessage(method: .post, url: DevHarness.devOrigin + path, body: body))
    }

    @Test func aRequestBodyOfExactlyTheLimitIsReadAndOneByteMoreGets413() async throws {
        let dev = try await DevHarness()
        let limit = 1_000
        let server = DevServer(engine: dev.engine, configuration: .init(maxBodyBytes: limit), transport: dev.network)
        let prefix = #"{"name":"app/echo","data":{"pad":""#
        let suffix = #""}}"#
        let padding = limit - prefix.utf8.count - suffix.utf8.count
        let atLimit = Array((prefix + String(repeating: "x", count: padding) + suffix).utf8)
        #expect(atLimit.count == limit)
        let accepted = await post(server, "/e/key", atLimit)
        #expect(accepted.status == 200, "\(accepted.bodyText)")
        let past = Array((prefix + String(repeating: "x", count: padding + 1) + suffix).utf8)
        let refused = await post(server, "/e/key", past)
        #expect(refused.status == 413)
        #expect(refused.json?["error"]?.stringValue?.contains("\(limit) bytes") == true, "\(refused.bodyText)")
        #expect(try await dev.engine.events(named: "app/echo").count == 1)
    }

    @Test func anEventOfExactlyTheLimitOnceStoredIsAcceptedAndOneByteMoreIsNot() async throws {
        let dev = try await DevHarness()
        let limit = InngestLimits.maxEventBytes
        // What the engine adds (id, ts, user) is measured from its own refusal of a padded event.
        func event(padding: Int) -> AnyEvent {
            AnyEvent(name: "app/echo", data: ["pad": .string(String(repeating: "x", count: padding))], ts: 1_796_000_000_000)
        }
        var overhead = 0
        do {
            _ = try await dev.engine.send([event(padding: limit)])
            Issue.record("an event with \(limit) bytes of padding was accepted")
        } catch let error as InvalidEvent {
            guard case .tooLarge(let bytes, let reported) = error.problem else { throw error }
            #expect(reported == limit)
            overhead = bytes - limit
        }
        #expect(overhead > 0)
        let ids = try await dev.engine.send([event(padding: limit - overhead)])
        #expect(ids.count == 1)
        await #expect(throws: InvalidEvent(index: 0, problem: .tooLarge(bytes: limit + 1, limit: limit))) {
            try await dev.engine.send([event(padding: limit - overhead + 1)])
        }
        #expect(try await dev.engine.events(named: "app/echo").count == 1)
    }

    @Test func exactlyTheMostEventsInOneSendAreAcceptedAndOneMoreRefusesThemAll() async throws {
        let dev = try await DevHarness()
        let limit = InngestLimits.maxEventsPerSend
        func body(_ count: Int) -> [UInt8] {
            Array(("[" + Array(repeating: #"{"name":"app/echo"}"#, count: count).joined(separator: ",") + "]").utf8)
        }
        let accepted = await post(dev.server, "/e/key", body(limit))
        #expect(accepted.status == 200)
        #expect(accepted.json?["ids"]?.arrayValue?.count == limit)
        let refused = await post(dev.server, "/e/key", body(limit + 1))
        #expect(refused.status.code == 400 || refused.status.code == 413, "\(refused.status)")
        #expect(refused.json?["error"]?.stringValue?.contains("\(limit)") == true, "\(refused.bodyText.prefix(300))")
        #expect(try await dev.engine.events(named: "app/echo", limit: limit + 10).count == limit, "the refused send stored none of its events")
    }

    @Test func aStepOutputOfExactlyTheLimitIsRecordedAndOneByteMoreFailsTheStep() async throws {
        let limit = InngestLimits.maxStepOutputBytes
        // A string of n characters is n + 2 bytes of JSON.
        let sized = InngestFunction(.init(id: "sized", trigger: .event("app/sized"), retries: 0)) { (ctx: Context<JSONValue>) -> Int in
            let length = Int(ctx.event.data["length"]?.integerValue ?? 0)
            let text = try await ctx.step.run("text") { String(repeating: "x", count: length) }
            return text.count
        }
        let environment = try await TestEnvironment(functions: [sized])
        let atLimit = try await environment.execute(sized, event: AnyEvent(name: "app/sized", data: ["length": .integer(Int64(limit - 2))]))
        #expect(try atLimit.expectCompleted(as: Int.self) == limit - 2)
        let past = try await environment.execute(sized, event: AnyEvent(name: "app/sized", data: ["length": .integer(Int64(limit - 1))]))
        let error = try past.expectFailed()
        #expect(error.message.contains("over the limit of \(limit) bytes"), "\(error.message)")
    }

    @Test func exactlyTheMostStepsInARunRunAndOneMoreFailsTheRun() async throws {
        let limit = InngestLimits.maxStepsPerRun
        let counted = InngestFunction(.init(id: "counted", trigger: .event("app/counted"), retries: 0)) { (ctx: Context<JSONValue>) -> Int in
            let steps = Int(ctx.event.data["steps"]?.integerValue ?? 0)
            var total = 0
            for _ in 0..<steps { total += try await ctx.step.run("add") { 1 } }
            return total
        }
        let environment = try await TestEnvironment(functions: [counted])
        let atLimit = try await environment.execute(counted, event: AnyEvent(name: "app/counted", data: ["steps": .integer(Int64(limit))]))
        #expect(try atLimit.expectCompleted(as: Int.self) == limit)
        let past = try await environment.execute(counted, event: AnyEvent(name: "app/counted", data: ["steps": .integer(Int64(limit + 1))]))
        let error = try past.expectFailed()
        #expect(error.message.contains("limit of \(limit) steps"), "\(error.message)")
    }
}
