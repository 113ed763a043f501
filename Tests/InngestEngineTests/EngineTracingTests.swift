import Foundation
import InMemoryTracing
import Inngest
import InngestTesting
import Synchronization
import Testing
import Tracing

@testable import InngestEngine

/// Spans of runs and step attempts on the embedded engine, read from swift-distributed-tracing's
/// in-memory tracer (given to the engine: no global bootstrap).
@Suite struct EngineTracingTests {
    @Test func aRunAndEachStepAttemptAreSpansWithTheirIdsAttemptsAndOutcomes() async throws {
        let tracer = InMemoryTracer()
        let attempts = Atomic<Int>(0)
        let flaky = InngestFunction(.init(id: "flaky", trigger: .event("go"))) { (ctx: Context<JSONValue>) -> String in
            let value: String = try await ctx.step.run("work") {
                if attempts.add(1, ordering: .relaxed).oldValue == 0 { throw Flaky() }
                return "done"
            }
            try await ctx.step.run("after") { "x" }
            return value
        }
        let harness = try await Harness([flaky], tracer: tracer)
        try await harness.engine.send(AnyEvent(name: "go"))
        await harness.advance(by: .seconds(60))
        let run = try await harness.onlyRun(of: "flaky").run
        #expect(run.status == .completed)

        let spans = tracer.finishedSpans
        let runSpan = try #require(spans.first { $0.operationName == "inngest.run flaky" })
        #expect(runSpan.attributes.get("inngest.run.id") == .string(run.id))
        #expect(runSpan.attributes.get("inngest.function.id") == .string("flaky"))
        #expect(runSpan.attributes.get("inngest.run.outcome") == .string("completed"))
        #expect(runSpan.kind == .consumer)

        let steps = spans.filter { $0.operationName.hasPrefix("inngest.step ") }
        #expect(steps.map(\.operationName) == ["inngest.step work", "inngest.step work", "inngest.step after"])
        #expect(steps.map { $0.attributes.get("inngest.step.attempt") } == [.int64(0), .int64(1), .int64(0)])
        #expect(steps.map { $0.attributes.get("inngest.step.outcome") } == [.string("retrying"), .string("completed"), .string("completed")])
        #expect(steps[0].status?.code == .error)
        #expect(steps[0].attributes.get("inngest.step.hashed_id") == .string(StepIdentity(userID: "work", index: 0).hashedID))
        for step in steps {
            #expect(step.traceID == runSpan.traceID)
            #expect(step.parentSpanID == runSpan.spanID, "each attempt is a child of the run's span")
            #expect(step.attributes.get("inngest.run.id") == .string(run.id))
            #expect(step.attributes.get("inngest.step.kind") == .string("run"))
        }
    }

    @Test func runsContinueTheTraceOfTheSendAndInvokedRunsThatOfTheirParent() async throws {
        let tracer = InMemoryTracer()
        let child = InngestFunction(.init(id: "child", trigger: .event("child"))) { (ctx: Context<JSONValue>) -> Int in
            try await ctx.step.run("compute") { 42 }
        }
        let parent = InngestFunction(.init(id: "parent", trigger: .event("go"))) { (ctx: Context<JSONValue>) -> Int in
            try await ctx.step.invoke("call-child", function: FunctionReference<JSONValue, Int>(id: "child"), data: [:])
        }
        let harness = try await Harness([child, parent], tracer: tracer)
        let request = tracer.startSpan("POST /orders", context: .topLevel, ofKind: .server)
        try await ServiceContext.withValue(request.context) {
            _ = try await harness.engine.send(AnyEvent(name: "go"))
        }
        request.end()
        await harness.advance(by: .seconds(1))
        #expect(try await harness.onlyRun(of: "parent").run.status == .completed)

        let spans = tracer.finishedSpans
        let parentRuns = spans.filter { $0.operationName == "inngest.run parent" }
        #expect(!parentRuns.isEmpty)
        for span in parentRuns {
            #expect(span.traceID == request.traceID, "the run continues the sender's trace")
            #expect(span.parentSpanID == request.spanID)
        }
        let childRun = try #require(spans.first { $0.operationName == "inngest.run child" })
        #expect(childRun.traceID == request.traceID, "the invoked run joins the same trace")
        #expect(parentRuns.contains { $0.spanID == childRun.parentSpanID }, "its parent is the invoking run's span")
        let childStep = try #require(spans.first { $0.operationName == "inngest.step compute" })
        #expect(childStep.parentSpanID == childRun.spanID)
    }

    @Test func aRunStartedOutsideAnyTraceStartsItsOwn() async throws {
        let tracer = InMemoryTracer()
        let function = InngestFunction(.init(id: "alone", trigger: .event("go"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.run("one") {}
        }
        let harness = try await Harness([function], tracer: tracer)
        try await harness.engine.send(AnyEvent(name: "go"))
        await harness.advance(by: .seconds(1))
        let runSpan = try #require(tracer.finishedSpans.first { $0.operationName == "inngest.run alone" })
        #expect(runSpan.parentSpanID == nil)
        #expect(tracer.performedContextInjections.isEmpty, "nothing to carry without a current context")
    }

    @Test func theTraceContextOfAQueuedRunSurvivesARestart() async throws {
        let tracer = InMemoryTracer()
        let clock = TestClock()
        let function = InngestFunction(.init(id: "later", trigger: .event("go"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.sleep("nap", "1h")
            try await ctx.step.run("wake") {}
        }
        let first = try await Harness([function], clock: clock, tracer: tracer)
        let request = tracer.startSpan("request", context: .topLevel)
        try await ServiceContext.withValue(request.context) {
            _ = try await first.engine.send(AnyEvent(name: "go"))
        }
        request.end()
        await first.advance(by: .seconds(1))
        await first.engine.shutdown()
        let second = try await Harness([function], clock: clock, directory: first.directory, tracer: tracer)
        await second.advance(by: .seconds(3_700))
        #expect(try await second.onlyRun(of: "later").run.status == .completed)
        let runSpans = tracer.finishedSpans.filter { $0.operationName == "inngest.run later" }
        #expect(runSpans.count == 2, "one execution per engine")
        #expect(runSpans.allSatisfy { $0.traceID == request.traceID && $0.parentSpanID == request.spanID })
        #expect(runSpans.map { $0.attributes.get("inngest.run.outcome") } == [.string("stopped"), .string("completed")])
    }
}
