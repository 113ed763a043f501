// Signals follow Inngest's own implementation:
// - inngest-js `packages/inngest/src/components/InngestStepTools.ts`: `waitForSignal` reports op
//   `WaitForSignal` with `name` = the signal and `opts` {`signal`, `timeout`, `conflict`:
//   "replace"|"fail"}; `sendSignal` is a run step (`StepPlanned`, `opts.type` "step.sendSignal",
//   `opts.signal`) whose body calls `POST /v1/signals` (`api/api.ts`) and records `{"runId": …}`.
// - inngest `pkg/execution/executor/executor.go` (`handleGeneratorWaitForSignal`, `ResumeSignal`),
//   `pkg/execution/state/opcode.go` (`SignalOpts`: no timeout waits a year),
//   `pkg/execution/state/redis_state/lua/savePause.lua`: one wait per signal name; "fail" (also
//   the default) fails the run without retries ("Signal conflict; signal wait already exists for
//   another run"); "replace" takes the name over and the earlier wait ends at its timeout. A
//   signal resumes the step with `{"data": {"signal": …, "data": …}}`; a timeout with `null`.
// - inngest `pkg/api/apiv1/signals.go`: `POST /v1/signals` {`signal`, `data`} answers
//   `{"data": {"run_id": …}}`, or `404` `{"error": "No signal found"}` when no run waits.
import Foundation

extension Step {
    // MARK: waitForSignal

    /// Waits for the signal named `signal`, returning it with its data, or `nil` when
    /// `timeout` passes first.
    ///
    /// Anything that knows the name resumes the run: ``SignalSender/sendSignal(_:data:)`` of an
    /// ``InngestClient`` or the embedded engine, `step.sendSignal` in another run, or
    /// `POST /v1/signals`. Only one wait holds a name at a time; `onConflict` decides what a
    /// second wait does (see ``SignalConflict``). Names are at most
    /// ``/InngestCore/InngestLimits/maxSignalNameBytes`` bytes; the timeout at most 366 days.
    ///
    /// - Parameters:
    ///   - id: The step's id, unique within the function.
    ///   - signal: The name to wait on.
    ///   - timeout: How long to wait; at most 366 days.
    ///   - onConflict: What happens when another run already waits on the name.
    /// - Returns: The signal with its data, or `nil` when the timeout passed first.
    /// - Throws: ``StepUsageError`` for a bad name or timeout; ``StepError`` when the wait
    ///   failed, e.g. in a conflict with `onConflict` `.fail`.
    public func waitForSignal(
        _ id: String, signal: String, timeout: InngestDuration, onConflict: SignalConflict = .fail
    ) async throws -> ReceivedSignal<JSONValue>? {
        try await waitForSignal(id, signal: signal, as: JSONValue.self, timeout: timeout, onConflict: onConflict)
    }

    /// Waits for the signal named `signal` whose data decodes as `Payload`, or `nil` on timeout.
    ///
    /// - Parameters:
    ///   - id: The step's id, unique within the function.
    ///   - signal: The name to wait on.
    ///   - data: The type the signal's data decodes as.
    ///   - timeout: How long to wait; at most 366 days.
    ///   - onConflict: What happens when another run already waits on the name.
    /// - Returns: The signal with its data, or `nil` when the timeout passed first.
    /// - Throws: ``StepUsageError`` for a bad name or timeout, or data that does not decode;
    ///   ``StepError`` when the wait failed.
    public func waitForSignal<Payload: Codable & Sendable>(
        _ id: String, signal: String, as data: Payload.Type, timeout: InngestDuration, onConflict: SignalConflict = .fail
    ) async throws -> ReceivedSignal<Payload>? {
        if let problem = WaitForSignalRequest.problem(ofName: signal) { throw StepUsageError(stepID: id, problem: problem) }
        try Self.checkWait(timeout, field: "timeout", stepID: id)
        let request = WaitForSignalRequest(signal: signal, timeout: timeout, conflict: onConflict)
        let (identity, memo) = try await execution.perform(id, displayName: nil) { _ in .waitForSignal(request) }
        switch memo {
        case .value(let value), .data(let value):
            if value.isNull { return nil }
            let output = try await execution.output(value, of: identity, kind: .waitForSignal)
            return try StepExecution.decode(ReceivedSignal<Payload>.self, from: output, of: identity)
        case .error(let error):
            throw StepError(stepID: id, error: error)
        }
    }

    // MARK: sendSignal

    /// Sends a signal durably, as a step (a retried run does not send it again), and returns
    /// the id of the run it resumed, or `nil` when no run waited for it.
    ///
    /// Sent through the execution's sender: the embedded engine, or the served app's
    /// ``InngestClient`` (`POST /v1/signals` on the Inngest server or `inngest dev`).
    ///
    /// - Parameters:
    ///   - id: The step's id, unique within the function.
    ///   - signal: The name a run waits on.
    ///   - data: What the resumed run receives.
    /// - Returns: The id of the resumed run, or `nil` when no run waited.
    /// - Throws: ``StepUsageError`` for a bad name; ``StepError`` when sending failed for good.
    @discardableResult
    public func sendSignal<Payload: Encodable & Sendable>(_ id: String, signal: String, data: Payload) async throws -> String? {
        if let problem = WaitForSignalRequest.problem(ofName: signal) { throw StepUsageError(stepID: id, problem: problem) }
        let sender = execution.eventSender
        let (identity, memo) = try await execution.perform(id, displayName: nil) { identity in
            let payload = try StepExecution.encode(data, of: identity)
            return .run(
                RunStep(
                    kind: .sendSignal, wireOptions: ["signal": .string(signal)],
                    body: execution.body(of: identity, kind: .sendSignal) {
                        guard let sender = sender as? any SignalSender else {
                            throw NonRetriableError("this execution's sender (\(type(of: sender))) cannot send signals; step.sendSignal needs an InngestClient or the embedded engine")
                        }
                        return SentSignal(runID: try await sender.sendSignal(signal, data: payload))
                    }))
        }
        switch memo {
        case .data(let recorded), .value(let recorded):
            let value = try await execution.output(recorded, of: identity, kind: .sendSignal)
            return try StepExecution.decode(SentSignal.self, from: value, of: identity).runID
        case .error(let error):
            throw StepError(stepID: id, error: error)
        }
    }

    /// Sends a signal without data (its receiver gets `null`).
    ///
    /// - Parameters:
    ///   - id: The step's id, unique within the function.
    ///   - signal: The name a run waits on.
    /// - Returns: The id of the resumed run, or `nil` when no run waited.
    /// - Throws: ``StepUsageError`` for a bad name; ``StepError`` when sending failed for good.
    @discardableResult
    public func sendSignal(_ id: String, signal: String) async throws -> String? {
        try await sendSignal(id, signal: signal, data: JSONValue.null)
    }
}

/// The recorded result of `step.sendSignal`, as TypeScript records it: `{"runId": …}`, `{}`
/// when no run waited.
struct SentSignal: Codable, Sendable {
    var runID: String?

    enum CodingKeys: String, CodingKey {
        case runID = "runId"
    }
}
