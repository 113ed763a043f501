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
        // A request without a host name is not a browser's (HTTP/1.1 browsers always send one), so no rebinding.
        if let allowed = configuration.allowedHosts, let authority = request.head.authority ?? request.headerFields[HTTPField.Name("Host")!] {
            let host = Self.hostName(of: authority)
            guard allowed.contains(host) else {
                return Self.refuse(
                    403, "the host name \"\(host)\" is not one this dashboard answers to (allowed: \(allowed.sorted().joined(separator: ", "))); start it with --allow-host \(host) to allow it",
                    json: wantsJSON)
            }
        }
        if request.method != .get && request.method != .head {
            if let refusal = crossSiteRefusal(request, json: wantsJSON) { return refusal }
        }
        guard let key = configuration.signingKey, parts.first != "login" else { return nil }
        if hasBearer(request, key: key) || hasCookie(request, key: key) { return nil }
        if wantsJSON { return Self.refuse(401, "missing or invalid Authorization: Bearer signing key", json: true) }
        var headers = HTTPFields()
        headers[.location] = "\(configuration.basePath)/login"
        return HTTPResponseMessage(status: .seeOther, headerFields: headers)
    }

    /// An action must come from a page of this server: a browser names the page's origin,
    /// which must be this host; a body must be JSON (a form of another site cannot send JSON
    /// without a preflight this server never grants). The login form is the one form post.
    private func crossSiteRefusal(_ request: HTTPRequestMessage, json: Bool) -> HTTPResponseMessage? {
        let authority = (request.head.authority ?? request.headerFields[HTTPField.Name("Host")!] ?? "").lowercased()
        if let origin = request.headerFields[.origin] {
            let originAuthority = origin.lowercased().split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? ""
            guard origin != "null", originAuthority == authority else {
                return Self.refuse(403, "a request from the page of another site (Origin: \(origin)) may not act on this dashboard", json: json)
            }
        }
        if request.headerFields[HTTPField.Name("Sec-Fetch-Site")!] == "cross-site" {
            return Self.refuse(403, "a cross-site request may not act on this dashboard", json: json)
        }
        return nil
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

    /// The host name of an authority, lowercased, without its port (`[::1]:8288` → `[::1]`).
    static func hostName(of authority: String) -> String {
        let lowered = authority.lowercased()
        if lowered.hasPrefix("["), let end = lowered.firstIndex(of: "]") { return String(lowered[...end]) }
        return lowered.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? lowered
    }

    static func refuse(_ status: Int, _ message: String, json: Bool) -> HTTPResponseMessage {
        let status = HTTPResponse.Status(code: status)
        if json { return .dashboardJSON(status, ["error": .string(message), "status": .integer(Int64(status.code))]) }
        return .html(status, PageRenderer.plainPage(title: "Refused", message: message))
    }
}
