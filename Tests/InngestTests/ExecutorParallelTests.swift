import Testing

@testable import Inngest

/// Conformance cases 21–23 and parallel discovery with task groups.
@Suite struct ExecutorParallelTests {
    @Test func discoveryReportsEveryBranchAndRunsNone() async {
        let counter = Counter()
        let outcome = await Fixture.execute(Fixture.parallel(counter), Fixture.request(Fixture.event("app/par")))
        #expect(
            outcome.ops == [
                Opcode(id: Hash.parallelA, op: .stepPlanned, name: "parallel-a", displayName: "parallel-a", userland: .init(id: "parallel-a")),
                Opcode(id: Hash.parallelB, op: .stepPlanned, name: "parallel-b", displayName: "parallel-b", userland: .init(id: "parallel-b")),
            ])
        #expect(counter["a"] == 0 && counter["b"] == 0)
    }

    @Test func targetedCallRunsOnlyThatBranch() async {
        let counter = Counter()
        let outcome = await Fixture.execute(Fixture.parallel(counter), Fixture.request(Fixture.event("app/par"), target: Hash.parallelB, disableImmediateExecution: true))
        #expect(outcome.ops.map(\.id) == [Hash.parallelB])
        #expect(outcome.ops.first?.data == "B")
        #expect(counter["a"] == 0 && counter["b"] == 1)
    }

    @Test func partialMemoUnderForcedPlanningPlansTheRest() async {
        let counter = Counter()
        let outcome = await Fixture.execute(Fixture.parallel(counter), Fixture.request(Fixture.event("app/par"), steps: [Hash.parallelA: ["data": "A"]], disableImmediateExecution: true))
        #expect(outcome.ops.map(\.op) == [.stepPlanned])
        #expect(outcome.ops.map(\.id) == [Hash.parallelB])
        #expect(counter["b"] == 0)

        let done = await Fixture.execute(Fixture.parallel(counter), Fixture.request(Fixture.event("app/par"), steps: [Hash.parallelA: ["data": "A"], Hash.parallelB: ["data": "B"]]))
        #expect(done == .completed("AB"))
    }

    @Test func taskGroupBranchesAreAllDiscoveredInOnePass() async {
        let counter = Counter()
        let fanOut = InngestFunction(.init(id: "fan", trigger: .event("app/fan"))) { (ctx: Context<JSONValue>) -> Int in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<5 {
                    group.addTask {
                        // Work before the step (an actor hop, a yield) must not hide the branch.
                        await Task.yield()
                        return try await ctx.step.run("item") {
                            counter.hit("item")
                            return i
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        let outcome = await Fixture.execute(fanOut, Fixture.request(Fixture.event("app/fan")))
        #expect(outcome.ops.count == 5)
        #expect(Set(outcome.ops.map(\.op)) == [.stepPlanned])
        #expect(Set(outcome.ops.map(\.id)) == Set((0..<5).map { StepIdentity(userID: "item", index: $0).hashedID }))
        #expect(counter["item"] == 0)
    }

    @Test func parallelSleepsAndRunsAreReportedTogether() async {
        let mixed = InngestFunction(.init(id: "mixed", trigger: .event("app/mixed"))) { (ctx: Context<JSONValue>) in
            async let slept: Void = ctx.step.sleep("rest", "1h")
            async let ran = ctx.step.run("work") { 1 }
            _ = try await (slept, ran)
        }
        let outcome = await Fixture.execute(mixed, Fixture.request(Fixture.event("app/mixed")))
        #expect(outcome.ops.map(\.op).sorted { $0.rawValue < $1.rawValue } == [.sleep, .stepPlanned])
    }

    @Test func aFailingBranchFailsTheCallWhileTheOtherWaits() async {
        let failing = InngestFunction(.init(id: "par", trigger: .event("app/par"))) { (ctx: Context<JSONValue>) -> String in
            async let a = ctx.step.run("parallel-a") { "A" }
            async let b = ctx.step.run("parallel-b") { "B" }
            return try await a + b
        }
        let outcome = await Fixture.execute(
            failing,
            Fixture.request(
                Fixture.event("app/par"),
                steps: [
                    Hash.parallelA: ["error": ["name": "Error", "message": "a broke"]]
                ]))
        guard case .failed(let error, let retriability) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(error.message == "a broke")
        #expect(retriability == .nonRetriable)
    }
}
