import Crypto
import Foundation
import HTTPTypes
import InMemoryTracing
import Synchronization
import Testing
import Tracing

@testable import Inngest

/// Middleware, the payload codec and tracing in served mode: the wire protocol, one call per
/// step, replaying the recorded steps.
@Suite struct ServedMiddlewareTests {
    final class Log: InngestMiddleware {
        let entries = Mutex<[String]>([])
        private func note(_ entry: String) { entries.withLock { $0.append(entry) } }
        func onRunStart(_ run: RunInfo) async { note("start") }
        func wrapStep(_ step: StepInfo, next: @Sendable () async throws -> JSONValue) async throws -> JSONValue {
            note("wrap \(step.id) attempt \(step.attempt)")
            return try await next()
        }
        func transformStepOutput(_ output: JSONValue, of step: StepInfo) async throws -> JSONValue {
            note("output \(step.id)")
            return output
        }
        func onRunComplete(_ run: RunInfo, output: JSONValue) async { note("complete") }
        func onRunError(_ run: RunInfo, error: any Error, isFinalAttempt: Bool) async { note("error final=\(isFinalAttempt)") }
    }

    static let twoSteps = InngestFunction(.init(id: "two", trigger: .event("app/go"))) { (ctx: Context<JSONValue>) -> String in
        let first: String = try await ctx.step.run("first") { "secret-one" }
        let second: String = try await ctx.step.run("second") { "\(first)+two" }
        return second
    }

    static let hashFirst = StepIdentity(userID: "first", index: 0).hashedID
    static let hashSecond = StepIdentity(userID: "second", index: 0).hashedID

    @Test func hooksFollowTheRunAcrossCallsAndStartOnlyOnTheFirst() async throws {
        let log = Log()
        let executor = Executor(appID: Fixture.appID, middleware: [log])
        let event = Fixture.event("app/go")
        let call1 = await executor.execute(Self.twoSteps, Fixture.request(event))
        let op1 = try #require(call1.ops.first)
        let call2 = await executor.execute(Self.twoSteps, Fixture.request(event, steps: [Self.hashFirst: ["data": try #require(op1.data)]]))
        let op2 = try #require(call2.ops.first)
        let call3 = await executor.execute(
            Self.twoSteps,
            Fixture.request(event, steps: [Self.hashFirst: ["data": try #require(op1.data)], Self.hashSecond: ["data": try #require(op2.data)]]))
        #expect(call3 == .completed("secret-one+two"))
        #expect(
            log.entries.withLock { $0 } == [
                "start", "wrap first attempt 0", "output first", "wrap second attempt 0", "output first", "output second", "complete",
            ])
    }

    @Test func aThrowingHandlerReportsWhetherTheAttemptIsTheLast() async throws {
        let log = Log()
        let executor = Executor(appID: Fixture.appID, middleware: [log])
        let failing = InngestFunction(.init(id: "f", trigger: .event("app/go"))) { (_: Context<JSONValue>) -> String in throw Flaky() }
        _ = await executor.execute(failing, Fixture.request(Fixture.event("app/go"), attempt: 0, maxAttempts: 2))
        _ = await executor.execute(failing, Fixture.request(Fixture.event("app/go"), attempt: 1, maxAttempts: 2))
        #expect(log.entries.withLock { $0 } == ["start", "error final=false", "error final=true"])
    }

    @Test func theCodecSendsCiphertextToTheServerAndTheHandlerReadsClearText() async throws {
        let codec = try AESGCMPayloadCodec(current: .init(id: "k1", key: SymmetricKey(size: .bits256)))
        let executor = Executor(appID: Fixture.appID, middleware: [PayloadCodecMiddleware(codec: codec)])
        let clearEvent = Fixture.event("app/go", ["card": "4111"])
        var encryptedEvent = clearEvent
        encryptedEvent.data = try codec.encode(clearEvent.data)
        let call1 = await executor.execute(Self.twoSteps, Fixture.request(encryptedEvent))
        let stored1 = try #require(call1.ops.first?.data)
        #expect(!(try JSONText.write(stored1)).contains("secret-one"), "the op carries ciphertext")
        #expect(try codec.decode(stored1) == "secret-one")
        let call2 = await executor.execute(Self.twoSteps, Fixture.request(encryptedEvent, steps: [Self.hashFirst: ["data": stored1]]))
        let stored2 = try #require(call2.ops.first?.data)
        #expect(try codec.decode(stored2) == "secret-one+two", "the second body saw the first output in clear")
        let call3 = await executor.execute(
            Self.twoSteps, Fixture.request(encryptedEvent, steps: [Self.hashFirst: ["data": stored1], Self.hashSecond: ["data": stored2]]))
        guard case .completed(let output) = call3 else {
            Issue.record("expected completion, got \(call3)")
            return
        }
        #expect(try codec.decode(output) == "secret-one+two", "the run's output is sent encoded")
    }

    @Test func aStepOutputTheCodecCannotReadFailsTheRunNamingTheStep() async throws {
        let codec = try AESGCMPayloadCodec(current: .init(id: "new", key: SymmetricKey(size: .bits256)))
        let lost = try AESGCMPayloadCodec(current: .init(id: "lost", key: SymmetricKey(size: .bits256)))
        let executor = Executor(appID: Fixture.appID, middleware: [PayloadCodecMiddleware(codec: codec)])
        let outcome = await executor.execute(
            Self.twoSteps, Fixture.request(Fixture.event("app/go"), steps: [Self.hashFirst: ["data": try lost.encode("secret-one")]]))
        guard case .failed(let error, .nonRetriable) = outcome else {
            Issue.record("expected a non-retriable failure, got \(outcome)")
            return
        }
        #expect(error.message.contains("step \"first\""), "\(error.message)")
        #expect(error.message.contains("\"lost\""), "\(error.message)")
    }

    @Test func aServedCallContinuesTheServersTraceAndSendsCarryIt() async throws {
        let tracer = InMemoryTracer()
        let transport = RecordingTransport { _ in HTTPResponseMessage(status: 200, body: Array(#"{"ids":["e1"],"status":200}"#.utf8)) }
        let client = InngestClient(configuration: ServeFixture.devConfiguration(), transport: transport, tracer: tracer)
        let sending = InngestFunction(.init(id: "sends", trigger: .event("app/go"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.sendEvent("notify", Event(name: "app/notified", data: JSONValue.object([:])))
        }
        let handler = InngestServeHandler(client: client, functions: [sending])
        // The trace context as the tracer's propagation writes it (W3C `traceparent` with OpenTelemetry).
        let server = tracer.startSpan("inngest.server", context: .topLevel)
        var headers = HTTPFields()
        TraceHeaders(injecting: server.context, with: tracer).add(to: &headers)
        let response = await handler.handle(ServeFixture.post("\(Fixture.appID)-sends", body: ServeFixture.callBody(ServeFixture.event("app/go")), headers: headers))
        server.end()
        #expect(response.status.code == 206)
        let runSpan = try #require(tracer.finishedSpans.first { $0.operationName == "inngest.run sends" })
        #expect(runSpan.traceID == server.traceID)
        #expect(runSpan.parentSpanID == server.spanID, "the call's span is a child of the server's")
        #expect(runSpan.attributes.get("inngest.run.outcome") == .string("steps"))
        let stepSpan = try #require(tracer.finishedSpans.first { $0.operationName == "inngest.step notify" })
        #expect(stepSpan.parentSpanID == runSpan.spanID)
        #expect(stepSpan.attributes.get("inngest.step.kind") == .string("sendEvent"))
        // The event API request made inside the step carries the step's trace context.
        let send = try #require(transport.requests.first { $0.path.hasPrefix("/e/") })
        let carried = TraceHeaders(send.headerFields).context(with: tracer)
        #expect(carried.inMemorySpanContext?.traceID == server.traceID)
        #expect(carried.inMemorySpanContext?.spanID == stepSpan.spanID)
    }
}

private struct Flaky: Error {}
