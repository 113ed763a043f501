import Inngest

// snippet: other-apps
struct SquareInput: Codable, Sendable { var number: Int }
struct SquareOutput: Codable, Sendable { var result: Int }
let computeSquare = FunctionReference<SquareInput, SquareOutput>(app: "my-python-app", id: "compute-square")

// snippet: hide
@InngestFunction(id: "uses-square", trigger: .event("math/square"))
func usesSquare(_ ctx: Context<JSONValue>) async throws -> Int {
    // snippet: show
    let square = try await ctx.step.invoke("square", function: computeSquare, data: SquareInput(number: 4))
    // snippet: hide
    return square.result
}
// snippet: end
