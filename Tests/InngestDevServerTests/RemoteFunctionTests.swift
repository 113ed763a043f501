import Foundation
import HTTPTypes
import Inngest
import InngestEngine
import InngestTesting
import Synchronization
import Testing

struct Number: Codable, Sendable { var number: Int }
struct Result: Codable, Sendable, Equatable { var result: Int }

/// The engine drives apps over the wire protocol: every step kind, parallel steps, retries,
/// errors, invokes across apps and events sent from steps — each function a Swift function
/// served by the SDK's serve handler, so both ends of the protocol are exercised.
@Suite struct RemoteFunctionTests {
    /// Without checkpointing (the classic protocol); ``CheckpointingTests`` runs the same kinds with it.
    @Test func stepsAndSleepsRunToCompletionOneCallPerStep() async throws {
        let bodies = Mutex(0)
        let function = InngestFunction(.init(id: "steps", trigger: .event("app/steps"))) { (ctx: Context<Number>) -> [Int] in
            let a = try await ctx.step.run("first") {
                bodies.withLock { $0 += 1 }
                return ctx.event.data.number
            }
            try await ctx.step.sleep("nap", "1h")
            let b = try await ctx.step.run("second") {
                bodies.withLock { $0 += 1 }
                return a * 2
            }
            return [a, b]
        }
        let dev = try await DevHarness(offersCheckpointing: false)
        try await dev.serve("app", [function])
        let event = try await dev.send("app/steps", ["number": 21])
        var detail = try await dev.run(startedBy: event)
        #expect(detail.run.status == .waiting)
        #expect(detail.run.functionID == "app-steps")
        #expect(detail.steps.map(\.userID) == ["first", "nap"])
        await dev.advance(by: .seconds(3_599))
        #expect(try await dev.run(startedBy: event).run.status == .waiting)
        await dev.advance(by: .seconds(1))
        detail = try await dev.run(startedBy: event)
        #expect(detail.run.status == .completed)
        #expect(detail.run.output == [21, 42])
        #expect(detail.steps.map(\.hashedID) == ["first", "nap", "second"].map { StepIdentity.hash($0) })
        #expect(detail.steps.map(\.kind) == [.run, .sleep, .run])
        #expect(bodies.withLock { $0 } == 2)
        // Immediate execution: each step ran in the discovery call that found it; no replays of bodies.
        #expect(dev.calls(to: "app") == ["step", "step", "step", "step"])
        // The lifecycle event carries the app's composite id.
        let finished = try await dev.engine.events(named: "inngest/function.finished")
        #expect(finished.first?.event.data["function_id"] == "app-steps")
    }

    @Test func parallelStepsArePlannedAndRunInTargetedCalls() async throws {
        let function = InngestFunction(.init(id: "fan", trigger: .event("app/fan"))) { (ctx: Context<JSONValue>) -> [String] in
            async let a = ctx.step.run("a") { "A" }
            async let b = ctx.step.run("b") { "B" }
            let both = try await [a, b]
            let after = try await ctx.step.run("after") { both.joined() }
            return both + [after]
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [function])
        let detail = try await dev.run(startedBy: try await dev.send("app/fan"))
        #expect(detail.run.status == .completed)
        #expect(detail.run.output == ["A", "B", "AB"])
        let calls = dev.calls(to: "app")
        // Discovery plans both, each runs in its own targeted call, then discovery goes on
        // (the step after the group runs immediately again: the plan-only flag was cleared,
        // and with checkpointing the function completes in that same call).
        #expect(calls.first == "step")
        #expect(Set(calls.dropFirst().prefix(2)) == [StepIdentity.hash("a"), StepIdentity.hash("b")])
        #expect(calls.count == 4)
        #expect(Set(detail.steps.map(\.userID)) == ["a", "b", "after"])
    }

    @Test func waitForEventIsMatchedOrTimesOut() async throws {
        let function = InngestFunction(.init(id: "wait", trigger: .event("app/order"))) { (ctx: Context<JSONValue>) -> String in
            let paid = try await ctx.step.waitForEvent("paid", event: "app/paid", timeout: "1d", match: "data.order")
            return paid == nil ? "timed out" : "paid \(paid?.data["amount"]?.integerValue ?? 0)"
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [function])
        let matched = try await dev.send("app/order", ["order": "o-1"])
        let unmatched = try await dev.send("app/order", ["order": "o-2"])
        await dev.engine.settle()
        _ = try await dev.send("app/paid", ["order": "o-1", "amount": 30])
        #expect(try await dev.run(startedBy: matched).run.output == "paid 30")
        #expect(try await dev.run(startedBy: unmatched).run.status == .waiting)
        await dev.advance(by: .seconds(86_400))
        #expect(try await dev.run(startedBy: unmatched).run.output == "timed out")
    }

    @Test func aFailingStepIsRetriedWithBackoffThenSucceeds() async throws {
        let attempts = Mutex<[Int]>([])
        let function = InngestFunction(.init(id: "flaky", trigger: .event("app/flaky"), retries: 2)) { (ctx: Context<JSONValue>) -> Int in
            try await ctx.step.run("call-api") {
                attempts.withLock { $0.append(ctx.attempt) }
                if attempts.withLock({ $0.count }) < 2 { throw Unavailable() }
                return ctx.attempt
            }
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [function])
        let event = try await dev.send("app/flaky")
        var detail = try await dev.run(startedBy: event)
        #expect(detail.run.status == .waiting)
        #expect(detail.steps.first?.status == .retrying)
        #expect(detail.steps.first?.error?.name == "Unavailable")
        await dev.advance(by: .seconds(10))
        detail = try await dev.run(startedBy: event)
        #expect(detail.run.status == .completed)
        #expect(detail.run.output == 1)
        #expect(detail.steps.first?.attempts == 2)
        // The retry was a targeted call with ctx.attempt 1.
        #expect(attempts.withLock { $0 } == [0, 1])
        #expect(dev.calls(to: "app") == ["step", StepIdentity.hash("call-api"), "step"])
    }

    @Test func nonRetriableErrorsFailTheRunWithTheAppsError() async throws {
        let function = InngestFunction(.init(id: "doomed", trigger: .event("app/doomed"))) { (ctx: Context<JSONValue>) -> Int in
            throw NonRetriableError("card declined")
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [function])
        let detail = try await dev.run(startedBy: try await dev.send("app/doomed"))
        #expect(detail.run.status == .failed)
        #expect(detail.run.error?.name == "NonRetriableError")
        #expect(detail.run.error?.message == "card declined")
        #expect(dev.calls(to: "app").count == 1)
        let failed = try await dev.engine.events(named: "inngest/function.failed")
        #expect(failed.first?.event.data["function_id"] == "app-doomed")
    }

    @Test func functionLevelErrorsAreRetriedThenFail() async throws {
        let function = InngestFunction(.init(id: "broken", trigger: .event("app/broken"), retries: 1)) { (ctx: Context<JSONValue>) -> Int in
            throw Unavailable()
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [function])
        let event = try await dev.send("app/broken")
        #expect(try await dev.run(startedBy: event).run.status == .waiting)
        await dev.advance(by: .seconds(10))
        let detail = try await dev.run(startedBy: event)
        #expect(detail.run.status == .failed)
        #expect(detail.run.error?.name == "Unavailable")
        #expect(dev.calls(to: "app").count == 2)
    }

    @Test func invokeAcrossAppsIsTyped() async throws {
        let cube = InngestFunction(.init(id: "cube", trigger: .event("math/cube"))) { (ctx: Context<Number>) in
            Result(result: ctx.event.data.number * ctx.event.data.number * ctx.event.data.number)
        }
        let reference = FunctionReference<Number, Result>(app: "math", id: "cube")
        let caller = InngestFunction(.init(id: "caller", trigger: .event("app/cube"))) { (ctx: Context<Number>) -> Result in
            try await ctx.step.invoke("cube-it", function: reference, data: Number(number: ctx.event.data.number))
        }
        let dev = try await DevHarness()
        try await dev.serve("math", [cube])
        try await dev.serve("app", [caller])
        let detail = try await dev.run(startedBy: try await dev.send("app/cube", ["number": 3]))
        #expect(detail.run.status == .completed)
        #expect(detail.run.output == ["result": 27])
        #expect(detail.steps.first?.kind == .invoke)
        // The invoked run was started by inngest/function.invoked with the correlation id.
        let invoked = try await dev.engine.runs(function: "math-cube")
        #expect(invoked.first?.status == .completed)
    }

    @Test func invokingAnUnknownFunctionFailsTheStepWithItsName() async throws {
        let reference = FunctionReference<Number, Result>(app: "nowhere", id: "cube")
        let caller = InngestFunction(.init(id: "caller", trigger: .event("app/cube"))) { (ctx: Context<Number>) -> Result in
            try await ctx.step.invoke("cube-it", function: reference, data: Number(number: 2))
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [caller])
        let detail = try await dev.run(startedBy: try await dev.send("app/cube", ["number": 3]))
        #expect(detail.run.status == .failed)
        #expect(detail.run.error?.message.contains("nowhere-cube") == true)
    }

    @Test func eventsSentFromAStepReachTheDevServerOnce() async throws {
        let sender = InngestFunction(.init(id: "sender", trigger: .event("app/send"))) { (ctx: Context<JSONValue>) -> Int in
            let ids = try await ctx.step.sendEvent("follow-up", Event(name: "app/followed", data: Number(number: 5)))
            return ids.count
        }
        let receiver = InngestFunction(.init(id: "receiver", trigger: .event("app/followed"))) { (ctx: Context<Number>) in
            ctx.event.data.number + 1
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [sender, receiver])
        let detail = try await dev.run(startedBy: try await dev.send("app/send"))
        #expect(detail.run.output == 1)
        #expect(detail.steps.first?.kind == .sendEvent || detail.steps.first?.kind == .run)
        let followed = try await dev.engine.events(named: "app/followed")
        #expect(followed.count == 1)
        // The app stamped the event with its wall clock, past the test clock's now: an event
        // from the future starts its runs at its time.
        let stamped = Date(timeIntervalSince1970: Double(followed[0].event.ts ?? 0) / 1_000)
        await dev.advance(by: .milliseconds(Int64(max(0, stamped.timeIntervalSince(dev.clock.now())) * 1_000) + 1))
        let received = try await dev.run(startedBy: followed[0].internalID)
        #expect(received.run.output == 6, "\(received.run)")
    }

    @Test func aMemoOverTheCallLimitIsFetchedByTheAppFromTheRunsAPI() async throws {
        let chunk = String(repeating: "x", count: 25_000)
        let function = InngestFunction(.init(id: "big", trigger: .event("app/big"))) { (ctx: Context<JSONValue>) -> Int in
            let a = try await ctx.step.run("a") { chunk }
            let b = try await ctx.step.run("b") { chunk }
            return try await ctx.step.run("sum") { a.count + b.count }
        }
        // 40 KB stands in for Inngest's 4 MB (the same code path, a faster test). Without
        // checkpointing, so that every step is a call and the memo grows between calls.
        let dev = try await DevHarness(maxCallBodyBytes: 40_000, offersCheckpointing: false)
        try await dev.serve("app", [function])
        let detail = try await dev.run(startedBy: try await dev.send("app/big"))
        #expect(detail.run.status == .completed)
        #expect(detail.run.output == 50_000)
        // The call after both chunks were recorded was trimmed; the app fetched steps and events.
        let fetched = dev.network.requests.filter { $0.method == .get }.compactMap { URLComponents(string: $0.url)?.path }
        #expect(fetched.contains { $0.hasSuffix("/actions") })
        #expect(fetched.contains { $0.hasSuffix("/batch") })
    }

    @Test func aSyncedAppAndItsSleepingRunSurviveARestart() async throws {
        let function = InngestFunction(.init(id: "nap", trigger: .event("app/nap"))) { (ctx: Context<JSONValue>) -> String in
            try await ctx.step.sleep("nap", "2h")
            return "rested"
        }
        let clock = DevHarness.wallClock()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-dev-restart-\(UUID().uuidString)")
        let first = try await DevHarness(clock: clock, directory: directory)
        try await first.serve("app", [function])
        let event = try await first.send("app/nap")
        #expect(try await first.run(startedBy: event).run.status == .waiting)
        await first.engine.shutdown()

        // A new process: same file, the app is known again without a sync.
        let second = try await DevHarness(clock: clock, directory: directory)
        let handler = InngestServeHandler(
            client: InngestClient(
                configuration: InngestConfiguration(appID: "app", environment: ["INNGEST_DEV": DevHarness.devOrigin]),
                transport: second.network), functions: [function])
        second.network.route("http://app.test") { await handler.handle($0) }
        #expect(try await second.engine.syncedApps().map(\.appID) == ["app"])
        await second.advance(by: .seconds(7_200))
        let detail = try await second.run(startedBy: event)
        #expect(detail.run.status == .completed)
        #expect(detail.run.output == "rested")
    }

    @Test func callsAreSignedForAppsInCloudMode() async throws {
        let key = "signkey-test-7c5d2c1e4b6a8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718"
        let function = InngestFunction(.init(id: "signed", trigger: .event("app/signed"))) { (ctx: Context<JSONValue>) -> String in
            try await ctx.step.run("step") { "ok" }
        }
        let dev = try await DevHarness(signingKey: SigningKey(key))
        try await dev.serve("app", [function], environment: ["INNGEST_SIGNING_KEY": key])
        let detail = try await dev.run(startedBy: try await dev.send("app/signed"))
        #expect(detail.run.status == .completed)
        #expect(detail.run.output == "ok")
        #expect(
            dev.network.requests.filter { $0.method == .post && $0.url.hasPrefix("http://app.test") }
                .allSatisfy { $0.headerFields[.inngestSignature] != nil })
    }

    @Test func anAppWithAnotherKeyRefusesTheCallsAndNothingRuns() async throws {
        let ran = Mutex(false)
        let function = InngestFunction(.init(id: "guarded", trigger: .event("app/guarded"), retries: 0)) { (ctx: Context<JSONValue>) -> String in
            ran.withLock { $0 = true }
            return "ran"
        }
        let dev = try await DevHarness(signingKey: SigningKey("signkey-test-aaaa"))
        // The app holds a different key: it would not trust this server's sync either, so register it directly.
        let configuration = InngestConfiguration(appID: "app", environment: ["INNGEST_SIGNING_KEY": "signkey-test-bbbb", "INNGEST_BASE_URL": DevHarness.devOrigin])
        let handler = InngestServeHandler(client: InngestClient(configuration: configuration, transport: dev.network), functions: [function])
        dev.network.route("http://app.test") { await handler.handle($0) }
        try await dev.engine.sync(registration: try JSONCodec.shared.jsonValue(of: RegisterRequest(appURL: "http://app.test/api/inngest", functions: [function], configuration: configuration)))
        let detail = try await dev.run(startedBy: try await dev.send("app/guarded"))
        #expect(detail.run.status == .failed)
        #expect(ran.withLock { $0 } == false)
        #expect(detail.run.error?.message.contains("401") == true || detail.run.error?.message.lowercased().contains("signature") == true)
        // Secrets never show in what the engine recorded.
        #expect(detail.run.error?.description.contains("aaaa") == false)
        #expect(detail.run.error?.description.contains("bbbb") == false)
    }
}

struct Unavailable: Error, CustomStringConvertible {
    var description: String { "the API is unavailable" }
}
