import Inngest

/// What `compute-cube` returns.
public struct CubeResult: Codable, Sendable {
    public var result: Int
    public var steps: [String]
}

/// Cubes a number in two durable steps.
@InngestFunction(id: "compute-cube", name: "Compute a cube", trigger: .event(Events.CubeRequested.self), retries: 2)
public func computeCube(_ ctx: Context<Events.CubeRequested>) async throws -> CubeResult {
    let number = ctx.event.data.number
    let square = try await ctx.step.run("square") { number * number }
    let cube = try await ctx.step.run("multiply") { square * number }
    return CubeResult(result: cube, steps: ["square", "multiply"])
}
