/// Sends signals: resumes the run whose `step.waitForSignal` waits for that name.
///
/// The embedded engine resolves the wait itself; a served app's ``InngestClient`` posts to
/// the Inngest API (`POST /v1/signals`). `step.sendSignal` uses the execution's event sender
/// when it is one of these.
public protocol SignalSender: Sendable {
    /// Delivers `data` to the run waiting for `signal` and returns that run's id, or `nil`
    /// when no run waits for it (the signal is then dropped, as on the Inngest server).
    @discardableResult
    func sendSignal(_ signal: String, data: JSONValue) async throws -> String?
}

extension SignalSender {
    /// Delivers `data`, encoded with the SDK's JSON codec, to the run waiting for `signal`.
    @discardableResult
    public func sendSignal<Payload: Encodable & Sendable>(_ signal: String, data: Payload) async throws -> String? {
        try await sendSignal(signal, data: JSONCodec.shared.jsonValue(of: data))
    }

    /// Resumes the run waiting for `signal`, with `null` data.
    @discardableResult
    public func sendSignal(_ signal: String) async throws -> String? {
        try await sendSignal(signal, data: .null)
    }
}
