// The functions of `swift-app`. Annotated so that `inngest-codegen generate` writes the app's
// manifest from this file (Tests/Export/run.sh exports it for the Python app); the target
// has no build plugin, so main.swift builds them by hand from the same arguments.
import Inngest

struct NumberInput: Codable, Sendable { var number: Int }
struct ResultOutput: Codable, Sendable { var result: Int }
struct Greeting: Codable, Sendable { var name: String }
struct Token: Codable, Sendable { var token: String }
struct WaitOutcome: Codable, Sendable {
    var matched: Bool
    var token: String?
}

/// The Python app's `compute-square`, typed.
let computeSquare = FunctionReference<NumberInput, ResultOutput>(app: "my-python-app", id: "compute-square")

/// Invoked by the Python app's `invoker` with {"number": 3}, through the exported module.
@InngestFunction(id: "compute-cube", trigger: .event("math/cube"))
func computeCube(_ ctx: Context<NumberInput>) async throws -> ResultOutput {
    let n = ctx.event.data.number
    return ResultOutput(result: n * n * n)
}

/// Swift invokes Python, typed: {"number": 4} → {"result": 16}.
@InngestFunction(id: "square-via-python", trigger: .event("swift/square-via-python"))
func squareViaPython(_ ctx: Context<NumberInput>) async throws -> ResultOutput {
    try await ctx.step.invoke("square", function: computeSquare, data: NumberInput(number: ctx.event.data.number), timeout: "1m")
}

/// Started by an event the Python SDK's client.send posts.
@InngestFunction(id: "on-python-event", trigger: .event("python/hello"))
func onPythonEvent(_ ctx: Context<Greeting>) async throws -> [String: String] {
    ["greeting": "hello \(ctx.event.data.name)"]
}

/// Waits for an event the Python app sends.
@InngestFunction(id: "wait-for-python", trigger: .event("swift/wait-for-python"))
func waitForPython(_ ctx: Context<Token>) async throws -> WaitOutcome {
    let reply = try await ctx.step.waitForEvent("wait-reply", event: "python/reply", as: Token.self, timeout: "1m", match: "data.token")
    return WaitOutcome(matched: reply != nil, token: reply?.data.token)
}
