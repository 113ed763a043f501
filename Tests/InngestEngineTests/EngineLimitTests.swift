import Foundation
import Inngest
import InngestTesting
import Synchronization
import Testing

@testable import InngestEngine

@Suite struct EngineLimitTests {
    @Test func aStepOutputOverFourMebibytesFailsTheRunNamingTheLimit() async throws {
        let big = InngestFunction(.init(id: "big", trigger: .event("go"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("big") { String(repeating: "x", count: 4 * 1_024 * 1_024 + 1) }
        }
        let harness = try await Harness([big])
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.engine.settle()
        let detail = try await harness.onlyRun(of: "big")
        #expect(detail.run.status == .failed)
        #expect(detail.steps.first?.attempts == 1)
        #expect(detail.run.error?.message.contains("over the limit of 4194304 bytes") == true)
    }

    @Test func sleepingUntilMoreThan366DaysAheadFailsTheRun() async throws {
        let clock = TestClock()
        let far = InngestFunction(.init(id: "far", trigger: .event("go"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.sleepUntil("far", clock.now().addingTimeInterval(367 * 86_400))
        }
        let harness = try await Harness([far], clock: clock)
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.engine.settle()
        let detail = try await harness.onlyRun(of: "far")
        #expect(detail.run.status == .failed)
        #expect(detail.run.error?.message.contains("366d from now") == true)
    }

    @Test func aSleepUntilInThePastContinuesAtOnce() async throws {
        let clock = TestClock()
        let past = InngestFunction(.init(id: "past", trigger: .event("go"))) { (ctx: Context<JSONValue>) -> String in
            try await ctx.step.sleepUntil("past", clock.now().addingTimeInterval(-60))
            return "done"
        }
        let harness = try await Harness([past], clock: clock)
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.engine.settle()
        #expect(try await harness.onlyRun(of: "past").run.output == "done")
    }

    @Test func aCancellationStopsListeningAfterItsTimeout() async throws {
        let long = InngestFunction(
            .init(
                id: "long", trigger: .event("go"),
                cancelOn: [Cancellation(event: "stop", timeout: "1h")])
        ) { (ctx: Context<JSONValue>) in
            try await ctx.step.sleep("nap", "3h")
        }
        let harness = try await Harness([long])
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.advance(by: .seconds(7_200))
        try await harness.engine.send([AnyEvent(name: "stop")])
        await harness.advance(by: .seconds(3_600))
        #expect(try await harness.onlyRun(of: "long").run.status == .completed)
    }

    @Test func aThousandAndOneStepsFailTheRunNamingTheLimit() async throws {
        let chatty = InngestFunction(.init(id: "chatty", trigger: .event("go"))) { (ctx: Context<JSONValue>) in
            for _ in 0..<1_001 { try await ctx.step.run("s") { 1 } }
        }
        let harness = try await Harness([chatty])
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.engine.settle()
        let detail = try await harness.onlyRun(of: "chatty")
        #expect(detail.run.status == .failed)
        #expect(detail.steps.count == 1_000)
        #expect(detail.run.error?.message.contains("limit of 1000 steps per run") == true)
    }
}
