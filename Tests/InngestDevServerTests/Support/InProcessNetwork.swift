import Foundation
import HTTPTypes
import Inngest
import Synchronization

/// HTTP without sockets: requests go to the handler registered for their origin
/// (`http://dev.test`, `http://app.test`), through the exact wire formats — every body is
/// bytes, every header a header. Also counts requests by path, and can refuse a host.
final class InProcessNetwork: HTTPTransport {
    typealias Handler = @Sendable (HTTPRequestMessage) async -> HTTPResponseMessage

    private struct State {
        var hosts: [String: Handler] = [:]
        var requests: [HTTPRequestMessage] = []
    }

    private let state = Mutex(State())

    func route(_ origin: String, to handler: @escaping Handler) {
        state.withLock { $0.hosts[origin] = handler }
    }

    var requests: [HTTPRequestMessage] { state.withLock { $0.requests } }

    func send(_ request: HTTPRequestMessage) async throws -> HTTPResponseMessage {
        guard let components = URLComponents(string: request.url), let scheme = components.scheme, let host = components.host else {
            throw URLError(.badURL)
        }
        let origin = "\(scheme)://\(host)\(components.port.map { ":\($0)" } ?? "")"
        let handler = state.withLock { state -> Handler? in
            state.requests.append(request)
            return state.hosts[origin]
        }
        guard let handler else { throw URLError(.cannotConnectToHost) }
        return await handler(request)
    }
}
