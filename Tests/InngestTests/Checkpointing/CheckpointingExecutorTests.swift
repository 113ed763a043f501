import Synchronization
import Testing

@testable import Inngest

/// A discovery call the server offered checkpointing for: consecutive `step.run`s run in the
/// one call, each reported to the checkpointer before the function continues (as the
/// TypeScript SDK's async checkpointing), until the function ends or reaches anything else.
@Suite struct CheckpointingExecutorTests {
    /// Records what it is sent; fails as told.
    final class RecordingCheckpointer: Checkpointer {
        private let state = Mutex<(batches: [[Opcode]], failure: CheckpointFailure?)>(([], nil))
        init(failing failure: CheckpointFailure? = nil) { state.withLock { $0.failure = failure } }
        var batches: [[Opcode]] { state.withLock { $0.batches } }
        func checkpoint(_ ops: [Opcode]) async throws(CheckpointFailure) {
            let failure = state.withLock { state in
                state.batches.append(ops)
                return state.failure
            }
            if let failure { throw failure }
        }
    }

    /// A virtual stopwatch for the session's runtime and interval limits.
    final class Stopwatch: Sendable {
        private let elapsed = Mutex<Duration>(.zero)
        func advance(by duration: Duration) { elapsed.withLock { $0 += duration } }
        var now: Duration { elapsed.withLock { $0 } }
    }

    static func session(
        _ checkpointer: RecordingCheckpointer, _ options: CheckpointingOptions = CheckpointingOptions(), stopwatch: Stopwatch = Stopwatch()
    ) -> CheckpointSession {
        CheckpointSession(checkpointer: checkpointer, options: options, elapsed: { stopwatch.now })
    }

    /// `count` steps `step-0`… each returning its index times ten, then the sum; each body
    /// advances the stopwatch by `stepTime`.
    static func steps(_ count: Int, _ counter: Counter, stopwatch: Stopwatch = Stopwatch(), stepTime: Duration = .zero) -> InngestFunction {
        InngestFunction(.init(id: "many", trigger: .event("app/many"))) { (ctx: Context<JSONValue>) -> Int in
            var total = 0
            for index in 0..<count {
                total += try await ctx.step.run("step-\(index)") { () -> Int in
                    counter.hit("step-\(index)")
                    stopwatch.advance(by: stepTime)
                    return index * 10
                }
            }
            return total
        }
    }

    static func execute(_ function: InngestFunction, _ request: ExecutionRequest, _ session: CheckpointSession) async -> ExecutionOutcome {
        await Executor(appID: Fixture.appID).execute(function, request, checkpointing: session)
    }

    static let request = Fixture.request(Fixture.event("app/many"))

    @Test func consecutiveStepsRunInOneCallAndEachIsCheckpointedBeforeTheNext() async {
        let counter = Counter()
        let checkpointer = RecordingCheckpointer()
        let outcome = await Self.execute(Self.steps(5, counter), Self.request, Self.session(checkpointer))
        // One batch per step (bufferedSteps 1), in order, each a StepRun with the step's output.
        #expect(checkpointer.batches.map { $0.map(\.id) } == (0..<5).map { [StepIdentity.hash("step-\($0)")] })
        #expect(checkpointer.batches.flatMap { $0 }.map(\.op) == Array(repeating: .stepRun, count: 5))
        #expect(checkpointer.batches.flatMap { $0 }.map(\.data) == [0, 10, 20, 30, 40])
        // The call ends in a 206 carrying RunComplete with the return value.
        #expect(outcome.ops == [Opcode(id: "0737c22d3bfae812339732d14d8c7dbd6dc4e09c", op: .runComplete, data: 100)])
        #expect((0..<5).allSatisfy { counter["step-\($0)"] == 1 })
    }

    @Test func bufferedStepsAreSentInBatchesAndTheRestRideWithRunComplete() async {
        let counter = Counter()
        let checkpointer = RecordingCheckpointer()
        let outcome = await Self.execute(Self.steps(5, counter), Self.request, Self.session(checkpointer, CheckpointingOptions(bufferedSteps: 3)))
        #expect(checkpointer.batches.map(\.count) == [3])
        #expect(outcome.ops.map(\.op) == [.stepRun, .stepRun, .runComplete])
        #expect(outcome.ops.map(\.id).prefix(2) == [StepIdentity.hash("step-3"), StepIdentity.hash("step-4")])
    }

    @Test func aStepOlderThanTheMaximumIntervalSendsTheBuffer() async {
        let counter = Counter()
        let checkpointer = RecordingCheckpointer()
        let stopwatch = Stopwatch()
        let options = CheckpointingOptions(bufferedSteps: 100, maxRuntime: nil, maxInterval: .seconds(5))
        let function = Self.steps(6, counter, stopwatch: stopwatch, stepTime: .seconds(2))
        let outcome = await Self.execute(function, Self.request, Self.session(checkpointer, options, stopwatch: stopwatch))
        // Steps end at 2, 4, 6 s (6 ≥ 5: send three), then 8, 10, 12 s (12 − 6 ≥ 5: send three).
        #expect(checkpointer.batches.map(\.count) == [3, 3])
        #expect(outcome.ops.map(\.op) == [.runComplete])
    }

    @Test func pastTheMaximumRuntimeTheNextStepGoesBackToTheServer() async {
        let counter = Counter()
        let checkpointer = RecordingCheckpointer()
        let stopwatch = Stopwatch()
        let options = CheckpointingOptions(maxRuntime: .seconds(10))
        let function = Self.steps(10, counter, stopwatch: stopwatch, stepTime: .seconds(4))
        let outcome = await Self.execute(function, Self.request, Self.session(checkpointer, options, stopwatch: stopwatch))
        // Steps end at 4, 8, 12 s; at 12 s the runtime has passed: step-3 is planned, not run.
        #expect(checkpointer.batches.count == 3)
        #expect(outcome.ops.map(\.op) == [.stepPlanned])
        #expect(outcome.ops.first?.id == StepIdentity.hash("step-3"))
        #expect(counter["step-3"] == 0)
    }

    @Test func aFailingStepEndsTheCallWithItsErrorAfterTheBufferIsStored() async {
        let checkpointer = RecordingCheckpointer()
        let function = InngestFunction(.init(id: "fails", trigger: .event("app/many"))) { (ctx: Context<JSONValue>) -> Int in
            _ = try await ctx.step.run("ok") { 1 }
            return try await ctx.step.run("boom") { () -> Int in throw Boom(message: "no") }
        }
        let outcome = await Self.execute(function, Self.request, Self.session(checkpointer, CheckpointingOptions(bufferedSteps: 5)))
        #expect(checkpointer.batches.map { $0.map(\.id) } == [[StepIdentity.hash("ok")]])
        #expect(outcome.ops.map(\.op) == [.stepError])
        #expect(outcome.ops.first?.id == StepIdentity.hash("boom"))
    }

    @Test func whenACheckpointFailsTheStepsGoBackInTheAnswerAndNoFurtherStepRuns() async {
        let counter = Counter()
        let checkpointer = RecordingCheckpointer(failing: .failed("HTTP 500"))
        let outcome = await Self.execute(Self.steps(3, counter), Self.request, Self.session(checkpointer))
        #expect(outcome.ops.map(\.op) == [.stepRun])
        #expect(outcome.ops.first?.id == StepIdentity.hash("step-0"))
        #expect(counter["step-1"] == 0)
    }

    @Test func aStaleDispatchStopsTheCallWithoutReportingTheSteps() async {
        let counter = Counter()
        let checkpointer = RecordingCheckpointer(failing: .staleDispatch)
        let outcome = await Self.execute(Self.steps(3, counter), Self.request, Self.session(checkpointer))
        guard case .failed(let error, .nonRetriable) = outcome else {
            Issue.record("expected a non-retriable failure, got \(outcome)")
            return
        }
        #expect(error.name == "StaleDispatch")
        #expect(counter["step-1"] == 0)
    }

    @Test func aSleepAfterStepsIsReportedOnceTheBufferIsStored() async {
        let checkpointer = RecordingCheckpointer()
        let function = InngestFunction(.init(id: "nap", trigger: .event("app/many"))) { (ctx: Context<JSONValue>) -> Int in
            let a = try await ctx.step.run("a") { 1 }
            let b = try await ctx.step.run("b") { 2 }
            try await ctx.step.sleep("nap", "1h")
            return a + b
        }
        let outcome = await Self.execute(function, Self.request, Self.session(checkpointer, CheckpointingOptions(bufferedSteps: 10)))
        #expect(checkpointer.batches.map { $0.map(\.id) } == [[StepIdentity.hash("a"), StepIdentity.hash("b")]])
        #expect(outcome.ops.map(\.op) == [.sleep])
    }

    @Test func parallelStepsArePlannedAfterTheBufferIsStored() async {
        let checkpointer = RecordingCheckpointer()
        let function = InngestFunction(.init(id: "par", trigger: .event("app/many"))) { (ctx: Context<JSONValue>) -> Int in
            let first = try await ctx.step.run("first") { 1 }
            async let a = ctx.step.run("a") { first + 1 }
            async let b = ctx.step.run("b") { first + 2 }
            return try await a + b
        }
        let outcome = await Self.execute(function, Self.request, Self.session(checkpointer, CheckpointingOptions(bufferedSteps: 10)))
        #expect(checkpointer.batches.map { $0.map(\.id) } == [[StepIdentity.hash("first")]])
        #expect(Set(outcome.ops.map(\.id)) == [StepIdentity.hash("a"), StepIdentity.hash("b")])
        #expect(outcome.ops.map(\.op) == [.stepPlanned, .stepPlanned])
    }

    @Test func aFunctionErrorAfterStepsIsReportedOnceTheBufferIsStored() async {
        let checkpointer = RecordingCheckpointer()
        let function = InngestFunction(.init(id: "throws", trigger: .event("app/many"))) { (ctx: Context<JSONValue>) -> Int in
            _ = try await ctx.step.run("a") { 1 }
            throw Boom(message: "after a")
        }
        let outcome = await Self.execute(function, Self.request, Self.session(checkpointer, CheckpointingOptions(bufferedSteps: 10)))
        #expect(checkpointer.batches.map { $0.map(\.id) } == [[StepIdentity.hash("a")]])
        guard case .failed(let error, .retriable) = outcome else {
            Issue.record("expected a retriable failure, got \(outcome)")
            return
        }
        #expect(error.message == "after a")
    }

    @Test func aCallThatBeganAsARetryRunsOneStepAndAnswers() async {
        let counter = Counter()
        let checkpointer = RecordingCheckpointer()
        let retry = Fixture.request(Fixture.event("app/many"), attempt: 1)
        let outcome = await Self.execute(Self.steps(3, counter), retry, Self.session(checkpointer))
        #expect(checkpointer.batches.isEmpty)
        #expect(outcome.ops.map(\.op) == [.stepRun])
        #expect(counter["step-1"] == 0)
    }

    @Test func targetedAndPlanOnlyCallsDoNotCheckpoint() async {
        let counter = Counter()
        let checkpointer = RecordingCheckpointer()
        let targeted = Fixture.request(Fixture.event("app/many"), target: StepIdentity.hash("step-0"))
        #expect(await Self.execute(Self.steps(3, counter), targeted, Self.session(checkpointer)).ops.map(\.op) == [.stepRun])
        let planOnly = Fixture.request(Fixture.event("app/many"), disableImmediateExecution: true)
        #expect(await Self.execute(Self.steps(3, counter), planOnly, Self.session(checkpointer)).ops.map(\.op) == [.stepPlanned])
        #expect(checkpointer.batches.isEmpty)
        #expect(counter["step-1"] == 0)
    }

    @Test func memoizedStepsReplayAndCheckpointingGoesOnFromTheFirstNewOne() async {
        let counter = Counter()
        let checkpointer = RecordingCheckpointer()
        let resumed = Fixture.request(
            Fixture.event("app/many"), steps: [StepIdentity.hash("step-0"): ["data": 0], StepIdentity.hash("step-1"): ["data": 10]])
        let outcome = await Self.execute(Self.steps(4, counter), resumed, Self.session(checkpointer))
        #expect(checkpointer.batches.map { $0.map(\.id) } == [[StepIdentity.hash("step-2")], [StepIdentity.hash("step-3")]])
        #expect(outcome.ops == [CheckpointSession.runComplete(60)])
        #expect(counter["step-0"] == 0 && counter["step-1"] == 0)
    }
}
