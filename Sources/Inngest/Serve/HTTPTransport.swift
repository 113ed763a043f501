/// Sends the SDK's own HTTP requests: register, trimmed-payload fetches, event sends.
///
/// The `Inngest` module has no HTTP client: an implementation (AsyncHTTPClient, URLSession, a
/// test fake) is plugged in here. It should follow redirects and throw only for transport
/// failures (any HTTP status is a response).
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequestMessage) async throws -> HTTPResponseMessage
}
