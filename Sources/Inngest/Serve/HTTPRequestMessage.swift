import Foundation
import HTTPTypes

/// An HTTP request with its whole body: what a web framework adapter hands
/// ``InngestServeHandler/handle(_:)``, and what the SDK asks its ``HTTPTransport`` to send.
///
/// The head is swift-http-types' `HTTPRequest`, so method, scheme, authority, path and header
/// fields mean what they mean there; the path includes the query.
public struct HTTPRequestMessage: Sendable {
    /// The method, target and header fields.
    public var head: HTTPRequest
    /// The whole body.
    public var body: [UInt8]

    /// - Parameters:
    ///   - head: The method, target and header fields.
    ///   - body: The whole body.
    public init(head: HTTPRequest, body: [UInt8] = []) {
        self.head = head
        self.body = body
    }

    /// A request to `url`: an absolute URL (`https://example.com/api/inngest?fnId=…`, which sets
    /// scheme and authority) or a path with an optional query (`/api/inngest?probe=trust`).
    public init(method: HTTPRequest.Method, url: String, headerFields: HTTPFields = [:], body: [UInt8] = []) {
        var scheme: String?
        var authority: String?
        var path = url
        if let components = URLComponents(string: url), let host = components.host, let parsedScheme = components.scheme {
            scheme = parsedScheme
            let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            authority = hostPart + (components.port.map { ":\($0)" } ?? "")
            path = components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        }
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        self.init(head: HTTPRequest(method: method, scheme: scheme, authority: authority, path: path, headerFields: headerFields), body: body)
    }

    /// The request's method.
    public var method: HTTPRequest.Method { head.method }

    /// The request's header fields.
    public var headerFields: HTTPFields {
        get { head.headerFields }
        set { head.headerFields = newValue }
    }

    /// The path without its query, e.g. `/api/inngest`.
    public var path: String {
        let full = head.path ?? "/"
        return full.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? full
    }

    /// The query parameters, percent-decoded, in order.
    public var queryItems: [URLQueryItem] {
        guard let full = head.path, let mark = full.firstIndex(of: "?") else { return [] }
        let query = full[full.index(after: mark)...]
        guard !query.isEmpty else { return [] }
        return URLComponents(string: "?" + query)?.queryItems ?? []
    }

    /// The first value of a query parameter.
    public func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// `scheme://authority/path?query`, or the path alone when the head has no authority.
    public var url: String {
        guard let authority = head.authority else { return head.path ?? "/" }
        return "\(head.scheme ?? "http")://\(authority)\(head.path ?? "/")"
    }
}
