import Foundation

/// A request to the serve endpoint, as a web framework adapter hands it over.
public struct ServeRequest: Sendable {
    /// `GET`, `PUT`, `POST`, … (compared case-insensitively).
    public var method: String
    /// The path the request arrived on, e.g. `/api/inngest`.
    public var path: String
    public var queryItems: [URLQueryItem]
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// `scheme://host[:port]` as the adapter saw it; when `nil`, the `Host` header (and
    /// `X-Forwarded-Proto`) is used to build the app URL advertised at sync.
    public var origin: String?

    public init(method: String, path: String, queryItems: [URLQueryItem] = [], headers: HTTPHeaders = [:], body: [UInt8] = [], origin: String? = nil) {
        self.method = method
        self.path = path
        self.queryItems = queryItems
        self.headers = headers
        self.body = body
        self.origin = origin
    }

    /// Splits `target` (`/api/inngest?fnId=…` or an absolute URL) into path, query and origin.
    public init(method: String, url target: String, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        let components = URLComponents(string: target)
        var origin: String?
        if let scheme = components?.scheme, let host = components?.host {
            origin = "\(scheme)://\(host)\(components?.port.map { ":\($0)" } ?? "")"
        }
        let path = components?.percentEncodedPath ?? target
        self.init(
            method: method, path: path.isEmpty ? "/" : path, queryItems: components?.queryItems ?? [],
            headers: headers, body: body, origin: origin)
    }

    /// The first value of a query parameter.
    public func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }
}

/// The serve endpoint's answer, for the adapter to write out.
public struct ServeResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON, or `nil` when it is empty or not JSON.
    public var json: JSONValue? { try? JSONText.read(body) }
}

/// A request the SDK itself makes: register, trimmed-payload fetches, event sends.
public struct OutboundRequest: Sendable {
    public var method: String
    /// Absolute URL.
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: String, url: String, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct OutboundResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends the SDK's own HTTP requests. The `Inngest` module has no HTTP client: an
/// implementation (AsyncHTTPClient, URLSession, a test fake) is plugged in here.
/// It should follow redirects and throw only for transport failures (any HTTP status is a response).
public protocol HTTPTransport: Sendable {
    func send(_ request: OutboundRequest) async throws -> OutboundResponse
}
