import Foundation
import Inngest
import InngestTesting
import Synchronization
import Testing

@testable import InngestEngine

@Suite struct EngineFailureTests {
    @Test func aStepThatFailsTwiceThenSucceedsBacksOffExponentially() async throws {
        let attempts = Mutex<[Date]>([])
        let clock = TestClock()
        let flaky = InngestFunction(.init(id: "flaky", trigger: .event("go"), retries: 4)) { (ctx: Context<JSONValue>) -> String in
            try await ctx.step.run("call-api") { () -> String in
                let count = attempts.withLock {
                    $0.append(clock.now())
                    return $0.count
                }
                if count < 3 { throw Flaky() }
                return "ok"
            }
        }
        let harness = try await Harness([flaky], clock: clock)
        let start = clock.now()
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.advance(by: .seconds(60))
        let detail = try await harness.onlyRun(of: "flaky")
        #expect(detail.run.status == .completed)
        #expect(detail.steps.first?.attempts == 3)
        // Backoff without jitter: 10 s after the first failure, 20 s after the second.
        #expect(attempts.withLock { $0.map { $0.timeIntervalSince(start).rounded() } } == [0, 10, 30])
    }

    @Test func retriesStopAtTheFunctionsRetryCount() async throws {
        let attempts = Mutex(0)
        let failing = InngestFunction(.init(id: "failing", trigger: .event("go"), retries: 2)) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("always-fails") { () -> Int in
                attempts.withLock { $0 += 1 }
                throw Flaky()
            }
        }
        let harness = try await Harness([failing])
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.advance(by: .seconds(3_600))
        let detail = try await harness.onlyRun(of: "failing")
        #expect(detail.run.status == .failed)
        #expect(attempts.withLock { $0 } == 3)
        #expect(detail.steps.first?.status == .failed)
        #expect(detail.run.error?.message == "flaky")
    }

    @Test func nonRetriableErrorStopsAtOnceAndRunsOnFailure() async throws {
        let attempts = Mutex(0)
        let seen = Mutex<FunctionFailed?>(nil)
        let charge = InngestFunction(
            .init(id: "charge", trigger: .event("order/placed")),
            onFailure: { ctx in seen.withLock { $0 = ctx.event.data } }
        ) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("charge-card") { () -> Int in
                attempts.withLock { $0 += 1 }
                throw NonRetriableError("card declined")
            }
        }
        let harness = try await Harness([charge])
        try await harness.engine.send([AnyEvent(name: "order/placed", data: ["order": 7])])
        await harness.engine.settle()
        let detail = try await harness.onlyRun(of: "charge")
        #expect(detail.run.status == .failed)
        #expect(attempts.withLock { $0 } == 1)
        let failed = try #require(seen.withLock { $0 })
        #expect(failed.functionID == "test-app-charge")
        #expect(failed.runID == detail.run.id)
        #expect(failed.event.data["order"] == 7)
        #expect(failed.error.name == "NonRetriableError")
        #expect(failed.error.message == "card declined")
        #expect(try await harness.onlyRun(of: "charge-failure").run.status == .completed)
    }

    @Test func retryAfterErrorSchedulesTheNextAttempt() async throws {
        let attempts = Mutex<[Date]>([])
        let clock = TestClock()
        let limited = InngestFunction(.init(id: "limited", trigger: .event("go"))) { (ctx: Context<JSONValue>) -> Int in
            try await ctx.step.run("call") { () -> Int in
                let count = attempts.withLock {
                    $0.append(clock.now())
                    return $0.count
                }
                if count == 1 { throw RetryAfterError("rate limited", after: .seconds(300)) }
                return count
            }
        }
        let harness = try await Harness([limited], clock: clock)
        let start = clock.now()
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.advance(by: .seconds(299))
        #expect(attempts.withLock { $0.count } == 1)
        await harness.advance(by: .seconds(1))
        #expect(attempts.withLock { $0.map { $0.timeIntervalSince(start).rounded() } } == [0, 300])
        #expect(try await harness.onlyRun(of: "limited").run.output == 2)
    }

    @Test func functionLevelErrorsAreRetriedByReplay() async throws {
        let calls = Mutex(0)
        let bodyRuns = Mutex(0)
        let shaky = InngestFunction(.init(id: "shaky", trigger: .event("go"))) { (ctx: Context<JSONValue>) -> Int in
            let value = try await ctx.step.run("once") {
                bodyRuns.withLock { $0 += 1 }
                return 5
            }
            if calls.withLock({
                $0 += 1
                return $0
            }) < 3 {
                throw Flaky()
            }
            return value
        }
        let harness = try await Harness([shaky])
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.advance(by: .seconds(120))
        #expect(try await harness.onlyRun(of: "shaky").run.output == 5)
        #expect(bodyRuns.withLock { $0 } == 1)
        #expect(calls.withLock { $0 } == 3)
    }

    @Test func cancelOnEventStopsTheRun() async throws {
        let after = Mutex(0)
        let reminder = InngestFunction(
            .init(
                id: "reminder", trigger: .event("reminder/set"),
                cancelOn: [Cancellation(event: "reminder/deleted", match: "data.id")])
        ) { (ctx: Context<JSONValue>) in
            try await ctx.step.sleep("wait", "1h")
            try await ctx.step.run("remind") { after.withLock { $0 += 1 } }
        }
        let harness = try await Harness([reminder])
        try await harness.engine.send([AnyEvent(name: "reminder/set", data: ["id": "r1"]), AnyEvent(name: "reminder/set", data: ["id": "r2"])])
        await harness.engine.settle()
        try await harness.engine.send([AnyEvent(name: "reminder/deleted", data: ["id": "r1"])])
        await harness.advance(by: .seconds(3_600))
        let runs = try await harness.engine.runs(function: "reminder")
        #expect(Set(runs.map(\.status)) == [.cancelled, .completed])
        #expect(after.withLock { $0 } == 1)
        #expect(try await harness.engine.events(named: "inngest/function.cancelled").count == 1)
    }

    @Test func cancelAPIStopsAWaitingRun() async throws {
        let napper = InngestFunction(.init(id: "nap", trigger: .event("go"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.sleep("nap", "1d")
        }
        let harness = try await Harness([napper])
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.engine.settle()
        let run = try await harness.onlyRun(of: "nap")
        try await harness.engine.cancelRun(id: run.run.id)
        await harness.advance(by: .seconds(86_400))
        #expect(try await harness.onlyRun(of: "nap").run.status == .cancelled)
        await #expect(throws: EngineError.unknownRun("nope")) { try await harness.engine.cancelRun(id: "nope") }
    }

    @Test func finishTimeoutCancelsARunThatTakesTooLong() async throws {
        let slow = InngestFunction(.init(id: "slow", trigger: .event("go"), timeouts: Timeouts(finish: "30m"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.sleep("long", "1h")
        }
        let harness = try await Harness([slow])
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.advance(by: .seconds(1_800))
        #expect(try await harness.onlyRun(of: "slow").run.status == .cancelled)
    }

    @Test func startTimeoutCancelsARunThatDidNotStartInTime() async throws {
        let delayed = InngestFunction(.init(id: "delayed", trigger: .event("go"), timeouts: Timeouts(start: "10m"))) { (_: Context<JSONValue>) in }
        let harness = try await Harness([delayed])
        let inAnHour = harness.clock.now().addingTimeInterval(3_600).milliseconds
        try await harness.engine.send([AnyEvent(name: "go", data: [:], id: nil, ts: inAnHour)])
        await harness.advance(by: .seconds(3_600))
        #expect(try await harness.onlyRun(of: "delayed").run.status == .cancelled)
    }
}
