import Foundation
import Inngest
import Testing

/// The call document is written by the engine and read by the serve handler: one model, so
/// what one side writes the other reads back unchanged.
@Suite struct CallRequestTests {
    private let context = CallRequest.Context(
        runID: "01RUN", stepID: "h1", attempt: 2, maxAttempts: 5, stack: ["a", "b"], disableImmediateExecution: true)
    private let events = [AnyEvent(name: "app/one", data: ["n": 1]), AnyEvent(name: "app/two", data: ["n": 2])]

    @Test func whatTheEngineWritesTheServeHandlerReadsBack() throws {
        let written = CallRequest(events: events, steps: ["a": ["data": 1], "b": ["data": "x"]], context: context)
        let tree = try written.jsonTree()
        #expect(tree["version"] == 2)
        #expect(tree["event"]?["name"] == "app/one")
        let read = try CallRequest(json: JSONText.read(JSONCanonicalization.canonicalBytes(tree)))
        #expect(read.events.map(\.name) == ["app/one", "app/two"])
        #expect(read.events.map(\.data) == [["n": 1], ["n": 2]])
        #expect(read.steps == written.steps)
        #expect(read.useAPI == false)
        #expect(read.context.runID == "01RUN")
        #expect(read.context.stepID == "h1")
        #expect(read.context.attempt == 2)
        #expect(read.context.maxAttempts == 5)
        #expect(read.context.stack == ["a", "b"])
        #expect(read.context.disableImmediateExecution)
    }

    @Test func aTrimmedCallKeepsTheFirstEventAndAsksForTheRest() throws {
        let trimmed = CallRequest(events: events, steps: ["a": ["data": 1]], context: context).trimmed()
        let tree = try trimmed.jsonTree()
        #expect(tree["events"] == [])
        #expect(tree["steps"] == [:])
        #expect(tree["use_api"] == true)
        #expect(tree["ctx"]?["use_api"] == true)
        let read = try CallRequest(json: tree)
        #expect(read.useAPI)
        #expect(read.events.map(\.name) == ["app/one"])
        #expect(read.steps.isEmpty)
    }

    @Test func aCallWithoutAnEventIsRefusedUnlessItIsTrimmed() throws {
        let bare: JSONValue = ["ctx": ["run_id": "01RUN"], "steps": [:], "events": []]
        #expect(throws: CallRequest.Invalid.self) { try CallRequest(json: bare) }
        let trimmed: JSONValue = ["ctx": ["run_id": "01RUN", "use_api": true], "events": []]
        #expect(try CallRequest(json: trimmed).events.isEmpty)
    }
}
