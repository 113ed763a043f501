import Foundation
import Testing

@testable import Inngest

/// Conformance cases 30–33 and nested steps.
@Suite struct ExecutorErrorTests {
    @Test func stepErrorWithRetriesLeftIsStepError() async {
        let counter = Counter()
        let outcome = await Fixture.execute(Fixture.risky(counter), Fixture.request(Fixture.event("app/risky"), attempt: 0, maxAttempts: 4))
        #expect(
            outcome.ops == [
                Opcode(
                    id: Hash.risky, op: .stepError, name: "risky", displayName: "risky",
                    error: SerializedError(name: "Boom", message: "boom"), userland: .init(id: "risky"))
            ])
        #expect(counter["risky"] == 1)
    }

    @Test func stepErrorOnTheLastAttemptIsStepFailed() async {
        let outcome = await Fixture.execute(Fixture.risky(Counter()), Fixture.request(Fixture.event("app/risky"), attempt: 3, maxAttempts: 4))
        #expect(outcome.ops.map(\.op) == [.stepFailed])
        #expect(outcome.ops.first?.error?.message == "boom")
    }

    @Test func maxAttemptsDefaultsToTheFunctionsRetries() async {
        let counter = Counter()
        let risky = InngestFunction(.init(id: "risky", trigger: .event("app/risky"), retries: 1)) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("risky") { () -> Int in
                counter.hit("r")
                throw Boom(message: "boom")
            }
        }
        let first = await Fixture.execute(risky, Fixture.request(Fixture.event("app/risky"), attempt: 0, maxAttempts: nil))
        #expect(first.ops.map(\.op) == [.stepError])
        let last = await Fixture.execute(risky, Fixture.request(Fixture.event("app/risky"), attempt: 1, maxAttempts: nil))
        #expect(last.ops.map(\.op) == [.stepFailed])
    }

    @Test func nonRetriableErrorInAStepIsStepFailedAtOnce() async {
        let outcome = await Fixture.execute(Fixture.risky(Counter()) { NonRetriableError("nope") }, Fixture.request(Fixture.event("app/risky")))
        #expect(
            outcome.ops == [
                Opcode(
                    id: Hash.risky, op: .stepFailed, name: "risky", displayName: "risky",
                    error: SerializedError(name: "NonRetriableError", message: "nope"), userland: .init(id: "risky"))
            ])
    }

    @Test func retryAfterErrorInAStepCarriesTheDelay() async {
        let outcome = await Fixture.execute(Fixture.risky(Counter()) { RetryAfterError("slow down", after: .seconds(30)) }, Fixture.request(Fixture.event("app/risky")))
        #expect(outcome.ops.map(\.op) == [.stepError])
        #expect(outcome.ops.first?.retryAt == .delay(.seconds(30)))
        #expect(outcome.ops.first?.error?.name == "RetryAfterError")
    }

    @Test func memoizedStepErrorIsRethrownAndFailsTheRunWithoutRetry() async {
        let counter = Counter()
        let memo: [String: JSONValue] = [Hash.risky: ["error": ["name": "Error", "message": "boom", "stack": "s"]]]
        let outcome = await Fixture.execute(Fixture.risky(counter), Fixture.request(Fixture.event("app/risky"), steps: memo))
        #expect(outcome == .failed(SerializedError(name: "Error", message: "boom", stack: "s"), .nonRetriable))
        #expect(counter["risky"] == 0)
    }

    @Test func caughtMemoizedStepErrorLetsTheFunctionFinish() async {
        let recovering = InngestFunction(.init(id: "risky", trigger: .event("app/risky"))) { (ctx: Context<JSONValue>) -> String in
            do {
                try await ctx.step.run("risky") { () -> Int in throw Boom(message: "boom") }
                return "unreachable"
            } catch let error as StepError {
                return "recovered from \(error.name): \(error.message) in \(error.stepID)"
            }
        }
        let memo: [String: JSONValue] = [Hash.risky: ["error": ["name": "Error", "message": "boom"]]]
        #expect(await Fixture.execute(recovering, Fixture.request(Fixture.event("app/risky"), steps: memo)) == .completed("recovered from Error: boom in risky"))
    }

    enum FunctionError: Sendable, CaseIterable {
        case generic, nonRetriable, retryAfter

        func make() -> any Error {
            switch self {
            case .generic: return Boom(message: "kaput")
            case .nonRetriable: return NonRetriableError("kaput")
            case .retryAfter: return RetryAfterError("slow down", after: .seconds(30))
            }
        }
    }

    @Test(arguments: [
        (0, FunctionError.generic, "Boom", Retriability.retriable(nil)),
        (0, .nonRetriable, "NonRetriableError", .nonRetriable),
        (0, .retryAfter, "RetryAfterError", .retriable(.delay(.seconds(30)))),
        (3, .generic, "Boom", .nonRetriable),
    ])
    func functionLevelErrors(attempt: Int, error: FunctionError, name: String, retriability: Retriability) async {
        let fails = InngestFunction(.init(id: "fails", trigger: .event("app/fails"))) { (_: Context<JSONValue>) in throw error.make() }
        let outcome = await Fixture.execute(fails, Fixture.request(Fixture.event("app/fails"), attempt: attempt, maxAttempts: 4))
        guard case .failed(let serialized, let actual) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(serialized.name == name)
        #expect(actual == retriability)
    }

    @Test func retryAfterADateKeepsTheDate() async {
        let date = Date(timeIntervalSince1970: 1_700_000_060)
        let fails = InngestFunction(.init(id: "fails", trigger: .event("app/fails"))) { (_: Context<JSONValue>) in
            throw RetryAfterError("later", at: date)
        }
        let outcome = await Fixture.execute(fails, Fixture.request(Fixture.event("app/fails")))
        #expect(outcome == .failed(SerializedError(name: "RetryAfterError", message: "later"), .retriable(.date(date))))
    }

    @Test func aStepInsideAnotherStepFailsNamingBoth() async {
        let counter = Counter()
        let nested = InngestFunction(.init(id: "nested", trigger: .event("a"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("outer") {
                try await ctx.step.run("inner") {
                    counter.hit("inner")
                    return 1
                }
            }
        }
        let outcome = await Fixture.execute(nested, Fixture.request(Fixture.event("a")))
        #expect(outcome.ops.map(\.op) == [.stepFailed])
        let message = outcome.ops.first?.error?.message ?? ""
        #expect(message.contains("\"inner\"") && message.contains("\"outer\""))
        #expect(outcome.ops.first?.error?.name == "StepUsageError")
        #expect(counter["inner"] == 0)
    }

    @Test func aStepInsideAChildTaskOfAStepIsAlsoNested() async {
        let nested = InngestFunction(.init(id: "nested", trigger: .event("a"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("outer") { () -> Int in
                async let inner = ctx.step.sleep("inner", "1s")
                try await inner
                return 1
            }
        }
        let outcome = await Fixture.execute(nested, Fixture.request(Fixture.event("a")))
        #expect(outcome.ops.map(\.op) == [.stepFailed])
        #expect(outcome.ops.first?.error?.message.contains("\"inner\" was called inside the body of step \"outer\"") == true)
    }

    @Test func sleepLongerThan366DaysIsRejected() async {
        let sleeper = InngestFunction(.init(id: "s", trigger: .event("a"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.sleep("long", "367d")
        }
        let outcome = await Fixture.execute(sleeper, Fixture.request(Fixture.event("a")))
        guard case .failed(let error, .nonRetriable) = outcome else {
            Issue.record("expected a non-retriable failure, got \(outcome)")
            return
        }
        #expect(error.message.contains("366d"))
    }

    @Test func tooManyStepsIsRejected() async {
        let chatty = InngestFunction(.init(id: "many", trigger: .event("a"))) { (ctx: Context<JSONValue>) in
            for _ in 0..<1_001 { try await ctx.step.run("s") { 1 } }
        }
        var memo: [String: JSONValue] = [:]
        for index in 0..<1_000 { memo[StepIdentity(userID: "s", index: index).hashedID] = ["data": 1] }
        let outcome = await Fixture.execute(chatty, Fixture.request(Fixture.event("a"), steps: memo))
        guard case .failed(let error, .nonRetriable) = outcome else {
            Issue.record("expected a non-retriable failure, got \(outcome)")
            return
        }
        #expect(error.message.contains("limit of 1000 steps"))
    }

    @Test func outputOverFourMebibytesFailsTheStep() async {
        let big = InngestFunction(.init(id: "big", trigger: .event("a"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("big") { String(repeating: "x", count: 4 * 1_024 * 1_024 + 1) }
        }
        let outcome = await Fixture.execute(big, Fixture.request(Fixture.event("a")))
        #expect(outcome.ops.map(\.op) == [.stepFailed])
        #expect(outcome.ops.first?.error?.message.contains("over the limit of 4194304 bytes") == true)
    }

    @Test func recordedResultOfTheWrongTypeIsAClearError() async {
        let counter = Counter()
        let outcome = await Fixture.execute(Fixture.loop(counter), Fixture.request(Fixture.event("app/loop"), steps: [Hash.copy: ["data": "not a number"]]))
        guard case .failed(let error, .nonRetriable) = outcome else {
            Issue.record("expected a non-retriable failure, got \(outcome)")
            return
        }
        #expect(error.message.contains("does not decode as Int"))
    }
}
