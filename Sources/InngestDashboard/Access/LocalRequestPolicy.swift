import HTTPTypes
import Inngest

/// What a server on a developer's machine answers, and to whom: a request must name a host
/// the server answers to (a site that points its own name at 127.0.0.1, DNS rebinding, gets
/// nothing), and a request a browser sent for another site's page may not act.
///
/// The dashboard and the dev server's SDK-facing routes share it, so both refuse the same
/// requests for the same reasons.
package struct LocalRequestPolicy: Sendable {
    /// Host names (without port) requests may name; `nil` accepts any.
    package let allowedHosts: Set<String>?

    package init(allowedHosts: Set<String>?) {
        self.allowedHosts = allowedHosts
    }

    /// Why `request` names a host this server does not answer to, or `nil`. A request without
    /// a host name is not a browser's (HTTP/1.1 browsers always send one), so no rebinding.
    package func hostRefusal(_ request: HTTPRequestMessage) -> String? {
        guard let allowed = allowedHosts, let authority = Self.authority(of: request) else { return nil }
        let host = Self.hostName(of: authority)
        guard !allowed.contains(host) else { return nil }
        return "the host name \"\(host)\" is not one this server answers to (allowed: \(allowed.sorted().joined(separator: ", "))); start it with --allow-host \(host) to allow it"
    }

    /// Why `request`, sent by a browser for a page of another site, may not act, or `nil`.
    ///
    /// - Parameter sameOrigin: when `true` the page must be this server's own (the
    ///   dashboard's actions); when `false` any page of a host the server answers to may act
    ///   (an app's front end on another loopback port sending events).
    package func crossSiteRefusal(_ request: HTTPRequestMessage, sameOrigin: Bool) -> String? {
        if let origin = request.headerFields[.origin] {
            let originAuthority = Self.authority(ofOrigin: origin)
            let accepted: Bool
            if origin == "null" || originAuthority.isEmpty {
                accepted = false
            } else if sameOrigin || allowedHosts == nil {
                accepted = originAuthority == Self.authority(of: request)?.lowercased()
            } else {
                accepted = allowedHosts?.contains(Self.hostName(of: originAuthority)) == true
            }
            return accepted ? nil : "a request from the page of another site (Origin: \(origin)) may not act on this server"
        }
        if request.headerFields[HTTPField.Name("Sec-Fetch-Site")!] == "cross-site" {
            return "a cross-site request may not act on this server"
        }
        return nil
    }

    /// The authority a request names: HTTP/2's `:authority`, else its `Host` header.
    static func authority(of request: HTTPRequestMessage) -> String? {
        request.head.authority ?? request.headerFields[HTTPField.Name("Host")!]
    }

    /// `https://example.com:8443` → `example.com:8443`, lowercased.
    static func authority(ofOrigin origin: String) -> String {
        origin.lowercased().split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? ""
    }

    /// The host name of an authority, lowercased, without its port (`[::1]:8288` → `[::1]`).
    package static func hostName(of authority: String) -> String {
        let lowered = authority.lowercased()
        if lowered.hasPrefix("["), let end = lowered.firstIndex(of: "]") { return String(lowered[...end]) }
        return lowered.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? lowered
    }
}
