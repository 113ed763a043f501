import AsyncHTTPClient
import Foundation
import HTTPTypes
import Inngest
import NIOCore
import NIOHTTP1

/// The SDK's outbound HTTP (sync to `/fn/register`, events to `/e/{key}`, trimmed payloads)
/// over AsyncHTTPClient: the ``/Inngest/HTTPTransport`` of an app served with `InngestHummingbird` or
/// `InngestVapor` (both re-export this module), and of `inngest dev`'s calls to apps.
///
/// ```swift
/// let client = InngestClient(configuration: InngestConfiguration(appID: "shop"), transport: AsyncHTTPClientTransport())
/// // In a Vapor app, over the application's own client (Vapor shuts it down):
/// let transport = AsyncHTTPClientTransport(client: app.http.client.shared)
/// ```
public struct AsyncHTTPClientTransport: HTTPTransport {
    private let client: HTTPClient
    private let timeout: TimeAmount
    private let maxResponseBytes: Int
    private let ownsClient: Bool

    /// A transport with a client of its own that opens up to `maxConnectionsPerHost`
    /// connections to each host (the shared client opens 8): for a server that calls apps
    /// many times at once, such as `inngest dev` (match `Engine.Options.maxConcurrentCallsPerApp`).
    /// Call ``shutdown()`` once it is no longer used.
    ///
    /// - Parameters:
    ///   - maxConnectionsPerHost: The most connections the client opens to one host.
    ///   - timeout: for the whole exchange.
    ///   - maxResponseBytes: a larger response is an error, not a memory spike.
    public init(maxConnectionsPerHost: Int, timeout: Duration = .seconds(30), maxResponseBytes: Int = InngestLimits.maxRequestBodyBytes) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, maxConnectionsPerHost)
        configuration.decompression = .disabled
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.init(client: client, timeout: timeout, maxResponseBytes: maxResponseBytes, ownsClient: true)
    }

    /// A transport over `client`, which its owner shuts down.
    ///
    /// - Parameters:
    ///   - client: defaults to the shared client, which needs no shutdown.
    ///   - timeout: for the whole exchange.
    ///   - maxResponseBytes: a larger response is an error, not a memory spike.
    public init(client: HTTPClient = .shared, timeout: Duration = .seconds(30), maxResponseBytes: Int = InngestLimits.maxRequestBodyBytes) {
        self.init(client: client, timeout: timeout, maxResponseBytes: maxResponseBytes, ownsClient: false)
    }

    private init(client: HTTPClient, timeout: Duration, maxResponseBytes: Int, ownsClient: Bool) {
        self.ownsClient = ownsClient
        self.client = client
        self.timeout = .milliseconds(timeout.milliseconds)
        self.maxResponseBytes = maxResponseBytes
    }

    /// Shuts down a client this transport created (``init(maxConnectionsPerHost:timeout:maxResponseBytes:)``);
    /// does nothing for a client it was given.
    ///
    /// - Throws: What shutting the client down throws.
    public func shutdown() async throws {
        if ownsClient { try await client.shutdown() }
    }

    /// Sends `request` and returns the whole response.
    ///
    /// - Parameter request: The request, with its whole body.
    /// - Returns: The response, with its whole body.
    /// - Throws: AsyncHTTPClient's error when the exchange fails or times out, or an error when the
    ///   response is larger than `maxResponseBytes`.
    public func send(_ request: HTTPRequestMessage) async throws -> HTTPResponseMessage {
        var outbound = HTTPClientRequest(url: request.url)
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)
        outbound.headers = HTTPHeaders(request.headerFields)
        if !request.body.isEmpty { outbound.body = .bytes(ByteBuffer(bytes: request.body)) }
        let response = try await client.execute(outbound, timeout: timeout)
        let code = Int(response.status.code)
        guard (100...999).contains(code) else { throw UnreadableStatus(code: code) }
        let body = try await response.body.collect(upTo: maxResponseBytes)
        return HTTPResponseMessage(status: HTTPResponse.Status(code: code), headerFields: HTTPFields(response.headers), body: Array(body.readableBytesView))
    }
}

/// A response whose status is not a three-digit code.
struct UnreadableStatus: Error, CustomStringConvertible {
    var code: Int
    var description: String { "the server answered with status \(code), which is not an HTTP status code" }
}
