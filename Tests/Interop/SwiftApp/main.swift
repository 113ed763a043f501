// The Swift app of the interop tests: served over HTTP (Hummingbird) to `inngest dev`, next to
// the Python app `my-python-app`. Run by Tests/Interop/run.sh; listens on $PORT (13940).
import Foundation
import Hummingbird
import Inngest
import InngestHummingbird

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

let functions: [InngestFunction] = [
    // Invoked by the Python app's `invoker` with {"number": 3}.
    InngestFunction(FunctionConfiguration(id: "compute-cube", trigger: .event("math/cube"))) { (ctx: Context<NumberInput>) in
        let n = ctx.event.data.number
        return ResultOutput(result: n * n * n)
    },
    // Swift invokes Python, typed: {"number": 4} → {"result": 16}.
    InngestFunction(FunctionConfiguration(id: "square-via-python", trigger: .event("swift/square-via-python"))) { (ctx: Context<NumberInput>) in
        try await ctx.step.invoke("square", function: computeSquare, data: NumberInput(number: ctx.event.data.number), timeout: "1m")
    },
    // Started by an event the Python SDK's client.send posts.
    InngestFunction(FunctionConfiguration(id: "on-python-event", trigger: .event("python/hello"))) { (ctx: Context<Greeting>) in
        ["greeting": "hello \(ctx.event.data.name)"]
    },
    // Waits for an event the Python app sends.
    InngestFunction(FunctionConfiguration(id: "wait-for-python", trigger: .event("swift/wait-for-python"))) { (ctx: Context<Token>) in
        let reply = try await ctx.step.waitForEvent("wait-reply", event: "python/reply", as: Token.self, timeout: "1m", match: "data.token")
        return WaitOutcome(matched: reply != nil, token: reply?.data.token)
    },
]

let port = Int(ProcessInfo.processInfo.environment["PORT"] ?? "") ?? 13940
let configuration = InngestConfiguration(appID: "swift-app", framework: "hummingbird")
let client = InngestClient(configuration: configuration, transport: AsyncHTTPClientTransport())
let router = Router()
router.addInngest(InngestServeHandler(client: client, functions: functions))
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
print("swift-app serving on http://127.0.0.1:\(port)/api/inngest (\(configuration.mode.rawValue) mode)")
try await app.runService()
