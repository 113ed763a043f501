import Foundation
import Inngest
import InngestEngine
import Synchronization

/// Applies a ``StepMocks`` to the steps runs reach, and remembers which steps each run
/// reached and which mocks were used, so a test learns of a mock that never applied.
final class MockInterceptor: StepInterceptor {
    struct Reached: Sendable, Hashable {
        let functionID: String
        let userID: String
    }

    private struct State {
        var reached: [String: [Reached]] = [:]
        var usedMocks: Set<String> = []
        /// For ``TestEnvironment/executeStep(_:of:event:)``: runs of this function halt after that step.
        var halt: (functionID: String, stepID: String)?
    }

    private let mocks: StepMocks
    private let appID: String
    private let state = Mutex(State())

    init(mocks: StepMocks, appID: String) {
        self.mocks = mocks
        self.appID = appID
    }

    func replacement(for step: PendingStep, runID: String, functionID: String) -> StepOperation? {
        let userID = step.identity.userID
        let halt = state.withLock { state -> Bool in
            state.reached[runID, default: []].append(Reached(functionID: functionID, userID: userID))
            guard let halt = state.halt, halt.functionID == functionID, halt.stepID != userID,
                state.reached[runID, default: []].contains(where: { $0.userID == halt.stepID })
            else { return false }
            return true
        }
        if halt {
            // Run no further step: park on a wait no event matches; the environment cancels the run.
            return .waitForEvent(
                WaitForEventRequest(event: "inngest-testing/halted", timeout: .seconds(365 * 86_400), condition: "false"))
        }
        if let mock = mocks.steps[userID], mock.functionID == nil || mock.functionID == functionID {
            state.withLock { _ = $0.usedMocks.insert(userID) }
            let identity = step.identity
            return .run(RunStep(kind: step.operation.kind) { attempt in await mock.body(attempt, identity) })
        }
        if case .invoke(let request) = step.operation,
            let mock = mocks.invokes.first(where: { $0.reference(appID) == request.functionID })
        {
            state.withLock { _ = $0.usedMocks.insert("invoke:\(request.functionID)") }
            let (identity, data) = (step.identity, request.payload["data"] ?? .object([:]))
            return .run(RunStep(kind: .invoke) { _ in await mock.body(data, identity) })
        }
        return nil
    }

    /// The steps `runID` reached without a recorded result, in order.
    func reached(by runID: String) -> [Reached] {
        state.withLock { $0.reached[runID] ?? [] }
    }

    /// Step mocks that apply to `functionID` and that no run has used, by step id.
    func unusedStepMocks(applyingTo functionID: String) -> [String] {
        state.withLock { state in
            mocks.steps.filter { id, mock in
                (mock.functionID == nil || mock.functionID == functionID) && !state.usedMocks.contains(id)
            }.keys.sorted()
        }
    }

    var mockedStepIDs: [String] { mocks.steps.keys.sorted() }

    func mockTypeName(ofStep userID: String) -> String? { mocks.steps[userID]?.typeName }

    func haltAfter(step stepID: String, inRunsOf functionID: String?) {
        state.withLock { $0.halt = functionID.map { ($0, stepID) } }
    }
}
