import Inngest
import Testing

@testable import InngestCodegen

/// `waitForSignal` and `sendSignal` are steps of the manifest like the others: they take a
/// place in the shared repeat counter, so the wire ids of later steps stay exact, and their
/// literal arguments are checked as the runtime checks them.
@Suite struct SignalStepTests {
    @Test func signalStepsAreListedWithTheirKindAndShareTheRepeatCounter() throws {
        let source = """
            @InngestFunction(id: "f", trigger: .event("a/b"))
            func f(_ ctx: Context<JSONValue>) async throws {
                _ = try await ctx.step.waitForSignal("approval", signal: "order-1", timeout: "1h")
                try await ctx.step.sendSignal("notify", signal: "order-2", data: 1)
                try await ctx.step.run("approval") { 1 }
            }
            """
        let target = Analysis.run(["App.swift": source])
        let steps = try #require(target.manifest.functions.first?.steps)
        #expect(steps.map(\.kind) == [.waitForSignal, .sendSignal, .run])
        #expect(steps.map(\.wireID) == [StepIdentity.hash("approval"), StepIdentity.hash("notify"), StepIdentity.hash("approval:1")])
        #expect(target.manifest.functions.first?.complete == true)
    }

    @Test func aBadTimeoutOrSignalNameLiteralFailsTheBuildAtTheArgument() throws {
        let source = """
            @InngestFunction(id: "f", trigger: .event("a/b"))
            func f(_ ctx: Context<JSONValue>) async throws {
                _ = try await ctx.step.waitForSignal("w", signal: "ok", timeout: "400d")
                _ = try await ctx.step.waitForSignal("e", signal: "", timeout: "1h")
                try await ctx.step.sendSignal("s", signal: "")
            }
            """
        #expect(
            Analysis.diagnostics(source).map(\.description) == [
                "App.swift:3:70: error: step \"w\": timeout 400d exceeds the limit of 366d",
                "App.swift:4:55: error: step \"e\": the signal name is empty",
                "App.swift:5:48: error: step \"s\": the signal name is empty",
            ])
    }
}
