import Foundation
import HTTPTypes

extension InngestClient: SignalSender {
    /// Posts `{"signal", "data"}` to `<API>/v1/signals` (the Inngest server or `inngest dev`)
    /// and returns the id of the run the signal resumed, or `nil` when no run waits for it
    /// (the API's `404`, which TypeScript reads the same way).
    ///
    /// Signed with the signing key (`Authorization: Bearer`), with the fallback key after a
    /// `401`/`403`, like the other API calls.
    ///
    /// - Parameters:
    ///   - signal: The name a run waits on.
    ///   - data: What the resumed step receives.
    /// - Returns: The resumed run's id, or `nil` when no run waited.
    /// - Throws: ``InngestClientError`` when the API refuses the signal or cannot be reached.
    @discardableResult
    public func sendSignal(_ signal: String, data: JSONValue) async throws -> String? {
        let body = Array(try JSONText.write(["signal": .string(signal), "data": data]).utf8)
        let response: HTTPResponseMessage
        do {
            response = try await apiRequest(method: .post, path: "/v1/signals", body: body)
        } catch {
            throw InngestClientError.transport("could not reach the Inngest API at \(configuration.apiOrigin): \(redacted(String(describing: error)))")
        }
        if response.status == .notFound { return nil }
        let json = try? JSONText.read(response.body)
        guard response.status.kind == .successful else {
            let reason = json?.objectValue?["error"]?.stringValue ?? "no error message"
            throw InngestClientError.httpStatus(response.status.code, "the API refused signal \"\(signal)\": \(redacted(reason))")
        }
        guard let runID = json?["data"]?["run_id"]?.stringValue, !runID.isEmpty else {
            throw InngestClientError.invalidResponse("the API accepted signal \"\(signal)\" but named no run (data.run_id)")
        }
        return runID
    }
}
