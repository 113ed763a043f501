import Crypto
import Foundation
import HTTPTypes
import Inngest

/// Who may see and steer the dashboard: a request for an allowed host name; an action only
/// from this server's own pages; with a signing key, only a holder of it.
struct AccessGuard: Sendable {
    let configuration: Dashboard.Configuration

    static let cookieName = "inngest_dashboard"

    /// The response that refuses `request`, or `nil` when it may proceed.
    func refusal(for request: HTTPRequestMessage, relativeParts parts: [String]) -> HTTPResponseMessage? {
        let wantsJSON = parts.first == "v1" || configuration.endpoint(for: parts) != nil
        let policy = LocalRequestPolicy(allowedHosts: configuration.allowedHosts)
        if let refusal = policy.hostRefusal(request) { return Self.refuse(403, refusal, json: wantsJSON) }
        if request.method != .get && request.method != .head, let refusal = policy.crossSiteRefusal(request, sameOrigin: true) {
            return Self.refuse(403, refusal, json: wantsJSON)
        }
        guard let key = configuration.signingKey, parts.first != "login" else { return nil }
        if hasBearer(request, key: key) || hasCookie(request, key: key) { return nil }
        if wantsJSON { return Self.refuse(401, "missing or invalid Authorization: Bearer signing key", json: true) }
        var headers = HTTPFields()
        headers[.location] = "\(configuration.basePath)/login"
        return HTTPResponseMessage(status: .seeOther, headerFields: headers)
    }

    private func hasBearer(_ request: HTTPRequestMessage, key: SigningKey) -> Bool {
        let header = request.headerFields[.authorization] ?? ""
        guard header.lowercased().hasPrefix("bearer ") else { return false }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        return !token.isEmpty && key.acceptsBearer(token)
    }

    private func hasCookie(_ request: HTTPRequestMessage, key: SigningKey) -> Bool {
        let expected = Array(Self.cookieValue(for: key).utf8)
        for field in request.headerFields[values: .cookie] {
            for pair in field.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, parts[0] == Self.cookieName else { continue }
                let presented = Array(parts[1].utf8)
                guard presented.count == expected.count else { continue }
                var difference: UInt8 = 0
                for index in 0..<presented.count { difference |= presented[index] ^ expected[index] }
                if difference == 0 { return true }
            }
        }
        return false
    }

    /// The login cookie: derived from the key (an HMAC of a fixed label), so it proves the
    /// holder logged in with the key without being the key.
    static func cookieValue(for key: SigningKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("inngest-dashboard-session".utf8), using: SymmetricKey(data: Array(key.hashedSecret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// `Set-Cookie` for a login.
    func loginCookie(for key: SigningKey) -> String {
        let path = configuration.basePath.isEmpty ? "/" : configuration.basePath
        return "\(Self.cookieName)=\(Self.cookieValue(for: key)); Path=\(path); HttpOnly; SameSite=Strict"
    }

    static func refuse(_ status: Int, _ message: String, json: Bool) -> HTTPResponseMessage {
        let status = HTTPResponse.Status(code: status)
        if json { return .dashboardJSON(status, ["error": .string(message), "status": .integer(Int64(status.code))]) }
        return .html(status, PageRenderer.plainPage(title: "Refused", message: message))
    }
}
