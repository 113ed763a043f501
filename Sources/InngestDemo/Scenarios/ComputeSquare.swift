import Foundation
import Inngest
import InngestEngine

struct SquareInput: Codable, Sendable {
    var number: Int
}

struct SquareOutput: Codable, Sendable {
    var result: Int
}

/// Inngest's `step.invoke` example: `main-function` calls `compute-square` and gets its
/// typed result back; the invoked function is a run of its own, with its own retries.
struct ComputeSquare: Scenario {
    let title = "Invoke another function"
    let summary = "main-function invokes compute-square with 4 and uses its typed result."

    static let expectedOutput = "Square of 4 is 16."

    var functions: [InngestFunction] {
        let computeSquare = InngestFunction(FunctionConfiguration(id: "compute-square", trigger: .event("calculate/square"))) {
            (ctx: Context<SquareInput>) -> SquareOutput in
            SquareOutput(result: ctx.event.data.number * ctx.event.data.number)
        }
        let reference = FunctionReference<SquareInput, SquareOutput>(id: "compute-square")
        let mainFunction = InngestFunction(FunctionConfiguration(id: "main-function", trigger: .event("main/event"))) {
            (ctx: Context<JSONValue>) -> String in
            let square = try await ctx.step.invoke("compute-square-value", function: reference, data: SquareInput(number: 4))
            return "Square of 4 is \(square.result)."
        }
        return [computeSquare, mainFunction]
    }

    func play(in session: DemoSession) async throws {
        let eventID = try await session.send(AnyEvent(name: "main/event"))
        try await session.settle()
        let main = try await session.run(of: "main-function", startedBy: eventID)
        let child = try await invokedRun(by: main.run.id, in: session)
        session.show(main)
        if let child { session.show(child, note: "invoked by main-function") }
        Console.line()
        session.say("   \(main.run.output?.stringValue ?? "(no output)")")
        session.expect(main.run.output?.stringValue == Self.expectedOutput, "main-function returned \"\(Self.expectedOutput)\"")
        session.expect(
            child?.run.status == .completed && child?.run.output?["result"]?.integerValue == 16,
            "compute-square ran as its own run and returned {\"result\":16}")
    }

    /// The run `inngest/function.invoked` started for the parent's invoke step. The engine
    /// correlates them as `<parent run id>.<step hash>` in the event's `data._inngest`.
    private func invokedRun(by parentRunID: String, in session: DemoSession) async throws -> RunDetail? {
        let invocations = try await session.engine.events(named: "inngest/function.invoked", limit: 20)
        let correlated = invocations.first { stored in
            stored.event.data["_inngest"]?["correlation_id"]?.stringValue?.hasPrefix(parentRunID + ".") == true
        }
        guard let correlated, let run = try await session.engine.runs(startedByEvent: correlated.internalID).first else { return nil }
        return try await session.detail(of: run.id)
    }
}
