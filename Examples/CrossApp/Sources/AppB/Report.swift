import Inngest

struct Report: Codable, Sendable {
    var square: Int
    var cube: Int
}

/// Invokes the Python app's `compute-square` and app A's `compute-cube` through the
/// references generated from their manifests: inputs and outputs are typed.
@InngestFunction(id: "powers-report", trigger: .event(Events.ReportRequested.self))
func powersReport(_ ctx: Context<Events.ReportRequested>) async throws -> Report {
    let number = ctx.event.data.number
    let square = try await ctx.step.invoke("square", function: MyPythonApp.computeSquare, data: MyPythonApp.SquareInput(number: number))
    let cube = try await ctx.step.invoke("cube", function: AppA.computeCube, data: AppA.CubeRequested(number: number))
    return Report(square: square.result, cube: cube.result)
}
