import AsyncHTTPClient
import Foundation
import Inngest
import NIOCore
import NIOHTTP1

/// The SDK's outbound HTTP (sync to `/fn/register`, events to `/e/{key}`, trimmed payloads)
/// over AsyncHTTPClient.
public struct AsyncHTTPClientTransport: HTTPTransport {
    private let client: HTTPClient
    private let timeout: TimeAmount
    private let maxResponseBytes: Int

    /// - Parameters:
    ///   - client: defaults to the shared client, which needs no shutdown.
    ///   - timeout: for the whole exchange.
    ///   - maxResponseBytes: a larger response is an error, not a memory spike.
    public init(client: HTTPClient = .shared, timeout: Duration = .seconds(30), maxResponseBytes: Int = 16 * 1_024 * 1_024) {
        self.client = client
        self.timeout = .milliseconds(timeout.components.seconds * 1_000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        self.maxResponseBytes = maxResponseBytes
    }

    public func send(_ request: OutboundRequest) async throws -> OutboundResponse {
        var outbound = HTTPClientRequest(url: request.url)
        outbound.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outbound.headers.add(name: name, value: value) }
        if !request.body.isEmpty { outbound.body = .bytes(ByteBuffer(bytes: request.body)) }
        let response = try await client.execute(outbound, timeout: timeout)
        let body = try await response.body.collect(upTo: maxResponseBytes)
        var headers = Inngest.HTTPHeaders()
        for header in response.headers { headers.add(header.name, header.value) }
        return OutboundResponse(status: Int(response.status.code), headers: headers, body: Array(body.readableBytesView))
    }
}
