import Foundation
import HTTPTypes
import InMemoryTracing
import Inngest
import InngestEngine
import Testing
import Tracing

/// One trace from an event API request through the engine's run of a served app's function to
/// the app's own spans: the trace context crosses both HTTP hops as the tracer propagates it.
@Suite struct DevServerTracingTests {
    @Test func anEventsTraceContinuesThroughTheEnginesRunIntoTheServedApp() async throws {
        let tracer = InMemoryTracer()
        let dev = try await DevHarness(tracer: tracer)
        let function = InngestFunction(.init(id: "greet", trigger: .event("app/greet"))) { (ctx: Context<JSONValue>) -> String in
            try await ctx.step.run("compose") { "hello" }
        }
        try await dev.serve("swift-app", [function], tracer: tracer)
        let request = tracer.startSpan("client request", context: .topLevel, ofKind: .client)
        var headers = HTTPFields()
        tracer.inject(request.context, into: &headers, using: FieldsInjector())
        let eventID = try await dev.send([["name": "app/greet", "data": [:]]], headers: headers)[0]
        request.end()
        await dev.advance(by: .seconds(1))
        #expect(try await dev.run(startedBy: eventID).run.status == .completed)

        let spans = tracer.finishedSpans
        let engineRuns = spans.filter { $0.operationName == "inngest.run swift-app-greet" }
        #expect(!engineRuns.isEmpty, "the engine's run of the remote function: \(spans.map(\.operationName))")
        #expect(engineRuns.allSatisfy { $0.traceID == request.traceID && $0.parentSpanID == request.spanID })
        let appCalls = spans.filter { $0.operationName == "inngest.run greet" }
        #expect(appCalls.count == 1, "one call: the step runs, is checkpointed, and the function completes in it")
        for call in appCalls {
            #expect(call.traceID == request.traceID)
            #expect(engineRuns.contains { $0.spanID == call.parentSpanID }, "each call continues the engine's run span")
        }
        let step = try #require(spans.first { $0.operationName == "inngest.step compose" })
        #expect(appCalls.contains { $0.spanID == step.parentSpanID })
        #expect(step.traceID == request.traceID)
    }

    @Test func onlyTheTracersOwnFieldsAreStoredWithTheRun() async throws {
        let tracer = InMemoryTracer()
        let dev = try await DevHarness(tracer: tracer)
        let function = InngestFunction(.init(id: "quiet", trigger: .event("app/quiet"))) { (_: Context<JSONValue>) in }
        try await dev.serve("swift-app", [function])
        let request = tracer.startSpan("client request", context: .topLevel)
        var headers: HTTPFields = [.authorization: "Bearer secret-token"]
        tracer.inject(request.context, into: &headers, using: FieldsInjector())
        let eventID = try await dev.send([["name": "app/quiet", "data": [:]]], headers: headers)[0]
        await dev.advance(by: .seconds(1))
        let runID = try await dev.run(startedBy: eventID).run.id
        let stored = try #require(try await EngineReader(databasePath: dev.directory.appendingPathComponent("dev.sqlite").path).run(id: runID))
        #expect(stored.traceContext == [InMemoryTracer.traceIDKey: request.traceID, InMemoryTracer.spanIDKey: request.spanID])
    }
}

private struct FieldsInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout HTTPFields) {
        if let name = HTTPField.Name(key) { carrier[name] = value }
    }
}
