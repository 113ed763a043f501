import Testing

@testable import Inngest

/// Conformance cases 9–20, 24 through the executor (no HTTP).
@Suite struct ExecutorBasicTests {
    @Test func functionWithoutStepsCompletes() async {
        struct Hello: Codable, Sendable { var name: String }
        let hello = InngestFunction(.init(id: "hello", trigger: .event("app/hello"))) { (ctx: Context<Hello>) -> JSONValue in
            ["message": .string("hi " + ctx.event.data.name)]
        }
        let outcome = await Fixture.execute(hello, Fixture.request(Fixture.event("app/hello", ["name": "Ada"])))
        #expect(outcome == .completed(["message": "hi Ada"]))
    }

    @Test func functionReturningNothingCompletesWithNull() async {
        let empty = InngestFunction(.init(id: "empty", trigger: .event("app/empty"))) { (_: Context<JSONValue>) in }
        #expect(await Fixture.execute(empty, Fixture.request(Fixture.event("app/empty"))) == .completed(.null))
    }

    @Test func loneNewStepRunsImmediately() async {
        let counter = Counter()
        let outcome = await Fixture.execute(Fixture.copy(counter), Fixture.request(Fixture.event("app/images.uploaded")))
        #expect(
            outcome.ops == [
                Opcode(
                    id: Hash.copy, op: .stepRun, name: "copy-images-to-s3", displayName: "copy-images-to-s3",
                    data: ["copied": 3], userland: .init(id: "copy-images-to-s3"))
            ])
        #expect(counter["copy"] == 1)
    }

    @Test func disabledImmediateExecutionPlansTheStep() async {
        let counter = Counter()
        let outcome = await Fixture.execute(Fixture.copy(counter), Fixture.request(Fixture.event("app/images.uploaded"), disableImmediateExecution: true))
        #expect(outcome.ops.map(\.op) == [.stepPlanned])
        #expect(outcome.ops.first?.id == Hash.copy)
        #expect(outcome.ops.first?.opts == nil)
        #expect(counter["copy"] == 0)
    }

    @Test func targetedCallRunsThePlannedStep() async {
        let counter = Counter()
        let outcome = await Fixture.execute(Fixture.copy(counter), Fixture.request(Fixture.event("app/images.uploaded"), target: Hash.copy, disableImmediateExecution: true))
        #expect(outcome.ops.map(\.op) == [.stepRun])
        #expect(outcome.ops.first?.data == ["copied": 3])
        #expect(counter["copy"] == 1)
    }

    @Test func memoizedStepIsNotRunAgain() async {
        let counter = Counter()
        let outcome = await Fixture.execute(Fixture.copy(counter), Fixture.request(Fixture.event("app/images.uploaded"), steps: [Hash.copy: ["data": ["copied": 3]]]))
        #expect(outcome == .completed(["copied": 3]))
        #expect(counter["copy"] == 0)
    }

    @Test func sequentialStepsRunOneAtATime() async {
        let counter = Counter()
        let first = await Fixture.execute(Fixture.sequence(counter), Fixture.request(Fixture.event("app/user.created")))
        #expect(first.ops.map(\.id) == [Hash.fetchUser])
        #expect(counter["send-email"] == 0)

        let second = await Fixture.execute(Fixture.sequence(counter), Fixture.request(Fixture.event("app/user.created"), steps: [Hash.fetchUser: ["data": ["id": "u_1"]]]))
        #expect(second.ops.map(\.id) == [Hash.sendEmail])
        #expect(second.ops.first?.data == "sent")

        let third = await Fixture.execute(
            Fixture.sequence(counter),
            Fixture.request(
                Fixture.event("app/user.created"),
                steps: [
                    Hash.fetchUser: ["data": ["id": "u_1"]], Hash.sendEmail: ["data": "sent"],
                ]))
        #expect(third == .completed("done"))
        #expect(counter["fetch-user"] == 1 && counter["send-email"] == 1)
    }

    @Test func repeatedIdInALoopGetsTheRepeatCounter() async {
        let counter = Counter()
        let outcome = await Fixture.execute(
            Fixture.loop(counter),
            Fixture.request(
                Fixture.event("app/loop"),
                steps: [
                    Hash.copy: ["data": 0], Hash.copy1: ["data": 1],
                ]))
        #expect(
            outcome.ops == [
                Opcode(
                    id: Hash.copy2, op: .stepRun, name: "copy-images-to-s3", displayName: "copy-images-to-s3",
                    data: 2, userland: .init(id: "copy-images-to-s3", index: 2))
            ])
        #expect(counter["loop-0"] == 0 && counter["loop-1"] == 0 && counter["loop-2"] == 1)

        let done = await Fixture.execute(
            Fixture.loop(counter),
            Fixture.request(
                Fixture.event("app/loop"),
                steps: [
                    Hash.copy: ["data": 0], Hash.copy1: ["data": 1], Hash.copy2: ["data": 2],
                ]))
        #expect(done == .completed(3))
    }

    @Test func idsAreSharedAcrossStepKinds() async {
        let outcome = await Fixture.execute(Fixture.shared, Fixture.request(Fixture.event("app/shared"), steps: [Hash.notify: ["data": 1]]))
        #expect(outcome.ops.map(\.op) == [.sleep])
        #expect(outcome.ops.first?.id == Hash.notify1)
    }

    @Test func nonASCIIIdsHashTheirUTF8Bytes() async {
        let outcome = await Fixture.execute(Fixture.unicode, Fixture.request(Fixture.event("app/u")))
        #expect(outcome.ops.first?.id == Hash.resume)
        #expect(outcome.ops.first?.name == "résumé")
        #expect(outcome.ops.first?.data == "ok")
    }

    @Test func memoUnwrapsExactlyOneLevel() async {
        let passthrough = InngestFunction(.init(id: "copy", trigger: .event("app/images.uploaded"))) { (ctx: Context<JSONValue>) -> JSONValue in
            try await ctx.step.run("copy-images-to-s3") { JSONValue.null }
        }
        let nested = await Fixture.execute(passthrough, Fixture.request(Fixture.event("app/images.uploaded"), steps: [Hash.copy: ["data": ["data": 1, "x": 2]]]))
        #expect(nested == .completed(["data": 1, "x": 2]))
        // An object with more keys than `data` is a raw value, returned as it is.
        let raw = await Fixture.execute(passthrough, Fixture.request(Fixture.event("app/images.uploaded"), steps: [Hash.copy: ["data": 1, "x": 2]]))
        #expect(raw == .completed(["data": 1, "x": 2]))
        // A null result is a result.
        let null = await Fixture.execute(passthrough, Fixture.request(Fixture.event("app/images.uploaded"), steps: [Hash.copy: ["data": nil]]))
        #expect(null == .completed(.null))
    }

    @Test func pendingInputEntryIsNotAResult() async {
        let counter = Counter()
        let outcome = await Fixture.execute(Fixture.copy(counter), Fixture.request(Fixture.event("app/images.uploaded"), steps: [Hash.copy: ["input": [1]]]))
        #expect(outcome.ops.map(\.op) == [.stepRun])
        #expect(counter["copy"] == 1)
    }

    @Test func targetedStepNotFoundRunsNothing() async {
        let counter = Counter()
        let missing = String(repeating: "0", count: 40)
        let outcome = await Fixture.execute(Fixture.copy(counter), Fixture.request(Fixture.event("app/images.uploaded"), target: missing, disableImmediateExecution: true))
        #expect(outcome == .stepNotFound(requested: missing, found: [Hash.copy]))
        #expect(counter["copy"] == 0)
    }

    @Test func eventDataThatDoesNotDecodeFailsWithoutRetry() async {
        let outcome = await Fixture.execute(Fixture.wait, Fixture.request(Fixture.event("app/invoice.created", ["other": 1])))
        guard case .failed(let error, let retriability) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(error.name == "NonRetriableError")
        #expect(error.message.contains("InvoiceCreated"))
        #expect(retriability == .nonRetriable)
    }
}
