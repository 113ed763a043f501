import Inngest

public struct SquareOutput: Codable, Sendable, Hashable {
    public var result: Int
}

/// The simplest function: no steps, typed input from the event catalog.
@InngestFunction(id: "compute-square", trigger: .event("calculate/square"))
public func computeSquare(_ ctx: Context<Events.CalculateSquare>) async throws -> SquareOutput {
    SquareOutput(result: ctx.event.data.number * ctx.event.data.number)
}
