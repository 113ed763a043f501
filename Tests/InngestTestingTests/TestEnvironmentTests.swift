import Foundation
import Inngest
import InngestEngine
import InngestTesting
import Synchronization
import Testing

struct SignedUp: EventPayload {
    static let eventName = "app/user.signup"
    var userID: String
}
struct Posted: EventPayload {
    static let eventName = "app/post.created"
    var userID: String
}
struct Receipt: Codable, Sendable, Equatable {
    var receiptID: String
}
struct Square: Codable, Sendable { var number: Int }
struct Squared: Codable, Sendable, Equatable { var result: Int }
struct Unavailable: Error {}

enum Examples {
    /// Welcome email, then a 24 h wait for a first post, then a reminder if none came.
    static let activation = InngestFunction(.init(id: "activation", trigger: .event(SignedUp.self))) { (ctx: Context<SignedUp>) -> String in
        try await ctx.step.run("send-welcome") { "welcome \(ctx.event.data.userID)" }
        let post = try await ctx.step.waitForEvent("wait-for-post", event: Posted.self, timeout: "24h", match: "data.userID")
        guard post == nil else { return "active" }
        try await ctx.step.run("send-reminder") { "reminder \(ctx.event.data.userID)" }
        return "reminded"
    }

    static let checkout = InngestFunction(.init(id: "checkout", trigger: .event("shop/checkout"), retries: 3)) { (ctx: Context<JSONValue>) -> String in
        let receipt = try await ctx.step.run("charge-card") { Receipt(receiptID: "real") }
        try await ctx.step.sleep("cool-off", "7d")
        try await ctx.step.run("ship") { "shipped" }
        return receipt.receiptID
    }

    static let squareReference = FunctionReference<Square, Squared>(app: "math-service", id: "square")
    static let usesRemoteSquare = InngestFunction(.init(id: "uses-square", trigger: .event("math/go"))) { (ctx: Context<JSONValue>) -> Int in
        try await ctx.step.invoke("square-it", function: squareReference, data: Square(number: 7)).result
    }
}

@Suite struct TestEnvironmentTests {
    @Test func aWeekLongFlowRunsInVirtualTimeWithARealStepRecord() async throws {
        let environment = try await TestEnvironment(functions: [Examples.checkout])
        let start = environment.clock.now()
        let run = try await environment.execute(Examples.checkout, event: AnyEvent(name: "shop/checkout"))
        #expect(try run.expectCompleted(as: String.self) == "real")
        #expect(run.steps.map(\.userID) == ["charge-card", "cool-off", "ship"])
        #expect(environment.clock.now().timeIntervalSince(start) >= 7 * 86_400)
        #expect(environment.clock.now().timeIntervalSince(start) < 7 * 86_400 + 60)
    }

    // snippet: wait-times-out
    @Test func aWaitForEventTimesOutAfterTwentyFourHours() async throws {
        let environment = try await TestEnvironment(functions: [Examples.activation])
        let run = try await environment.execute(Examples.activation, event: Event(SignedUp(userID: "u1")))
        #expect(try run.expectCompleted(as: String.self) == "reminded")
        let wait = try run.expectStep("wait-for-post")
        #expect(wait.kind == .waitForEvent)
        #expect(wait.output == .null)
        let waited = try #require(wait.endedAt).timeIntervalSince(try #require(wait.startedAt))
        #expect(waited == 86_400)
    }
    // snippet: end

    // snippet: retried-step
    @Test func aRetriedStepBacksOffAsInProductionAndItsMockSeesTheAttempt() async throws {
        let attempts = Mutex<[Int]>([])
        var mocks = StepMocks()
        mocks.step("charge-card") { attempt -> Receipt in
            attempts.withLock { $0.append(attempt) }
            if attempt < 2 { throw Unavailable() }
            return Receipt(receiptID: "mocked")
        }
        let environment = try await TestEnvironment(functions: [Examples.checkout], mocks: mocks, backoff: Backoff(base: .seconds(10), jitter: 0))
        let run = try await environment.execute(Examples.checkout, event: AnyEvent(name: "shop/checkout"))
        #expect(try run.expectCompleted(as: String.self) == "mocked")
        #expect(attempts.withLock { $0 } == [0, 1, 2])
        let charge = try run.expectStep("charge-card")
        #expect(charge.attempts == 3)
        // Two backoffs (10 s, then 20 s) passed on the virtual clock before the third attempt.
        #expect(try #require(charge.endedAt).timeIntervalSince(run.createdAt) >= 30)
    }
    // snippet: end

    @Test func nonRetriableAndRetryAfterErrorsKeepTheirMeaningInAMock() async throws {
        var failing = StepMocks()
        failing.step("charge-card", throwing: NonRetriableError("card declined"))
        let declined = try await TestEnvironment(functions: [Examples.checkout], mocks: failing)
        let run = try await declined.execute(Examples.checkout, event: AnyEvent(name: "shop/checkout"))
        let error = try run.expectFailed()
        #expect(error.message.contains("card declined"))
        #expect(try run.expectStep("charge-card").attempts == 1)

        var later = StepMocks()
        let retryAt = TestClock.defaultStart.addingTimeInterval(3_600)
        later.step("charge-card") { attempt -> Receipt in
            if attempt == 0 { throw RetryAfterError("rate limited", at: retryAt) }
            return Receipt(receiptID: "after-an-hour")
        }
        let limited = try await TestEnvironment(functions: [Examples.checkout], mocks: later)
        let retried = try await limited.execute(Examples.checkout, event: AnyEvent(name: "shop/checkout"))
        #expect(try retried.expectCompleted(as: String.self) == "after-an-hour")
        #expect(try #require(try retried.expectStep("charge-card").endedAt) >= retryAt)
    }

    // snippet: invoke-mock
    @Test func anInvokeOfAFunctionOfAnotherAppIsMockedWithItsTypes() async throws {
        let seen = Mutex<[Int]>([])
        var mocks = StepMocks()
        mocks.invoke(Examples.squareReference) { input in
            seen.withLock { $0.append(input.number) }
            return Squared(result: input.number * input.number)
        }
        let environment = try await TestEnvironment(functions: [Examples.usesRemoteSquare], mocks: mocks)
        let run = try await environment.execute(Examples.usesRemoteSquare, event: AnyEvent(name: "math/go"))
        #expect(try run.expectCompleted(as: Int.self) == 49)
        #expect(seen.withLock { $0 } == [7])
        #expect(try run.expectStep("square-it").kind == .invoke)
    }
    // snippet: end

    // snippet: on-failure
    @Test func onFailureRunsWithTheFailureEvent() async throws {
        let failing = InngestFunction(
            .init(id: "import", trigger: .event("app/import"), retries: 1),
            onFailure: { (ctx: Context<FunctionFailed>) in
                _ = try await ctx.step.run("alert") { () -> String in "alerted about \(ctx.event.data.error.message)" }
            }
        ) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("fetch") { () -> String in throw Unavailable() }
        }
        let environment = try await TestEnvironment(functions: [failing])
        let run = try await environment.execute(failing, event: AnyEvent(name: "app/import"))
        try run.expectFailed()
        #expect(try run.expectStep("fetch").attempts == 2)
        await environment.settle()
        let handler = try #require(try await environment.failureHandlerRuns(of: failing).first)
        try handler.expectCompleted()
        #expect(handler.events.first?.name == "inngest/function.failed")
        #expect(handler.events.first?.data["function_id"] == "test-app-import")
        #expect(try handler.expectStep("alert").output?.stringValue?.hasPrefix("alerted about") == true)
        let failed = try await environment.sentEvents(named: "inngest/function.failed")
        #expect(failed.count == 1)
    }
    // snippet: end

    @Test func cancelOnAndTimeoutsEndRunsAsTheEngineDoes() async throws {
        let cancellable = InngestFunction(
            .init(
                id: "cancellable", trigger: .event(SignedUp.self),
                cancelOn: [Cancellation(event: "app/user.deleted", match: "data.userID")])
        ) { (ctx: Context<SignedUp>) in
            try await ctx.step.sleep("wait-a-day", "1d")
            try await ctx.step.run("never") { "ran" }
        }
        let bounded = InngestFunction(.init(id: "bounded", trigger: .event("app/bounded"), timeouts: Timeouts(finish: "1h"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.sleep("too-long", "2h")
        }
        let environment = try await TestEnvironment(functions: [cancellable, bounded])
        try await environment.send(Event(SignedUp(userID: "u9")))
        await environment.advance(by: .seconds(3_600))
        try await environment.send([AnyEvent(name: "app/user.deleted", data: ["userID": "u9"])])
        await environment.advance(by: .seconds(86_400))
        let cancelled = try #require(try await environment.runs(of: cancellable).first)
        try cancelled.expectStatus(.cancelled)
        #expect(cancelled.step("never") == nil)

        let timedOut = try await environment.execute(bounded, event: AnyEvent(name: "app/bounded"))
        try timedOut.expectStatus(.cancelled)
    }

    @Test func flowControlAppliesDebounceKeepsTheLastEvent() async throws {
        let debounced = InngestFunction(
            .init(id: "reindex", trigger: .event("app/edited"), debounce: Debounce(period: "5m", key: "event.data.doc"))
        ) { (ctx: Context<JSONValue>) -> JSONValue in
            ctx.event.data["rev"] ?? .null
        }
        let environment = try await TestEnvironment(functions: [debounced])
        for revision in 1...3 {
            try await environment.send([AnyEvent(name: "app/edited", data: ["doc": "d1", "rev": .integer(Int64(revision))])])
            await environment.advance(by: .seconds(60))
        }
        #expect(try await environment.runs(of: debounced).isEmpty)
        await environment.advance(by: .seconds(300))
        let runs = try await environment.runs(of: debounced)
        #expect(runs.count == 1)
        #expect(try runs.first?.expectCompleted() == 3)
    }

    @Test func eventsSentByStepsAreCapturedAndStartFunctionsForReal() async throws {
        let sender = InngestFunction(.init(id: "sender", trigger: .event("app/go"))) { (ctx: Context<JSONValue>) in
            _ = try await ctx.step.sendEvent("notify", Event(Posted(userID: "u2")))
        }
        let receiver = InngestFunction(.init(id: "receiver", trigger: .event(Posted.self))) { (ctx: Context<Posted>) -> String in
            ctx.event.data.userID
        }
        let environment = try await TestEnvironment(functions: [sender, receiver])
        try await environment.execute(sender, event: AnyEvent(name: "app/go")).expectCompleted()
        await environment.settle()
        let sent = try await environment.sentEvents(named: Posted.eventName)
        #expect(sent.map { $0.data["userID"] } == ["u2"])
        #expect(try await environment.runs(of: receiver).first?.expectCompleted(as: String.self) == "u2")
    }

    // snippet: retry-chain
    @Test func oneAdvanceFiresAWholeRetryChainWhoseTimersAppearOneAfterAnother() async throws {
        // Each backoff timer exists only once the attempt before it failed: advancing must
        // keep firing what becomes due until the target time, not just what was due at first.
        let attempts = Mutex(0)
        let flaky = InngestFunction(.init(id: "flaky", trigger: .event("app/flaky"), retries: 4)) { (ctx: Context<JSONValue>) -> Int in
            try await ctx.step.run("call-partner") {
                let attempt = attempts.withLock { count in
                    count += 1
                    return count
                }
                if attempt < 4 { throw Unavailable() }
                return attempt
            }
        }
        let environment = try await TestEnvironment(functions: [flaky], backoff: Backoff(base: .seconds(10), jitter: 0))
        try await environment.send([AnyEvent(name: "app/flaky")])
        await environment.settle()
        #expect(attempts.withLock { $0 } == 1)
        await environment.advance(by: .seconds(3_600))
        let run = try #require(try await environment.runs(of: flaky).first)
        #expect(try run.expectCompleted(as: Int.self) == 4)
        #expect(attempts.withLock { $0 } == 4)
    }
    // snippet: end

    // snippet: cron-week
    @Test func aCronFunctionRunsOncePerDayAcrossAWeek() async throws {
        let daily = InngestFunction(.init(id: "daily-digest", trigger: .cron("0 9 * * *"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("send-digest") { "sent" }
        }
        let environment = try await TestEnvironment(functions: [daily])
        await environment.advance(by: .seconds(7 * 86_400))
        let runs = try await environment.runs(of: daily)
        #expect(runs.count == 7)
        #expect(runs.allSatisfy { $0.status == .completed })
    }
    // snippet: end

    // snippet: cron-context
    @Test func aCronFunctionsContextIsTypedWithTheScheduledTimer() async throws {
        let seen = Mutex<[ScheduledTimer]>([])
        let hourly = InngestFunction(.init(id: "hourly", trigger: .cron("30 * * * *"))) { (ctx: Context<ScheduledTimer>) in
            seen.withLock { $0.append(ctx.event.data) }
        }
        let environment = try await TestEnvironment(functions: [hourly])
        await environment.advance(by: .seconds(2 * 3_600))
        let timers = seen.withLock { $0 }
        #expect(timers.map(\.cron) == ["30 * * * *", "30 * * * *"])
        #expect(timers.map(\.scheduledAt) == [TestClock.defaultStart.addingTimeInterval(1_800), TestClock.defaultStart.addingTimeInterval(5_400)])
        #expect(timers.map(\.fireAt) == timers.map(\.scheduledAt))
    }
    // snippet: end

    // snippet: execute-step
    @Test func executeStepStopsAfterThatStepAndReturnsIt() async throws {
        let shipped = Mutex(0)
        let order = InngestFunction(.init(id: "order", trigger: .event("shop/order"))) { (ctx: Context<JSONValue>) in
            _ = try await ctx.step.run("price") { 42 }
            try await ctx.step.run("ship") { shipped.withLock { $0 += 1 } }
        }
        let environment = try await TestEnvironment(functions: [order])
        let step = try await environment.executeStep("price", of: order, event: AnyEvent(name: "shop/order"))
        #expect(step.output == 42)
        #expect(shipped.withLock { $0 } == 0)
        let run = try #require(try await environment.runs(of: order).first)
        try run.expectStatus(.cancelled)
    }
    // snippet: end

    @Test func mockedValuesGoThroughTheJSONCodecAndAMismatchNamesBothTypes() async throws {
        struct MisspelledReceipt: Codable, Sendable { var receiptId: String }
        var mocks = StepMocks()
        mocks.step("charge-card", returning: MisspelledReceipt(receiptId: "r1"))
        let environment = try await TestEnvironment(functions: [Examples.checkout], mocks: mocks)
        let failure = await #expect(throws: TestEnvironmentFailure.self) {
            try await environment.execute(Examples.checkout, event: AnyEvent(name: "shop/checkout"))
        }
        let message = try #require(failure).description
        #expect(message.contains("MisspelledReceipt"))
        #expect(message.contains("Receipt"))
        #expect(message.contains("receiptID"))
    }

    @Test func aMockOfAStepTheFunctionNeverReachesFailsNamingTheStepsItReached() async throws {
        var mocks = StepMocks()
        mocks.step("charge-crad", returning: Receipt(receiptID: "typo"))
        let environment = try await TestEnvironment(functions: [Examples.checkout], mocks: mocks)
        let failure = await #expect(throws: TestEnvironmentFailure.self) {
            try await environment.execute(Examples.checkout, event: AnyEvent(name: "shop/checkout"))
        }
        let message = try #require(failure).message
        #expect(message.contains("\"charge-crad\" never applied"))
        #expect(message.contains("\"charge-card\", \"cool-off\", \"ship\""))
    }

    @Test func aRunThatWouldWaitPastTheHorizonFailsWithWhatItWaitsFor() async throws {
        let patient = InngestFunction(.init(id: "patient", trigger: .event("app/start"))) { (ctx: Context<JSONValue>) in
            _ = try await ctx.step.waitForEvent("approval", event: "app/approved", timeout: "300d", if: "async.data.ok == true")
        }
        let environment = try await TestEnvironment(functions: [patient], timeHorizon: .seconds(30 * 86_400))
        let failure = await #expect(throws: TestEnvironmentFailure.self) {
            try await environment.execute(patient, event: AnyEvent(name: "app/start"))
        }
        let description = try #require(failure).description
        #expect(description.contains("past the time horizon"))
        #expect(description.contains("waits for event app/approved if async.data.ok == true"))
    }

    @Test func aFailedExpectationPrintsTheRunsTimeline() async throws {
        var mocks = StepMocks()
        mocks.step("charge-card", throwing: NonRetriableError("card declined"))
        let environment = try await TestEnvironment(functions: [Examples.checkout], mocks: mocks)
        let run = try await environment.execute(Examples.checkout, event: AnyEvent(name: "shop/checkout"))
        let failure = #expect(throws: RunExpectationFailure.self) { try run.expectCompleted() }
        let text = try #require(failure).description
        #expect(text.hasPrefix("expected the run to complete, it is failed\nrun "))
        #expect(text.contains("event shop/checkout"))
        #expect(text.contains("run \"charge-card\" failed, 1 attempt ✗"))
        #expect(text.contains("card declined"))
    }
}
