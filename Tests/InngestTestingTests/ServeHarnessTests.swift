import Foundation
import Inngest
import InngestTesting
import Testing

@Suite struct ServeHarnessTests {
    @Test func eachCallAnswersWithTheOpsTheServerWouldGet() async throws {
        let harness = ServeHarness(functions: [Examples.activation])
        let signup = try Event(SignedUp(userID: "u1")).erased()

        let first = try await harness.call(Examples.activation, event: signup)
        #expect(first.status == 206)
        #expect(first.output == nil, "a call answered with ops has no output")
        #expect(first.ops.map(\.op) == ["StepRun"])
        #expect(first.ops.first?.userID == "send-welcome")
        #expect(first.ops.first?.id == StepIdentity(userID: "send-welcome", index: 0).hashedID)
        #expect(first.ops.first?.data == "welcome u1")

        let welcomed = ServeHarness.memo(["send-welcome": .result("welcome u1")])
        let second = try await harness.call(Examples.activation, event: signup, steps: welcomed)
        #expect(second.ops.map(\.op) == ["WaitForEvent"])
        #expect(second.ops.first?.opts?["event"] == "app/post.created")
        #expect(second.ops.first?.opts?["timeout"] == "24h")

        var timedOut = welcomed
        timedOut.merge(ServeHarness.memo(["wait-for-post": .result(.null)])) { a, _ in a }
        let third = try await harness.call(Examples.activation, event: signup, steps: timedOut)
        #expect(third.ops.map(\.userID) == ["send-reminder"])

        var reminded = timedOut
        reminded.merge(ServeHarness.memo(["send-reminder": .result("reminder u1")])) { a, _ in a }
        let last = try await harness.call(Examples.activation, event: signup, steps: reminded)
        #expect(last.status == 200)
        #expect(last.output == "reminded")
    }

    @Test func aFailingStepAndAFailedFunctionAnswerAsTheServerExpects() async throws {
        let risky = InngestFunction(.init(id: "risky", trigger: .event("app/risky"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("flaky") { () -> Int in throw NonRetriableError("no") }
        }
        let harness = ServeHarness(functions: [risky])
        let call = try await harness.call(risky, event: AnyEvent(name: "app/risky"))
        #expect(call.ops.map(\.op) == ["StepFailed"])
        #expect(call.ops.first?.error?.message == "no")

        let failedStep = ServeHarness.memo(["flaky": .error(SerializedError(name: "NonRetriableError", message: "no"))])
        let end = try await harness.call(risky, event: AnyEvent(name: "app/risky"), steps: failedStep)
        #expect(end.status >= 400)
        #expect(end.error?.retriable == false)
    }
}
