import Foundation
import Inngest
import InngestDevServer
import InngestEngine
import Synchronization
import Testing

/// Parallel steps in race mode (`opts.parallelMode: "race"`, Python's
/// `group.parallel(..., parallel_mode=RACE)`, TypeScript's `group.parallel({mode: "race"})`):
/// after a racing branch finishes, discovery runs at once, while its siblings still run, as the
/// Inngest server schedules it. The app below answers as TypeScript does for
/// `Promise.race([step.run("a"), step.sleep("b", "1h")])` followed by `step.run("after")`.
@Suite struct RaceModeTests {
    static func racer(mode: String?) -> @Sendable (ScriptedApp.Call) -> ScriptedApp.Answer {
        let options = mode.map { #","opts":{"parallelMode":"\#($0)"}"# } ?? ""
        let sleepOptions = mode.map { #","opts":{"duration":"1h","parallelMode":"\#($0)"}"# } ?? #","opts":{"duration":"1h"}"#
        let a = #"{"id":"a","op":"StepPlanned","userland":{"id":"a"}\#(options)}"#
        let b = #"{"id":"b","op":"Sleep","userland":{"id":"b"}\#(sleepOptions)}"#
        let after = #"{"id":"after","op":"StepPlanned","userland":{"id":"after"}}"#
        return { call in
            switch call.stepID {
            case "a": return .ops(#"[{"id":"a","op":"StepRun","data":"A"}]"#)
            case "after": return .ops(#"[{"id":"after","op":"StepRun","data":"after A"}]"#)
            default:
                let done = Set(call.steps.keys)
                if done.isEmpty { return .ops("[\(a),\(b)]") }
                // The race is won: the code after it goes on; the losing sleep is reported again.
                if done.contains("after") && done.contains("b") { return .completed("done") }
                if done.contains("after") { return .ops("[\(b)]") }
                return .ops("[\(b),\(after)]")
            }
        }
    }

    private func start(_ dev: DevHarness, mode: String?) async throws -> String {
        let app = ScriptedApp(dev, "race", answer: Self.racer(mode: mode))
        try await app.register([["id": "race-f", "triggers": [["event": "app/race"]]]])
        return try await dev.send("app/race")
    }

    @Test func aFinishedRacingBranchLetsTheCodeAfterTheRaceGoOnWhileTheLoserSleeps() async throws {
        let dev = try await DevHarness()
        let event = try await start(dev, mode: "race")
        var detail = try await dev.run(startedBy: event)
        #expect(detail.run.status == .waiting)
        #expect(detail.steps.first { $0.userID == "after" }?.status == .completed)
        #expect(detail.steps.first { $0.userID == "b" }?.status == .sleeping)
        // Discovery, a, discovery at once after a (the race), after.
        #expect(dev.calls(to: "race") == ["step", "a", "step", "after"])
        await dev.advance(by: .seconds(3_600))
        detail = try await dev.run(startedBy: event)
        #expect(detail.run.output == "done")
        #expect(detail.steps.map(\.userID) == ["a", "after", "b"])
    }

    @Test func inWaitModeDiscoveryWaitsForEveryBranch() async throws {
        let dev = try await DevHarness()
        let event = try await start(dev, mode: nil)
        let detail = try await dev.run(startedBy: event)
        #expect(detail.run.status == .waiting)
        #expect(detail.steps.contains { $0.userID == "after" } == false)
        #expect(dev.calls(to: "race") == ["step", "a"])
        await dev.advance(by: .seconds(3_600))
        #expect(try await dev.run(startedBy: event).run.output == "done")
    }

    @Test func aRaceDiscoveryThatFailsLeavesTheRestToTheDiscoveryAfterTheGroup() async throws {
        let dev = try await DevHarness()
        let racer = Self.racer(mode: "race")
        let failures = Mutex(0)
        let app = ScriptedApp(dev, "race") { call in
            // The app fails the discovery it gets while the sleep still runs.
            if call.stepID == "step", call.steps["a"] != nil, call.steps["b"] == nil {
                failures.withLock { $0 += 1 }
                return .failed(retryAfter: nil)
            }
            return racer(call)
        }
        try await app.register([["id": "race-f", "triggers": [["event": "app/race"]]]])
        let event = try await dev.send("app/race")
        #expect(try await dev.run(startedBy: event).run.status == .waiting)
        #expect(failures.withLock { $0 } == 1)
        await dev.advance(by: .seconds(3_600))
        let detail = try await dev.run(startedBy: event)
        #expect(detail.run.output == "done")
        #expect(detail.steps.map(\.userID) == ["a", "b", "after"])
    }
}
