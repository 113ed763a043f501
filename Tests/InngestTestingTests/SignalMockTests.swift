import Foundation
import Inngest
import InngestEngine
import InngestTesting
import Testing

/// A `waitForSignal` in the test kit: mocked with the signal (or `nil`), or left to time out
/// on the virtual clock.
@Suite struct SignalMockTests {
    static let review = InngestFunction(.init(id: "review", trigger: .event("app/review"))) { (ctx: Context<JSONValue>) -> String in
        guard let signal = try await ctx.step.waitForSignal("wait-for-review", signal: "review-1", timeout: "1d") else { return "timed out" }
        return signal.data["ok"] == true ? "approved via \(signal.signal)" : "refused"
    }

    @Test func aSignalWaitIsMockedWithTheSignalOrNil() async throws {
        var approved = StepMocks()
        approved.step("wait-for-review", returning: ReceivedSignal(signal: "review-1", data: ["ok": true] as JSONValue))
        let run = try await TestEnvironment(functions: [Self.review], mocks: approved).execute(Self.review, event: AnyEvent(name: "app/review"))
        #expect(try run.expectCompleted(as: String.self) == "approved via review-1")
        #expect(try run.expectStep("wait-for-review").kind == .waitForSignal)

        var silent = StepMocks()
        silent.step("wait-for-review", returning: ReceivedSignal<JSONValue>?.none)
        let timedOut = try await TestEnvironment(functions: [Self.review], mocks: silent).execute(Self.review, event: AnyEvent(name: "app/review"))
        #expect(try timedOut.expectCompleted(as: String.self) == "timed out")
    }

    @Test func anUnmockedSignalWaitEndsAtItsTimeoutOnTheVirtualClock() async throws {
        let environment = try await TestEnvironment(functions: [Self.review])
        let run = try await environment.execute(Self.review, event: AnyEvent(name: "app/review"))
        #expect(try run.expectCompleted(as: String.self) == "timed out")
        let wait = try run.expectStep("wait-for-review")
        #expect(try #require(wait.endedAt).timeIntervalSince(try #require(wait.startedAt)) == 86_400)
    }
}
