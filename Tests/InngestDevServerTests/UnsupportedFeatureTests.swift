import Foundation
import Inngest
import InngestDevServer
import InngestEngine
import Testing

/// Ops of Inngest features the engine does not run fail their run at once, naming the
/// function, the step and the feature (a sync does not reveal them: the register payload lists
/// no steps).
@Suite struct UnsupportedFeatureTests {
    @Test(arguments: [
        (
            #"{"id":"h","op":"AIGateway","displayName":"ask","opts":{"url":"https://api.openai.com/v1/chat/completions","body":{}},"userland":{"id":"ask"}}"#,
            #"step "ask": step.ai.infer (opcode AIGateway) is not supported by inngest dev or the embedded engine"#
        ),
        (
            #"{"id":"h","op":"Gateway","displayName":"get","opts":{"url":"https://example.com","method":"GET"},"userland":{"id":"get"}}"#,
            #"step "get": step.fetch (opcode Gateway) is not supported by inngest dev or the embedded engine"#
        ),
        (
            #"{"id":"h","op":"DeferAdd","name":"later","opts":{"fn_slug":"x","input":{}},"userland":{"id":"later"}}"#,
            #"step "later": defer (opcode DeferAdd) is not supported"#
        ),
    ])
    func anUnsupportedOpFailsTheRunWithoutRetriesNamingFunctionStepAndFeature(op: String, message: String) async throws {
        let dev = try await DevHarness()
        let app = ScriptedApp(dev, "ai") { _ in .ops("[\(op)]") }
        try await app.register([["id": "ai-agent", "triggers": [["event": "app/ask"]], "steps": ["step": ["retries": ["attempts": 3]]]]])
        let run = try await dev.run(startedBy: try await dev.send("app/ask"))
        #expect(run.run.status == .failed)
        #expect(run.run.error?.name == "UnsupportedFeature")
        let text = run.run.error?.message ?? ""
        #expect(text.hasPrefix("function \"ai-agent\": "), "\(text)")
        #expect(text.contains(message), "\(text)")
        // Not retried: one call, the discovery that reported the op.
        await dev.advance(by: .seconds(600))
        #expect(dev.calls(to: "ai") == ["step"])
    }
}
