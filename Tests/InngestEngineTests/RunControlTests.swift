import Foundation
import Inngest
import InngestTesting
import Synchronization
import Testing

@testable import InngestEngine

/// The inspection and control API the dashboard stands on: pages of runs and events, what
/// parked steps wait for, each failed attempt, rerun (from the start and from a step),
/// invoke by id, bulk cancellation, and the change feed.
@Suite struct RunControlTests {
    @Test func runPagesAreNewestFirstAndCursorsWalkEveryRunOnce() async throws {
        let quick = InngestFunction(.init(id: "quick", trigger: .event("app/quick"))) { (_: Context<JSONValue>) -> Int in 1 }
        let other = InngestFunction(.init(id: "other", trigger: .event("app/other"))) { (_: Context<JSONValue>) -> Int in 2 }
        let harness = try await Harness([quick, other])
        var sent: [String] = []
        for index in 0..<25 {
            sent += try await harness.engine.send([AnyEvent(name: index % 5 == 0 ? "app/other" : "app/quick", data: ["n": .integer(Int64(index))])])
            await harness.advance(by: .milliseconds(10))
        }
        await harness.engine.settle()

        var seen: [RunSummary] = []
        var cursor: String?
        repeat {
            let page = try await harness.engine.runs(matching: RunFilter(), after: cursor, limit: 7)
            #expect(page.items.count <= 7)
            seen += page.items
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen.count == 25)
        #expect(Set(seen.map(\.id)).count == 25)
        // Newest first: creation times never increase along the pages.
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.createdAt >= $1.createdAt })
        #expect(seen.first?.eventID == sent.last)

        let others = try await harness.engine.runs(matching: RunFilter(functionIDs: ["other"]), limit: 50)
        #expect(others.items.count == 5)
        #expect(others.items.allSatisfy { $0.functionID == "other" })
        #expect(others.nextCursor == nil)

        let byEvent = try await harness.engine.runs(matching: RunFilter(eventName: "app/other"), limit: 50)
        #expect(byEvent.items.map(\.id) == others.items.map(\.id))

        let completed = try await harness.engine.runs(matching: RunFilter(statuses: [.completed]), limit: 50)
        #expect(completed.items.count == 25)
        #expect(try await harness.engine.runs(matching: RunFilter(statuses: [.failed, .waiting]), limit: 50).items.isEmpty)

        // A time range: the runs made in [10th, 20th).
        let ordered = seen.reversed().map { $0 }
        let range = RunFilter(createdAfter: ordered[10].createdAt, createdBefore: ordered[20].createdAt)
        let inRange = try await harness.engine.runs(matching: range, limit: 50)
        #expect(Set(inRange.items.map(\.id)) == Set(ordered[10..<20].map(\.id)))

        await #expect(throws: InvalidCursor.self) { try await harness.engine.runs(matching: RunFilter(), after: "not-a-cursor") }
    }

    @Test func eventPagesWalkEveryEventAndNameTheRunsEachStarted() async throws {
        let quick = InngestFunction(.init(id: "quick", trigger: .event("app/quick"))) { (_: Context<JSONValue>) -> Int in 1 }
        let harness = try await Harness([quick])
        var sent: [String] = []
        for _ in 0..<12 { sent += try await harness.engine.send([AnyEvent(name: "app/quick")]) }
        await harness.engine.settle()
        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try await harness.engine.events(named: "app/quick", after: cursor, limit: 5)
            seen += page.items.map(\.internalID)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen == sent.reversed())
        let runs = try await harness.engine.runs(startedByEvents: Array(sent.prefix(3)))
        #expect(runs.count == 3)
        #expect(runs.values.allSatisfy { $0.count == 1 && $0[0].functionID == "quick" })
        #expect(try await harness.engine.event(id: sent[0])?.event.name == "app/quick")
        #expect(try await harness.engine.event(id: "nope") == nil)
        await #expect(throws: InvalidCursor.self) { try await harness.engine.events(after: "12.x") }
    }

    @Test func stepsRecordWhatTheyWaitedForAndEveryFailedAttempt() async throws {
        let child = InngestFunction(.init(id: "child", trigger: .event("app/child"))) { (_: Context<JSONValue>) -> Int in 7 }
        let failures = Mutex(0)
        let parent = InngestFunction(.init(id: "parent", trigger: .event("app/parent"), retries: 3)) { (ctx: Context<JSONValue>) -> Int in
            try await ctx.step.run("flaky") {
                let failed = failures.withLock { count in
                    count += 1
                    return count
                }
                if failed <= 2 { throw Flaky() }
            }
            try await ctx.step.sleep("nap", "1h")
            _ = try await ctx.step.waitForEvent("approval", event: "app/approved", timeout: "2h", if: "async.data.ok == true")
            return try await ctx.step.invoke("call-child", function: FunctionReference<JSONValue, Int>(id: "child"), data: [:])
        }
        let harness = try await Harness([parent, child])
        try await harness.engine.send([AnyEvent(name: "app/parent")])
        let start = harness.clock.now()
        await harness.advance(by: .seconds(40))
        await harness.advance(by: .seconds(3_600))
        try await harness.engine.send([AnyEvent(name: "app/approved", data: ["ok": true])])
        await harness.engine.settle()
        await harness.advance(by: .seconds(1))

        let run = try await harness.onlyRun(of: "parent")
        #expect(run.run.status == .completed)
        #expect(run.run.output == 7)
        let steps = Dictionary(uniqueKeysWithValues: run.steps.map { ($0.userID, $0) })
        let flaky = try #require(steps["flaky"])
        #expect(flaky.attempts == 3)
        #expect(flaky.failedAttempts.map(\.number) == [1, 2])
        #expect(flaky.failedAttempts.allSatisfy { $0.error.message == "flaky" })
        let nap = try #require(steps["nap"])
        #expect(nap.detail?.until.map { $0.timeIntervalSince(start) }.map { $0 >= 3_600 && $0 < 3_700 } == true)
        let approval = try #require(steps["approval"])
        #expect(approval.detail?.event == "app/approved")
        #expect(approval.detail?.condition == "async.data.ok == true")
        #expect(approval.detail?.until != nil)
        let call = try #require(steps["call-child"])
        let childRunID = try #require(call.detail?.runID)
        #expect(call.detail?.function == "test-app-child")
        let childRun = try #require(try await harness.engine.run(id: childRunID))
        #expect(childRun.run.functionID == "child")
        #expect(childRun.run.parentRunID == run.run.id)
        #expect(run.events.map(\.name) == ["app/parent"])
    }

    @Test func rerunFromAStepReusesTheStepsBeforeItAndRunsTheRest() async throws {
        let bodies = Mutex<[String]>([])
        let pipeline = InngestFunction(.init(id: "pipeline", trigger: .event("app/go"))) { (ctx: Context<JSONValue>) -> String in
            var out = ""
            for name in ["a", "b", "c"] {
                out += try await ctx.step.run(name) {
                    bodies.withLock { $0.append(name) }
                    return name
                }
            }
            return out
        }
        let harness = try await Harness([pipeline])
        try await harness.engine.send([AnyEvent(name: "app/go", data: ["k": "v"])])
        await harness.engine.settle()
        let original = try await harness.onlyRun(of: "pipeline")
        #expect(bodies.withLock { $0 } == ["a", "b", "c"])

        let fromB = try await harness.engine.rerun(original.run.id, fromStep: StepIdentity.hash("b"))
        await harness.engine.settle()
        #expect(bodies.withLock { $0 } == ["a", "b", "c", "b", "c"], "step a is reused, b and c run again")
        let rerun = try #require(try await harness.engine.run(id: fromB))
        #expect(rerun.run.status == .completed)
        #expect(rerun.run.output == "abc")
        #expect(rerun.run.rerunOf == original.run.id)
        #expect(rerun.events.first?.data["k"] == "v")
        #expect(rerun.steps.map(\.userID) == ["a", "b", "c"])

        let fromStart = try await harness.engine.rerun(original.run.id)
        await harness.engine.settle()
        #expect(bodies.withLock { $0.count } == 8)
        #expect(try await harness.engine.run(id: fromStart)?.run.output == "abc")

        await #expect(throws: EngineError.unknownStep(runID: original.run.id, hashedID: "nope")) {
            try await harness.engine.rerun(original.run.id, fromStep: "nope")
        }
        await #expect(throws: EngineError.unknownRun("missing")) { try await harness.engine.rerun("missing") }
    }

    @Test func invokeByIdStartsARunWithTheData() async throws {
        let square = InngestFunction(.init(id: "square", trigger: .event("app/never"))) { (ctx: Context<SquareInput>) -> Int in
            ctx.event.data.number * ctx.event.data.number
        }
        let harness = try await Harness([square])
        let runID = try await harness.engine.invoke("test-app-square", data: ["number": 9])
        await harness.engine.settle()
        let run = try #require(try await harness.engine.run(id: runID))
        #expect(run.run.status == .completed)
        #expect(run.run.output == 81)
        #expect(run.events.first?.name == "inngest/function.invoked")
        // By the function's own id, too.
        let second = try await harness.engine.invoke("square", data: ["number": 3])
        await harness.engine.settle()
        #expect(try await harness.engine.run(id: second)?.run.output == 9)
        await #expect(throws: EngineError.unknownFunction("nope")) { try await harness.engine.invoke("nope") }
        await #expect(throws: InvalidEvent.self) { try await harness.engine.invoke("square", data: [1, 2]) }
    }

    @Test func bulkCancellationEndsTheLiveRunsThatMatchAndOnlyThose() async throws {
        let sleeper = InngestFunction(.init(id: "sleeper", trigger: .event("app/sleep"))) { (ctx: Context<JSONValue>) -> Int in
            try await ctx.step.sleep("long", "1d")
            return 1
        }
        let harness = try await Harness([sleeper])
        for user in ["u1", "u2", "u1", "u3"] { try await harness.engine.send([AnyEvent(name: "app/sleep", data: ["user": .string(user)])]) }
        await harness.engine.settle()
        let cancelled = try await harness.engine.cancelRuns(matching: RunFilter(functionIDs: ["sleeper"]), condition: "event.data.user == 'u1'")
        #expect(cancelled.count == 2)
        let runs = try await harness.engine.runs(function: "sleeper")
        #expect(runs.filter { $0.status == .cancelled }.map(\.id).sorted() == cancelled.sorted())
        #expect(runs.filter { $0.status == .waiting }.count == 2)
        // Nothing matches twice: cancelled runs are not live.
        #expect(try await harness.engine.cancelRuns(matching: RunFilter(), condition: "event.data.user == 'u1'").isEmpty)
        await #expect(throws: EngineError.self) { try await harness.engine.cancelRuns(matching: RunFilter(), condition: "event.data.user ==") }
        #expect(try await harness.engine.cancelRuns(matching: RunFilter()).count == 2)
    }

    @Test func theChangeFeedTellsOfCommitsAndOfEveryRunThatEnds() async throws {
        let quick = InngestFunction(.init(id: "quick", trigger: .event("app/quick"))) { (_: Context<JSONValue>) -> Int in 1 }
        let harness = try await Harness([quick])
        let commits = harness.engine.changes.commits()
        let ended = harness.engine.changes.endedRuns()
        let ids = try await harness.engine.send([AnyEvent(name: "app/quick"), AnyEvent(name: "app/quick")])
        await harness.engine.settle()
        var commitIterator = commits.makeAsyncIterator()
        #expect(await commitIterator.next() != nil)
        var endedIterator = ended.makeAsyncIterator()
        var endings: [ChangeFeed.EndedRun] = []
        for _ in 0..<2 { if let run = await endedIterator.next() { endings.append(run) } }
        let runs = try await harness.engine.runs(startedByEvents: ids).values.flatMap { $0 }
        #expect(Set(endings.map(\.runID)) == Set(runs.map(\.id)))
        #expect(endings.allSatisfy { $0.status == .completed && $0.functionID == "quick" })

        // The engine stops: every stream ends, and one asked for afterwards is already ended.
        await harness.engine.shutdown()
        while await endedIterator.next() != nil {}
        var late = harness.engine.changes.commits().makeAsyncIterator()
        #expect(await late.next() == nil)
    }
}
