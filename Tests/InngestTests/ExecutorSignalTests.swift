import Foundation
import Synchronization
import Testing

@testable import Inngest

/// `step.waitForSignal` and `step.sendSignal` on the wire, in the shapes TypeScript sends and
/// the Inngest server records.
@Suite struct ExecutorSignalTests {
    struct Approval: Codable, Sendable, Equatable { var by: String }

    static let waiter = InngestFunction(.init(id: "w", trigger: .event("a"))) { (ctx: Context<JSONValue>) -> String in
        guard let signal = try await ctx.step.waitForSignal("approval", signal: "order-1", as: Approval.self, timeout: "2h", onConflict: .replace) else {
            return "timed out"
        }
        return "\(signal.signal) by \(signal.data.by)"
    }
    static let hash = StepIdentity.hash("approval")

    @Test func waitForSignalReportsTheSignalTimeoutAndConflict() async {
        let outcome = await Fixture.execute(Self.waiter, Fixture.request(Fixture.event("a")))
        #expect(
            outcome.ops == [
                Opcode(
                    id: Self.hash, op: .waitForSignal, name: "order-1", displayName: "approval",
                    opts: ["signal": "order-1", "timeout": "2h", "conflict": "replace"], userland: .init(id: "approval"))
            ])
        let json = try? JSONCodec.shared.jsonValue(of: outcome.ops.first)
        #expect(json?["op"] == "WaitForSignal")
    }

    @Test func waitForSignalResumesWithTheServersDataObjectOrNull() async {
        let resolved: JSONValue = ["data": ["signal": "order-1", "data": ["by": "ana"]]]
        #expect(await Fixture.execute(Self.waiter, Fixture.request(Fixture.event("a"), steps: [Self.hash: resolved])) == .completed("order-1 by ana"))
        #expect(await Fixture.execute(Self.waiter, Fixture.request(Fixture.event("a"), steps: [Self.hash: nil])) == .completed("timed out"))
    }

    @Test func aSignalNameBreakingTheLimitFailsTheStepWithoutRetries() async {
        let long = InngestFunction(.init(id: "w", trigger: .event("a"))) { (ctx: Context<JSONValue>) in
            _ = try await ctx.step.waitForSignal("s", signal: String(repeating: "x", count: 1_025), timeout: "1h")
        }
        guard case .failed(let error, .nonRetriable) = await Fixture.execute(long, Fixture.request(Fixture.event("a"))) else {
            Issue.record("the step was accepted")
            return
        }
        #expect(error.message == "step \"s\": the signal name is 1025 bytes, over the limit of 1024 bytes")
    }

    @Test func sendSignalIsARunStepTypedAsTypeScriptTypesIt() async {
        final class Sender: EventSender, SignalSender {
            let sent = Mutex<[(String, JSONValue)]>([])
            func send(_ events: [AnyEvent], from origin: EventSendOrigin) async throws -> [String] { [] }
            func sendSignal(_ signal: String, data: JSONValue) async throws -> String? {
                sent.withLock { $0.append((signal, data)) }
                return signal == "order-1" ? "01RUN" : nil
            }
        }
        let sender = Sender()
        let function = InngestFunction(.init(id: "s", trigger: .event("a"))) { (ctx: Context<JSONValue>) -> String? in
            try await ctx.step.sendSignal("approve", signal: "order-1", data: Approval(by: "ana"))
        }
        let ran = await Fixture.execute(function, Fixture.request(Fixture.event("a")), sender: sender)
        #expect(ran.ops.map(\.op) == [.stepRun])
        #expect(ran.ops.first?.opts == ["type": "step.sendSignal", "signal": "order-1"])
        #expect(ran.ops.first?.data == ["runId": "01RUN"])
        #expect(sender.sent.withLock { $0.map(\.0) } == ["order-1"])
        #expect(sender.sent.withLock { $0.map(\.1) } == [["by": "ana"]])

        let planned = await Fixture.execute(function, Fixture.request(Fixture.event("a"), disableImmediateExecution: true), sender: sender)
        #expect(planned.ops.first?.op == .stepPlanned)
        #expect(planned.ops.first?.opts == ["type": "step.sendSignal", "signal": "order-1"])
        // Replayed from the memo: `{"runId"}`, or `{}` when no run waited.
        let hash = StepIdentity.hash("approve")
        #expect(await Fixture.execute(function, Fixture.request(Fixture.event("a"), steps: [hash: ["data": ["runId": "01X"]]])) == .completed("01X"))
        #expect(await Fixture.execute(function, Fixture.request(Fixture.event("a"), steps: [hash: ["data": [:]]])) == .completed(.null))
        #expect(sender.sent.withLock { $0.count } == 1)
    }

    @Test func sendSignalFailsClearlyWithASenderThatCannotSendSignals() async {
        let function = InngestFunction(.init(id: "s", trigger: .event("a"))) { (ctx: Context<JSONValue>) -> String? in
            try await ctx.step.sendSignal("approve", signal: "order-1")
        }
        let outcome = await Fixture.execute(function, Fixture.request(Fixture.event("a")))
        #expect(outcome.ops.first?.op == .stepFailed)
        #expect(outcome.ops.first?.error?.message.contains("cannot send signals") == true)
    }
}
