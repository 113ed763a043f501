import Foundation
import Inngest
import Testing

@testable import InngestEngine

struct Approval: Codable, Sendable, Equatable {
    var approved: Bool
    var by: String
}

/// `step.waitForSignal` and `sendSignal` on the embedded engine, with Inngest's semantics: one
/// wait per signal name, `null` at the timeout, a conflict fails the run unless the wait replaces.
@Suite struct SignalTests {
    static func approver(id: String = "approver", onConflict: SignalConflict = .fail, timeout: InngestDuration = "1h") -> InngestFunction {
        InngestFunction(.init(id: id, trigger: .event("app/request"))) { (ctx: Context<JSONValue>) -> String in
            let name = ctx.event.data["signal"]?.stringValue ?? "approval"
            let signal = try await ctx.step.waitForSignal("wait-for-approval", signal: name, as: Approval.self, timeout: timeout, onConflict: onConflict)
            guard let signal else { return "timed out" }
            return "\(signal.signal): \(signal.data.approved ? "approved" : "refused") by \(signal.data.by)"
        }
    }

    private func start(_ harness: Harness, signal: String = "approval") async throws -> String {
        let eventID = try await harness.engine.send([AnyEvent(name: "app/request", data: ["signal": .string(signal)])])[0]
        await harness.engine.settle()
        let runs = try await harness.engine.runs(startedByEvent: eventID)
        try #require(runs.count == 1)
        return runs[0].id
    }

    private func detail(_ harness: Harness, _ runID: String) async throws -> RunDetail {
        try #require(try await harness.engine.run(id: runID))
    }

    @Test func aSignalResumesTheWaitingRunWithItsNameAndData() async throws {
        let harness = try await Harness([Self.approver()])
        let runID = try await start(harness, signal: "approval-42")
        var detail = try await detail(harness, runID)
        #expect(detail.run.status == .waiting)
        #expect(detail.steps.first?.kind == .waitForSignal)
        #expect(detail.steps.first?.detail?.signal == "approval-42")

        let resumed = try await harness.engine.sendSignal("approval-42", data: Approval(approved: true, by: "ana"))
        #expect(resumed == runID)
        await harness.engine.settle()
        detail = try await self.detail(harness, runID)
        #expect(detail.run.output == "approval-42: approved by ana")
        // Recorded as the Inngest server records it: `{"data": {"signal", "data"}}`.
        #expect(detail.steps.first?.output == ["signal": "approval-42", "data": ["approved": true, "by": "ana"]])
        // The wait is gone: the same signal again finds no run.
        #expect(try await harness.engine.sendSignal("approval-42", data: Approval(approved: false, by: "bo")) == nil)
    }

    @Test func theWaitTimesOutToNilAndALaterSignalFindsNoRun() async throws {
        let harness = try await Harness([Self.approver()])
        let runID = try await start(harness)
        await harness.advance(by: .seconds(3_599))
        #expect(try await detail(harness, runID).run.status == .waiting)
        await harness.advance(by: .seconds(1))
        #expect(try await detail(harness, runID).run.output == "timed out")
        #expect(try await harness.engine.sendSignal("approval") == nil)
    }

    @Test func aSignalNoRunWaitsForIsDroppedNotKeptForALaterWait() async throws {
        let harness = try await Harness([Self.approver()])
        #expect(try await harness.engine.sendSignal("approval", data: Approval(approved: true, by: "early")) == nil)
        let runID = try await start(harness)
        #expect(try await detail(harness, runID).run.status == .waiting)
        await harness.advance(by: .seconds(3_600))
        #expect(try await detail(harness, runID).run.output == "timed out")
    }

    @Test func aSecondWaitForTheSameSignalFailsItsRunAndLeavesTheFirstWaiting() async throws {
        let harness = try await Harness([Self.approver()])
        let first = try await start(harness)
        let second = try await start(harness)
        let failed = try await detail(harness, second)
        #expect(failed.run.status == .failed)
        #expect(failed.run.error?.name == "Error")
        #expect(failed.run.error?.message.hasPrefix("Signal conflict; signal wait already exists for another run") == true)
        #expect(failed.run.error?.message.contains("run \(first) waits for signal \"approval\"") == true)
        #expect(failed.steps.first?.status == .failed)
        // Not retried: the run failed at once.
        await harness.advance(by: .seconds(60))
        #expect(try await detail(harness, second).run.status == .failed)

        #expect(try await harness.engine.sendSignal("approval", data: Approval(approved: true, by: "ana")) == first)
        await harness.engine.settle()
        #expect(try await detail(harness, first).run.output == "approval: approved by ana")
    }

    @Test func aReplacingWaitTakesTheSignalAndTheEarlierWaitEndsAtItsTimeout() async throws {
        let harness = try await Harness([Self.approver(onConflict: .replace)])
        let first = try await start(harness)
        await harness.advance(by: .seconds(600))
        let second = try await start(harness)
        #expect(try await harness.engine.sendSignal("approval", data: Approval(approved: false, by: "bo")) == second)
        await harness.engine.settle()
        #expect(try await detail(harness, second).run.output == "approval: refused by bo")
        #expect(try await detail(harness, first).run.status == .waiting)
        // The first wait no longer holds the name; its own timeout still ends it.
        #expect(try await harness.engine.sendSignal("approval", data: Approval(approved: true, by: "ana")) == nil)
        await harness.advance(by: .seconds(3_000))
        #expect(try await detail(harness, first).run.output == "timed out")
    }

    @Test func aRunThatEndsReleasesItsSignal() async throws {
        let harness = try await Harness([Self.approver()])
        let first = try await start(harness)
        try await harness.engine.cancelRun(id: first)
        await harness.engine.settle()
        let second = try await start(harness)
        #expect(try await detail(harness, second).run.status == .waiting)
        #expect(try await harness.engine.sendSignal("approval", data: Approval(approved: true, by: "ana")) == second)
    }

    @Test func stepSendSignalResumesAnotherRunAndRecordsItsID() async throws {
        let sender = InngestFunction(.init(id: "sender", trigger: .event("app/approve"))) { (ctx: Context<JSONValue>) -> [String?] in
            let hit = try await ctx.step.sendSignal("approve", signal: "approval", data: Approval(approved: true, by: "step"))
            let miss = try await ctx.step.sendSignal("again", signal: "approval")
            return [hit, miss]
        }
        let harness = try await Harness([Self.approver(), sender])
        let waiting = try await start(harness)
        try await harness.engine.send([AnyEvent(name: "app/approve")])
        await harness.engine.settle()
        let detail = try await harness.onlyRun(of: "sender")
        #expect(detail.run.output == [.string(waiting), .null])
        // Recorded as TypeScript records it: `{"runId": …}`, `{}` when no run waited.
        #expect(detail.steps.map(\.kind) == [.sendSignal, .sendSignal])
        #expect(detail.steps.map(\.output) == [["runId": .string(waiting)], [:]])
        #expect(try await self.detail(harness, waiting).run.output == "approval: approved by step")
    }

    @Test func aWaitingRunIsResumedBySignalAfterARestart() async throws {
        let first = try await Harness([Self.approver()])
        let runID = try await start(first)
        await first.engine.shutdown()
        let second = try await Harness([Self.approver()], clock: first.clock, directory: first.directory)
        #expect(try await second.engine.sendSignal("approval", data: Approval(approved: true, by: "later")) == runID)
        await second.engine.settle()
        #expect(try await detail(second, runID).run.output == "approval: approved by later")
    }

    @Test func signalsBreakingALimitAreRefusedNamingTheFieldAndTheLimit() async throws {
        let harness = try await Harness([Self.approver()])
        let cases: [(String, JSONValue, String)] = [
            ("", .null, "signal: the signal name is empty"),
            (String(repeating: "s", count: InngestLimits.maxSignalNameBytes + 1), .null, "signal: the name is 1025 bytes, over the limit of 1024 bytes"),
            ("deep", (0..<300).reduce(JSONValue.null) { inner, _ in .array([inner]) }, "data: arrays and objects nest deeper than 256 levels"),
            ("big", .string(String(repeating: "x", count: InngestLimits.maxStepOutputBytes)), "over the limit of 4194304 bytes"),
        ]
        for (signal, data, message) in cases {
            do {
                try await harness.engine.sendSignal(signal, data: data)
                Issue.record("accepted signal \(signal.prefix(10))")
            } catch let error as InvalidSignal {
                #expect(error.description.contains(message), "\(error)")
            }
        }
    }

    @Test func theStepRefusesAnEmptySignalNameBeforeWaiting() async throws {
        let function = InngestFunction(.init(id: "nameless", trigger: .event("app/go"))) { (ctx: Context<JSONValue>) in
            _ = try await ctx.step.waitForSignal("wait", signal: "", timeout: "1h")
        }
        let harness = try await Harness([function])
        try await harness.engine.send([AnyEvent(name: "app/go")])
        await harness.engine.settle()
        let detail = try await harness.onlyRun(of: "nameless")
        #expect(detail.run.status == .failed)
        #expect(detail.run.error?.message == "step \"wait\": the signal name is empty")
    }
}
