import Foundation
import Synchronization
import Testing

@testable import Inngest

/// Conformance cases 25–29 and `sendEvent`.
@Suite struct ExecutorStepKindTests {
    @Test func sleepReportsTheDurationInOptsAndName() async {
        let outcome = await Fixture.execute(Fixture.nap, Fixture.request(Fixture.event("app/nap")))
        #expect(outcome.ops == [Opcode(id: Hash.nap, op: .sleep, name: "30m", displayName: "nap", opts: ["duration": "30m"], userland: .init(id: "nap"))])
        #expect(await Fixture.execute(Fixture.nap, Fixture.request(Fixture.event("app/nap"), steps: [Hash.nap: nil])) == .completed("awake"))
    }

    @Test func sleepUntilReportsAnISOTimestamp() async {
        let outcome = await Fixture.execute(Fixture.until, Fixture.request(Fixture.event("app/until")))
        #expect(outcome.ops.first?.id == Hash.sleepUntil)
        #expect(outcome.ops.first?.name == "2026-06-01T09:00:00.000Z")
        #expect(outcome.ops.first?.opts == ["duration": "2026-06-01T09:00:00.000Z"])
        #expect(await Fixture.execute(Fixture.until, Fixture.request(Fixture.event("app/until"), steps: [Hash.sleepUntil: nil])) == .completed("ok"))
    }

    @Test func sleepWithASwiftDurationUsesTheCanonicalTimeString() async {
        let sleeper = InngestFunction(.init(id: "s", trigger: .event("a"))) { (ctx: Context<JSONValue>) in
            try await ctx.step.sleep("rest", for: .seconds(5_400))
        }
        let outcome = await Fixture.execute(sleeper, Fixture.request(Fixture.event("a")))
        #expect(outcome.ops.first?.opts == ["duration": "1h30m"])
    }

    @Test func waitForEventReportsEventTimeoutAndCondition() async {
        let event = Fixture.event("app/invoice.created", ["invoice_id": "inv_9"])
        let outcome = await Fixture.execute(Fixture.wait, Fixture.request(event))
        #expect(
            outcome.ops == [
                Opcode(
                    id: Hash.waitForPayment, op: .waitForEvent, name: "app/invoice.paid", displayName: "wait-for-payment",
                    opts: ["event": "app/invoice.paid", "timeout": "7d", "if": "event.data.invoice_id == async.data.invoice_id"],
                    userland: .init(id: "wait-for-payment"))
            ])
    }

    @Test func waitForEventResumesWithTheRawEventOrNull() async {
        let event = Fixture.event("app/invoice.created", ["invoice_id": "inv_9"])
        let paid: JSONValue = ["name": "app/invoice.paid", "data": ["invoice_id": "inv_9"], "id": "01HQ8Z5R3J6W2K9T4V7X1Y0PAY", "ts": 1_700_000_100_000, "user": [:]]
        #expect(await Fixture.execute(Fixture.wait, Fixture.request(event, steps: [Hash.waitForPayment: paid])) == .completed("paid"))
        #expect(await Fixture.execute(Fixture.wait, Fixture.request(event, steps: [Hash.waitForPayment: nil])) == .completed("timeout"))
    }

    @Test func invokeReportsTheCompositeFunctionIdAndPayload() async {
        let outcome = await Fixture.execute(Fixture.invoker, Fixture.request(Fixture.event("app/invoke")))
        #expect(
            outcome.ops == [
                Opcode(
                    id: Hash.invokeChild, op: .invokeFunction, name: "invoke-child", displayName: "invoke-child",
                    opts: ["function_id": "swift-app-compute-cube", "payload": ["data": ["n": 3]], "timeout": "1h"],
                    userland: .init(id: "invoke-child"))
            ])
    }

    @Test func invokeResumesWithTheTypedResult() async {
        let outcome = await Fixture.execute(Fixture.invoker, Fixture.request(Fixture.event("app/invoke"), steps: [Hash.invokeChild: ["data": 27]]))
        #expect(outcome == .completed(["cube": 27]))
    }

    @Test func failedOrTimedOutInvokeIsNonRetriable() async {
        let timeout: JSONValue = [
            "error": [
                "name": "InngestInvokeTimeoutError", "message": "Timed out waiting for invoked function to complete",
                "error": "InngestInvokeTimeoutError: Timed out waiting for invoked function to complete",
            ]
        ]
        let outcome = await Fixture.execute(Fixture.invoker, Fixture.request(Fixture.event("app/invoke"), steps: [Hash.invokeChild: timeout]))
        guard case .failed(let error, let retriability) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(error.name == "NonRetriableError")
        #expect(error.message == "Timed out waiting for invoked function to complete")
        #expect(error.cause?["name"] == "InngestInvokeTimeoutError")
        #expect(retriability == .nonRetriable)
    }

    @Test func invokedFunctionReadsItsDataAndIgnoresTheInngestBlock() async {
        let event = Fixture.event("inngest/function.invoked", ["n": 3, "_inngest": ["fn_id": "swift-app-compute-cube", "correlation_id": "x.y"]])
        #expect(await Fixture.execute(Fixture.cube, Fixture.request(event)) == .completed(27))
    }

    @Test func invokeOfAnotherAppUsesItsId() async {
        let square = FunctionReference<CubeInput, JSONValue>(app: "my-python-app", id: "compute-square")
        let caller = InngestFunction(.init(id: "main", trigger: .event("a"))) { (ctx: Context<JSONValue>) -> JSONValue in
            try await ctx.step.invoke("square", function: square, data: CubeInput(n: 4))
        }
        let outcome = await Fixture.execute(caller, Fixture.request(Fixture.event("a")))
        #expect(outcome.ops.first?.opts == ["function_id": "my-python-app-compute-square", "payload": ["data": ["n": 4]]])
    }

    @Test func sendEventRunsAsAStepAndRecordsTheIds() async throws {
        final class Recorder: EventSender {
            let sent = Mutex<[AnyEvent]>([])
            let origins = Mutex<[EventSendOrigin]>([])
            func send(_ events: [AnyEvent], from origin: EventSendOrigin) async throws -> [String] {
                sent.withLock { $0.append(contentsOf: events) }
                origins.withLock { $0.append(origin) }
                return events.indices.map { "id-\($0)" }
            }
        }
        let recorder = Recorder()
        let fanOut = InngestFunction(.init(id: "fan", trigger: .event("a"))) { (ctx: Context<JSONValue>) -> [String] in
            try await ctx.step.sendEvent("fan-out", [InvoicePaid(invoice_id: "1"), InvoicePaid(invoice_id: "2")].map { Event($0) })
        }
        let first = await Fixture.execute(fanOut, Fixture.request(Fixture.event("a")), sender: recorder)
        #expect(first.ops.map(\.op) == [.stepRun])
        #expect(first.ops.first?.data == ["ids": ["id-0", "id-1"]])
        #expect(recorder.sent.withLock { $0.map(\.name) } == ["app/invoice.paid", "app/invoice.paid"])
        // The sender learns which step sends, explicitly: the engine derives replay-stable ids from it.
        #expect(recorder.origins.withLock { $0.map(\.stepID) } == [StepIdentity.hash("fan-out")])
        #expect(recorder.origins.withLock { $0.map(\.sendIndex) } == [0])

        let hash = StepIdentity.hash("fan-out")
        let replay = await Fixture.execute(fanOut, Fixture.request(Fixture.event("a"), steps: [hash: ["data": ["ids": ["id-0", "id-1"]]]]), sender: recorder)
        #expect(replay == .completed(["id-0", "id-1"]))
        #expect(recorder.sent.withLock { $0.count } == 2)
        // Python records a bare array.
        let python = await Fixture.execute(fanOut, Fixture.request(Fixture.event("a"), steps: [hash: ["data": ["p-1"]]]), sender: recorder)
        #expect(python == .completed(["p-1"]))

        let planned = await Fixture.execute(fanOut, Fixture.request(Fixture.event("a"), disableImmediateExecution: true), sender: recorder)
        #expect(planned.ops.first?.opts == ["type": "step.sendEvent"])
    }

    @Test func stepResultsPassThroughTheCodecEvenWhenJustComputed() async {
        struct Stamp: Codable, Sendable { var at: Date }
        let stamper = InngestFunction(.init(id: "stamp", trigger: .event("a"))) { (ctx: Context<JSONValue>) -> Stamp in
            try await ctx.step.run("stamp") { Stamp(at: Date(timeIntervalSince1970: 1_780_304_400.123_456)) }
        }
        let outcome = await Fixture.execute(stamper, Fixture.request(Fixture.event("a")))
        // Milliseconds survive, sub-millisecond digits do not: the same value a replay returns.
        #expect(outcome.ops.first?.data == ["at": "2026-06-01T09:00:00.123Z"])
        let replay = await Fixture.execute(stamper, Fixture.request(Fixture.event("a"), steps: [StepIdentity.hash("stamp"): ["data": ["at": "2026-06-01T09:00:00.123Z"]]]))
        #expect(replay == .completed(["at": "2026-06-01T09:00:00.123Z"]))
    }
}
