import Foundation
import Inngest
import Testing

@testable import InngestEngine

/// Reading the ops of signals, races and unsupported features as the Inngest server reads them.
@Suite struct RemoteSignalOpTests {
    private let now = Date(timeIntervalSince1970: 1_767_225_600)

    private func op(_ json: JSONValue) throws(RemoteOp.Invalid) -> RemoteOp { try RemoteOp(json: json, retryAt: nil, now: now) }

    @Test func signalWaitsReadTheSignalTimeoutAndConflictAsTheServerDoes() throws {
        guard case .waitForSignal(let typescript) = try op(["id": "w", "op": "waitforsignal", "name": "s", "opts": ["signal": "order-1", "timeout": "2h", "conflict": "replace"]]).action else {
            Issue.record("not a signal wait")
            return
        }
        #expect(typescript.signal == "order-1")
        #expect(try typescript.timeout.duration() == .seconds(7_200))
        #expect(typescript.conflict == .replace)
        // The signal may be only in `name`; any conflict but "replace" fails; no timeout waits a year.
        guard case .waitForSignal(let bare) = try op(["id": "w", "op": "WaitForSignal", "name": "by-name", "opts": ["conflict": "whatever"]]).action else {
            Issue.record("not a signal wait")
            return
        }
        #expect(bare.signal == "by-name")
        #expect(bare.conflict == .fail)
        #expect(try bare.timeout.duration() >= .seconds(365 * 86_400))
        #expect(try bare.timeout.duration() <= InngestLimits.maxWait)
        #expect(throws: RemoteOp.Invalid.self) { try op(["id": "w", "op": "WaitForSignal", "opts": ["timeout": "1h"]]) }
    }

    @Test func derivedStepsAndRacesAreRead() throws {
        #expect(try op(["id": "s", "op": "StepPlanned", "opts": ["type": "step.sendSignal", "signal": "x"]]).kind == .sendSignal)
        #expect(try op(["id": "r", "op": "StepPlanned", "opts": ["parallelMode": "race"]]).races)
        #expect(try op(["id": "r", "op": "Sleep", "name": "1h", "opts": ["parallelMode": "Race"]]).races)
        #expect(try op(["id": "r", "op": "StepPlanned", "opts": ["parallelMode": "wait"]]).races == false)
    }

    @Test(arguments: [("AIGateway", "step.ai.infer"), ("aigateway", "step.ai.infer"), ("Gateway", "step.fetch"), ("DeferAbort", "defer")])
    func opsOfUnsupportedFeaturesNameTheFeature(name: String, call: String) throws {
        do {
            _ = try op(["id": "g", "op": .string(name), "userland": ["id": "ask"]])
            Issue.record("accepted \(name)")
        } catch {
            #expect(error.unsupported?.call == call)
            #expect(error.description.hasPrefix("step \"ask\": \(call) (opcode \(name)) is not supported by inngest dev or the embedded engine"))
        }
    }
}
