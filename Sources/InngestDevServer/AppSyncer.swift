import Foundation
import HTTPTypes
import Inngest
import Logging

extension DevServer {
    /// Why an app could not be synced by URL.
    public struct SyncFailure: Error, Sendable, CustomStringConvertible {
        public let url: String
        public let reason: String
        /// The app answered, refusing or failing the sync: trying again gives the same answer.
        public let appAnswered: Bool
        public var description: String { "could not sync the app at \(url): \(reason)" }

        init(url: String, reason: String, appAnswered: Bool = false) {
            self.url = url
            self.reason = reason
            self.appAnswered = appAnswered
        }
    }

    /// Asks the app at `url` (its serve endpoint, e.g. `http://localhost:3000/api/inngest`) to
    /// sync: `PUT` with `{"url": …}` and `X-Inngest-Server-Kind: dev`, signed when the server
    /// has a signing key. The app answers after it has posted its functions to
    /// `/fn/register`, so this server must already be listening.
    public func syncApp(at url: String) async throws(SyncFailure) {
        let body: [UInt8]
        do {
            body = try JSONCanonicalization.canonicalBytes(["url": .string(url)])
        } catch {
            throw SyncFailure(url: url, reason: "\(error)")
        }
        var headers: HTTPFields = [
            HTTPField.Name.contentType: "application/json",
            HTTPField.Name.inngestServerKind: "dev",
            HTTPField.Name.userAgent: "swift-inngest-dev:v\(SDKIdentity.version)",
        ]
        if let key = configuration.signingKey {
            headers[.inngestSignature] = RequestSignature.header(body: body, timestamp: Int64(Date().timeIntervalSince1970), key: key)
        }
        let response: HTTPResponseMessage
        do {
            response = try await transport.send(HTTPRequestMessage(method: .put, url: url, headerFields: headers, body: body))
        } catch {
            throw SyncFailure(url: url, reason: "the app did not answer (\(error))")
        }
        // SDKs answer the sync with 200 even when their registration failed, and put the
        // server's error in the body (the Python SDK: `{"error": …}`).
        let error = (try? JSONText.read(response.body))?["error"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        guard response.status.kind == .successful, error == nil else {
            let text = error ?? String(decoding: response.body.prefix(300), as: UTF8.self)
            let failure = SyncFailure(url: url, reason: "the app answered \(response.status.code): \(text)", appAnswered: true)
            syncs.failed(url: url, appID: nil, reason: failure.reason, at: Date())
            throw failure
        }
    }

    /// Syncs the app at `url`, retrying every `interval` until it answers (it may still be
    /// starting) or `attempts` run out.
    public func syncApp(at url: String, attempts: Int, interval: Duration = .seconds(1)) async throws(SyncFailure) {
        var last: SyncFailure?
        for attempt in 0..<max(1, attempts) {
            do {
                try await syncApp(at: url)
                logger.info("synced \(url)")
                return
            } catch {
                last = error
                if error.appAnswered { break }
                if attempt + 1 < attempts { try? await Task.sleep(for: interval) }
            }
        }
        if let last { throw last }
    }
}
