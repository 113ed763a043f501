import Foundation
import HTTPTypes
import Inngest
import InngestDevServer
import InngestEngine
import Synchronization
import Testing

/// `inngest dev` offers checkpointing (`ctx.fn_id`, `ctx.qi_id`) and records what apps post
/// to `POST /v1/checkpoint/{runId}/async`; a Swift app served by the SDK's handler then runs
/// consecutive steps in one call.
@Suite struct CheckpointingTests {
    /// Counts step bodies that ran.
    final class Tally: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    static func steps(_ count: Int, bodies: Tally? = nil) -> InngestFunction {
        InngestFunction(.init(id: "many", trigger: .event("app/many"))) { (ctx: Context<JSONValue>) -> Int in
            var total = 0
            for index in 0..<count {
                total += try await ctx.step.run("step-\(index)") { () -> Int in
                    bodies?.add()
                    return index
                }
            }
            return total
        }
    }

    static func post(_ dev: DevHarness, _ path: String, _ body: String, headers: HTTPFields = [:]) async -> HTTPResponseMessage {
        var fields: HTTPFields = [.contentType: "application/json"]
        for field in headers { fields[field.name] = field.value }
        return await dev.server.handle(HTTPRequestMessage(method: .post, url: DevHarness.devOrigin + path, headerFields: fields, body: Array(body.utf8)))
    }

    /// The `ctx` of the calls the engine made to an app.
    static func callContexts(_ dev: DevHarness, app: String) -> [[String: JSONValue]] {
        dev.network.requests.filter { $0.url.hasPrefix("http://\(app).test") && $0.method == .post }.compactMap {
            (try? JSONText.read($0.body))?.objectValue?["ctx"]?.objectValue
        }
    }

    @Test func aTwentyStepFunctionRunsInOneCall() async throws {
        let bodies = Tally()
        let dev = try await DevHarness()
        try await dev.serve("app", [Self.steps(20, bodies: bodies)])
        let detail = try await dev.run(startedBy: try await dev.send("app/many"))
        #expect(detail.run.status == .completed)
        #expect(detail.run.output == 190)
        #expect(detail.steps.map(\.userID) == (0..<20).map { "step-\($0)" })
        #expect(detail.steps.allSatisfy { $0.status == .completed && $0.attempts == 1 })
        #expect(bodies.value == 20)
        #expect(dev.calls(to: "app") == ["step"])
        // The call offered checkpointing: the function's server id is a UUID, the queue item its own.
        let ctx = try #require(Self.callContexts(dev, app: "app").first)
        let fnID = try #require(ctx["fn_id"]?.stringValue)
        #expect(UUID(uuidString: fnID) != nil)
        #expect(ctx["qi_id"]?.stringValue?.isEmpty == false)
        let checkpoints = dev.network.requests.filter { $0.url.contains("/v1/checkpoint/") }
        #expect(checkpoints.count == 20)
    }

    @Test func withoutTheOfferEveryStepTakesACall() async throws {
        let dev = try await DevHarness(offersCheckpointing: false)
        try await dev.serve("app", [Self.steps(20)])
        let detail = try await dev.run(startedBy: try await dev.send("app/many"))
        #expect(detail.run.output == 190)
        #expect(dev.calls(to: "app").count == 21)
        #expect(Self.callContexts(dev, app: "app").allSatisfy { $0["fn_id"] == nil && $0["qi_id"] == nil })
    }

    @Test func aCheckpointedStepIsStoredBeforeTheNextStepRuns() async throws {
        let storedBeforeNext = Mutex<[String]?>(nil)
        let engineBox = Mutex<Engine?>(nil)
        let function = InngestFunction(.init(id: "durable", trigger: .event("app/durable"))) { (ctx: Context<JSONValue>) -> String in
            _ = try await ctx.step.run("first") { "one" }
            return try await ctx.step.run("second") { () -> String in
                // The call is still in flight: the engine already holds the first step.
                if let engine = engineBox.withLock({ $0 }), let detail = try await engine.run(id: ctx.runID) {
                    storedBeforeNext.withLock { $0 = detail.steps.filter { $0.status == .completed }.map(\.userID) }
                }
                return "two"
            }
        }
        let dev = try await DevHarness()
        engineBox.withLock { $0 = dev.engine }
        try await dev.serve("app", [function])
        let detail = try await dev.run(startedBy: try await dev.send("app/durable"))
        #expect(detail.run.output == "two")
        #expect(storedBeforeNext.withLock { $0 } == ["first"])
        #expect(dev.calls(to: "app") == ["step"])
    }

    @Test func sleepsParallelStepsAndRetriesStillWorkBetweenCheckpointedRuns() async throws {
        let failures = Mutex(0)
        let function = InngestFunction(.init(id: "mixed", trigger: .event("app/mixed"), retries: 2)) { (ctx: Context<JSONValue>) -> [String] in
            let a = try await ctx.step.run("a") { "a" }
            let b = try await ctx.step.run("b") { "b" }
            try await ctx.step.sleep("nap", "1h")
            async let c = ctx.step.run("c") { "c" }
            async let d = ctx.step.run("d") { "d" }
            let both = try await [c, d]
            let e = try await ctx.step.run("e") { () -> String in
                if failures.withLock({ value in
                    value += 1
                    return value
                }) == 1 {
                    throw StepFailure()
                }
                return "e"
            }
            let f = try await ctx.step.run("f") { "f" }
            return [a, b] + both + [e, f]
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [function])
        let event = try await dev.send("app/mixed")
        #expect(try await dev.run(startedBy: event).run.status == .waiting)
        // a and b in the first call, then the sleep.
        #expect(dev.calls(to: "app") == ["step"])
        await dev.advance(by: .seconds(3_600))
        // Parallel c and d are planned and run in targeted calls; e fails once (retried after the backoff).
        await dev.advance(by: .seconds(10))
        let detail = try await dev.run(startedBy: event)
        #expect(detail.run.status == .completed)
        #expect(detail.run.output == ["a", "b", "c", "d", "e", "f"])
        #expect(detail.steps.first { $0.userID == "e" }?.attempts == 2)
        #expect(failures.withLock { $0 } == 2)
    }

    @Test func withASigningKeyTheAppsCheckpointsCarryTheBearerToken() async throws {
        let key = SigningKey("signkey-test-0123456789abcdef")
        let dev = try await DevHarness(signingKey: key)
        try await dev.serve("app", [Self.steps(5)], environment: ["INNGEST_SIGNING_KEY": "signkey-test-0123456789abcdef"])
        let detail = try await dev.run(startedBy: try await dev.send("app/many"))
        #expect(detail.run.output == 10)
        #expect(dev.calls(to: "app") == ["step"])
        let unsigned = await Self.post(dev, "/v1/checkpoint/01X/async", #"{"fn_id":"f","qi_id":"q","steps":[]}"#)
        #expect(unsigned.status == 401)
    }

    @Test func aCheckpointForACallThatIsOverIsStale() async throws {
        let dev = try await DevHarness()
        try await dev.serve("app", [Self.steps(2)])
        let detail = try await dev.run(startedBy: try await dev.send("app/many"))
        let ctx = try #require(Self.callContexts(dev, app: "app").first)
        let fnID = ctx["fn_id"]?.stringValue ?? ""
        let qiID = ctx["qi_id"]?.stringValue ?? ""
        let late = #"{"run_id":"\#(detail.run.id)","fn_id":"\#(fnID)","qi_id":"\#(qiID)","steps":[{"id":"x","op":"StepRun","data":1}]}"#
        let response = await Self.post(dev, "/v1/checkpoint/\(detail.run.id)/async", late)
        #expect(response.status == 409)
        #expect(try await dev.engine.run(id: detail.run.id)?.steps.count == 2)
    }

    @Test func badCheckpointsAreRefusedNamingTheFieldAndNothingIsRecorded() async throws {
        let dev = try await DevHarness()
        let cases: [(body: String, status: Int, mentions: String)] = [
            ("", 400, "empty"),
            ("{not json", 400, "JSON"),
            ("[]", 400, "object"),
            (#"{"qi_id":"q","steps":[]}"#, 400, "fn_id"),
            (#"{"fn_id":"f","steps":[]}"#, 400, "qi_id"),
            (#"{"fn_id":"f","qi_id":"q","steps":{}}"#, 400, "steps"),
            (#"{"fn_id":"f","qi_id":"q","run_id":"other","steps":[]}"#, 400, "run_id"),
            (#"{"fn_id":"\#(String(repeating: "f", count: 129))","qi_id":"q","steps":[]}"#, 400, "128"),
            (#"{"fn_id":"f","qi_id":"q","steps":[\#(Array(repeating: "{}", count: 1_001).joined(separator: ","))]}"#, 400, "1000"),
            (#"{"fn_id":"f","qi_id":"q","steps":[]}"#, 409, "qi_id"),
        ]
        for (body, status, mentions) in cases {
            let response = await Self.post(dev, "/v1/checkpoint/01RUN/async", body)
            #expect(response.status.code == status, "\(body.prefix(60)): \(response.bodyText)")
            #expect(response.bodyText.contains(mentions), "\(body.prefix(60)): \(response.bodyText)")
        }
        #expect(await dev.server.handle(HTTPRequestMessage(method: .get, url: DevHarness.devOrigin + "/v1/checkpoint/01RUN/async")).status == 405)
    }

    @Test func anAsyncOpInACheckpointIsRefusedAndTheRunGoesOn() async throws {
        let refusal = Mutex<HTTPResponseMessage?>(nil)
        let devBox = Mutex<DevHarness?>(nil)
        let function = InngestFunction(.init(id: "sneaky", trigger: .event("app/sneaky"))) { (ctx: Context<JSONValue>) -> String in
            try await ctx.step.run("only") { () -> String in
                guard let dev = devBox.withLock({ $0 }), let call = Self.callContexts(dev, app: "app").last else { return "no call" }
                let fnID = call["fn_id"]?.stringValue ?? ""
                let qiID = call["qi_id"]?.stringValue ?? ""
                let body = #"{"fn_id":"\#(fnID)","qi_id":"\#(qiID)","steps":[{"id":"s","op":"Sleep","opts":{"duration":"1h"}}]}"#
                let response = await Self.post(dev, "/v1/checkpoint/\(ctx.runID)/async", body)
                refusal.withLock { $0 = response }
                return "done"
            }
        }
        let dev = try await DevHarness()
        devBox.withLock { $0 = dev }
        try await dev.serve("app", [function])
        let detail = try await dev.run(startedBy: try await dev.send("app/sneaky"))
        let response = try #require(refusal.withLock { $0 })
        #expect(response.status == 400)
        #expect(response.bodyText.contains("Sleep"))
        #expect(detail.run.status == .completed)
        #expect(detail.steps.map(\.userID) == ["only"])
    }
}

private struct StepFailure: Error {}
