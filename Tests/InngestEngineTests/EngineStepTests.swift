import Foundation
import Inngest
import Synchronization
import Testing

@testable import InngestEngine

struct UserSignedUp: EventPayload {
    static let eventName = "app/user.signup"
    var userID: String
}
struct PostCreated: EventPayload {
    static let eventName = "app/post.created"
    var userID: String
}
struct SquareInput: Codable, Sendable { var number: Int }
struct SquareOutput: Codable, Sendable, Equatable { var result: Int }

@Suite struct EngineStepTests {
    @Test func stepsRunOnceAndAreRecorded() async throws {
        let counter = Mutex(0)
        let twoSteps = InngestFunction(.init(id: "two-steps", trigger: .event("app/go"))) { (ctx: Context<JSONValue>) -> Int in
            let a = try await ctx.step.run("one") {
                counter.withLock { $0 += 1 }
                return 1
            }
            let b = try await ctx.step.run("two") {
                counter.withLock { $0 += 1 }
                return 2
            }
            return a + b
        }
        let harness = try await Harness([twoSteps])
        let ids = try await harness.engine.send([AnyEvent(name: "app/go")])
        await harness.engine.settle()
        let detail = try await harness.onlyRun(of: "two-steps")
        #expect(detail.run.status == .completed)
        #expect(detail.run.output == 3)
        #expect(detail.run.eventID == ids[0])
        #expect(detail.steps.map(\.userID) == ["one", "two"])
        #expect(detail.steps.map(\.output) == [1, 2])
        #expect(detail.steps.map(\.attempts) == [1, 1])
        #expect(detail.steps.map(\.hashedID) == [StepIdentity.hash("one"), StepIdentity.hash("two")])
        #expect(counter.withLock { $0 } == 2)
        // Inngest's lifecycle event was emitted with the result.
        let finished = try await harness.engine.events(named: "inngest/function.finished")
        #expect(finished.first?.event.data["result"] == 3)
        #expect(finished.first?.event.data["function_id"] == "test-app-two-steps")
    }

    @Test func sleepParksTheRunUntilTheClockPasses() async throws {
        let napper = InngestFunction(.init(id: "nap", trigger: .event("app/nap"))) { (ctx: Context<JSONValue>) -> String in
            try await ctx.step.sleep("nap", "24h")
            return "awake"
        }
        let harness = try await Harness([napper])
        try await harness.engine.send([AnyEvent(name: "app/nap")])
        await harness.engine.settle()
        #expect(try await harness.onlyRun(of: "nap").run.status == .waiting)
        await harness.advance(by: .seconds(86_399))
        #expect(try await harness.onlyRun(of: "nap").run.status == .waiting)
        await harness.advance(by: .seconds(1))
        let detail = try await harness.onlyRun(of: "nap")
        #expect(detail.run.status == .completed)
        #expect(detail.run.output == "awake")
        #expect(detail.steps.first?.kind == .sleep)
    }

    @Test func stepsAreListedInTheOrderTheyFinishedAcrossTimersRestartsAndRetries() async throws {
        let failures = Mutex(0)
        let ordered = InngestFunction(.init(id: "ordered", trigger: .event("app/order"))) { (ctx: Context<JSONValue>) -> String in
            try await ctx.step.run("z-first") { "first" }
            try await ctx.step.sleep("m-nap", "1h")
            try await ctx.step.run("a-flaky") {
                if failures.withLock({
                    $0 += 1
                    return $0
                }) == 1 {
                    throw Flaky()
                }
                return "third"
            }
            try await ctx.step.run("k-last") { "last" }
            return "done"
        }
        let first = try await Harness([ordered])
        try await first.engine.send([AnyEvent(name: "app/order")])
        await first.engine.settle()
        await first.engine.shutdown()
        // A new engine on the same file: the sleep is finished by its timer, the rest by a replay.
        let second = try await Harness([ordered], clock: first.clock, directory: first.directory)
        await second.advance(by: .seconds(3_600 + 60))
        let detail = try await second.onlyRun(of: "ordered")
        #expect(detail.run.status == .completed)
        #expect(detail.steps.map(\.userID) == ["z-first", "m-nap", "a-flaky", "k-last"])
        #expect(detail.steps.map(\.attempts) == [1, 0, 2, 1])
    }

    static let activation = InngestFunction(.init(id: "activation-email", trigger: .event(UserSignedUp.self))) { (ctx: Context<UserSignedUp>) -> String in
        try await ctx.step.run("send-welcome-email") { "welcome sent to \(ctx.event.data.userID)" }
        let post = try await ctx.step.waitForEvent("wait-for-post", event: PostCreated.self, timeout: "24h", match: "data.userID")
        if post == nil {
            try await ctx.step.run("send-reminder") { "reminder sent" }
            return "reminded"
        }
        return "active"
    }

    @Test func waitForEventMatchesOnlyTheSameUser() async throws {
        let harness = try await Harness([Self.activation])
        try await harness.engine.send(Event(UserSignedUp(userID: "u1")))
        await harness.engine.settle()
        try await harness.engine.send(Event(PostCreated(userID: "someone-else")))
        await harness.engine.settle()
        #expect(try await harness.onlyRun(of: "activation-email").run.status == .waiting)
        try await harness.engine.send(Event(PostCreated(userID: "u1")))
        await harness.engine.settle()
        let detail = try await harness.onlyRun(of: "activation-email")
        #expect(detail.run.output == "active")
        #expect(detail.steps.last?.output?["data"]?["userID"] == "u1")
    }

    @Test func waitForEventTimesOutToNil() async throws {
        let harness = try await Harness([Self.activation])
        try await harness.engine.send(Event(UserSignedUp(userID: "u2")))
        await harness.advance(by: .seconds(86_400))
        let detail = try await harness.onlyRun(of: "activation-email")
        #expect(detail.run.output == "reminded")
        #expect(detail.steps.map(\.userID) == ["send-welcome-email", "wait-for-post", "send-reminder"])
    }

    @Test func invokeReturnsTheInvokedFunctionsTypedResult() async throws {
        let square = InngestFunction(.init(id: "compute-square")) { (ctx: Context<SquareInput>) -> SquareOutput in
            SquareOutput(result: ctx.event.data.number * ctx.event.data.number)
        }
        let computeSquare = FunctionReference<SquareInput, SquareOutput>(id: "compute-square")
        let main = InngestFunction(.init(id: "main-function", trigger: .event("main/go"))) { (ctx: Context<JSONValue>) -> String in
            let square = try await ctx.step.invoke("compute-square-value", function: computeSquare, data: SquareInput(number: 4))
            return "Square of 4 is \(square.result)."
        }
        let harness = try await Harness([square, main])
        try await harness.engine.send([AnyEvent(name: "main/go")])
        await harness.engine.settle()
        #expect(try await harness.onlyRun(of: "main-function").run.output == "Square of 4 is 16.")
        let child = try await harness.onlyRun(of: "compute-square")
        #expect(child.run.status == .completed)
        #expect(child.run.output == ["result": 16])
    }

    @Test func invokingAnUnknownFunctionFailsTheStepNamingIt() async throws {
        let missing = FunctionReference<SquareInput, SquareOutput>(id: "does-not-exist")
        let caller = InngestFunction(.init(id: "caller", trigger: .event("go"))) { (ctx: Context<JSONValue>) -> String in
            do {
                _ = try await ctx.step.invoke("call", function: missing, data: SquareInput(number: 1))
                return "unexpected"
            } catch let error as NonRetriableError {
                return error.message
            }
        }
        let harness = try await Harness([caller])
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.engine.settle()
        let output = try await harness.onlyRun(of: "caller").run.output?.stringValue ?? ""
        #expect(output.contains("test-app-does-not-exist"))
    }

    @Test func invokeTimesOutWithInngestsError() async throws {
        let slow = InngestFunction(.init(id: "slow")) { (ctx: Context<SquareInput>) -> SquareOutput in
            try await ctx.step.sleep("long", "2h")
            return SquareOutput(result: 0)
        }
        let caller = InngestFunction(.init(id: "caller", trigger: .event("go"))) { (ctx: Context<JSONValue>) -> String in
            do {
                _ = try await ctx.step.invoke("call", function: FunctionReference<SquareInput, SquareOutput>(id: "slow"), data: SquareInput(number: 1), timeout: "1h")
                return "unexpected"
            } catch let error as NonRetriableError {
                return error.message
            }
        }
        let harness = try await Harness([slow, caller])
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.advance(by: .seconds(3_600))
        #expect(try await harness.onlyRun(of: "caller").run.output == "Timed out waiting for invoked function to complete")
    }

    @Test func sendEventFansOutDurablyAndOnlyOnce() async throws {
        let counter = Mutex(0)
        let fanOut = InngestFunction(.init(id: "fan-out", trigger: .event("batch/start"))) { (ctx: Context<JSONValue>) -> [String] in
            try await ctx.step.sendEvent("send-items", (0..<3).map { AnyEvent(name: "batch/item", data: ["n": .integer(Int64($0))]) })
        }
        let item = InngestFunction(.init(id: "item", trigger: .event("batch/item"))) { (ctx: Context<JSONValue>) in
            counter.withLock { $0 += 1 }
        }
        let harness = try await Harness([fanOut, item])
        try await harness.engine.send([AnyEvent(name: "batch/start")])
        await harness.engine.settle()
        #expect(try await harness.engine.runs(function: "item").count == 3)
        #expect(counter.withLock { $0 } == 3)
        let ids = try await harness.onlyRun(of: "fan-out").run.output?.arrayValue ?? []
        #expect(ids.count == 3)
    }
}

@Suite struct EngineSendInStepTests {
    @Test func severalSendsInOneStepBodyAreAllDeliveredAndARetryDoesNotResend() async throws {
        let attempts = Mutex(0)
        let received = Mutex(0)
        let engineBox = Mutex<Engine?>(nil)
        let sender = InngestFunction(.init(id: "sender", trigger: .event("go"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("notify") {
                let engine = try #require(engineBox.withLock { $0 })
                try await engine.send([AnyEvent(name: "note", data: ["n": 1])])
                try await engine.send([AnyEvent(name: "note", data: ["n": 2])])
                if attempts.withLock({
                    $0 += 1
                    return $0
                }) == 1 {
                    throw Flaky()
                }
            }
        }
        let note = InngestFunction(.init(id: "note", trigger: .event("note"))) { (_: Context<JSONValue>) in received.withLock { $0 += 1 } }
        let harness = try await Harness([sender, note])
        engineBox.withLock { $0 = harness.engine }
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.advance(by: .seconds(60))
        #expect(attempts.withLock { $0 } == 2)
        #expect(try await harness.onlyRun(of: "sender").run.status == .completed)
        // Both sends arrived once; the retried body's identical sends were recognised.
        #expect(received.withLock { $0 } == 2)
    }
}

@Suite struct EngineSettleTests {
    @Test func settleWaitsForAStepBodyAwaitingRealWork() async throws {
        let slow = InngestFunction(.init(id: "slow", trigger: .event("go"))) { (ctx: Context<JSONValue>) -> String in
            try await ctx.step.run("io") { () -> String in
                try await Task.sleep(for: .milliseconds(50))
                return "done"
            }
        }
        let harness = try await Harness([slow])
        try await harness.engine.send([AnyEvent(name: "go")])
        await harness.engine.settle()
        #expect(try await harness.onlyRun(of: "slow").run.output == "done")
    }
}
