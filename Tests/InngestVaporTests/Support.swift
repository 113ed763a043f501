import Foundation
import HTTPTypes
import Hummingbird
import Inngest
import InngestDevServer
import InngestDevServerHummingbird
import InngestEngine
import InngestVapor
import Logging
import ServiceLifecycle
import Testing
import Vapor

/// What the servers of these tests log: their warnings and errors only.
let quietLogger = {
    var logger = Logger(label: "inngest-vapor-tests")
    logger.logLevel = .warning
    return logger
}()

/// `inngest dev` in this process as the CLI runs it: an engine behind a ``DevServer`` served by
/// Hummingbird on 127.0.0.1 (a port of its own), calling apps over loopback with the
/// AsyncHTTPClient transport.
struct DevServerOnLoopback {
    let engine: Engine
    let server: DevServer
    let transport: AsyncHTTPClientTransport
    /// `http://127.0.0.1:<port>`.
    let origin: String

    /// Runs `body` with a dev server started for it, and stops the server and its engine after.
    static func with(signingKey: SigningKey? = nil, _ body: (DevServerOnLoopback) async throws -> Void) async throws {
        let transport = AsyncHTTPClientTransport()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-vapor-\(UUID().uuidString).sqlite").path
        let options = Engine.Options(backoff: Backoff(base: .milliseconds(50)), logger: quietLogger, appTransport: transport, signingKey: signingKey)
        let engine = try Engine(appID: "inngest-dev", databasePath: path, functions: [], options: options)
        try await engine.start()
        let server = DevServer(engine: engine, configuration: .init(signingKey: signingKey), transport: transport, logger: quietLogger)
        let router = Hummingbird.Router()
        router.addInngestDevServer(server)
        let (ports, bound) = AsyncStream.makeStream(of: Int.self)
        let application = Hummingbird.Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                bound.yield(channel.localAddress?.port ?? 0)
                bound.finish()
            }, logger: quietLogger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: application)], logger: quietLogger))
        let serving = Task {
            defer { bound.finish() }
            try await group.run()
        }
        var outcome: Result<Void, any Error> = .success(())
        var iterator = ports.makeAsyncIterator()
        if let port = await iterator.next(), port > 0 {
            do {
                try await body(DevServerOnLoopback(engine: engine, server: server, transport: transport, origin: "http://127.0.0.1:\(port)"))
            } catch {
                outcome = .failure(error)
            }
        } else {
            outcome = .failure(NotStarted(what: "the dev server"))
        }
        await group.triggerGracefulShutdown()
        _ = await serving.result
        await engine.shutdown()
        try outcome.get()
    }

    /// Sends one event to the event API over HTTP, as an SDK does; its id.
    func send(name: String, data: JSONValue) async throws -> String {
        let body = try JSONText.write(.array([["name": .string(name), "data": data]]))
        let response = try await transport.send(
            HTTPRequestMessage(method: .post, url: origin + "/e/test-key", headerFields: [.contentType: "application/json"], body: Array(body.utf8)))
        try #require(response.status == 200, "the event API answered \(response.status): \(response.bodyText)")
        return try #require(response.json?["ids"]?.arrayValue?.first?.stringValue, "\(response.bodyText)")
    }

    /// The one run `eventID` started, once it has finished (polled, up to 10 seconds).
    func finishedRun(startedBy eventID: String) async throws -> RunDetail {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let runs = try await engine.runs(startedByEvent: eventID)
            if runs.count == 1, runs[0].status.isFinal, let detail = try await engine.run(id: runs[0].id) { return detail }
            try #require(ContinuousClock.now < deadline, "no finished run for event \(eventID) after 10 s: \(runs.map(\.status))")
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// A Vapor app serving functions with `addInngest` at `/api/inngest` on 127.0.0.1, its SDK
/// client calling out through Vapor's own HTTP client.
struct VaporApp {
    let handler: InngestServeHandler
    let client: InngestClient
    let port: Int
    /// `http://127.0.0.1:<port>/api/inngest`.
    var url: String { "http://127.0.0.1:\(port)/api/inngest" }

    /// Runs `body` with the app started for it, and shuts the app down after.
    static func with(
        functions: [InngestFunction], environment: [String: String], maxBodyBytes: Int? = nil, configurationLimit: Int? = nil,
        _ body: (VaporApp) async throws -> Void
    ) async throws {
        let app = try await Vapor.Application.make(.testing, logger: quietLogger)
        var outcome: Result<Void, any Error> = .success(())
        do {
            var configuration = InngestConfiguration(appID: "vapor-app", environment: environment, framework: "vapor")
            if let configurationLimit { configuration.maxRequestBodyBytes = configurationLimit }
            let client = InngestClient(configuration: configuration, transport: AsyncHTTPClientTransport(client: app.http.client.shared))
            let handler = InngestServeHandler(client: client, functions: functions)
            app.addInngest(handler, maxBodyBytes: maxBodyBytes)
            app.http.server.configuration.hostname = "127.0.0.1"
            app.http.server.configuration.port = 0
            try await app.asyncBoot()
            try await app.server.start(address: nil)
            do {
                let port = try #require(app.http.server.shared.localAddress?.port)
                try await body(VaporApp(handler: handler, client: client, port: port))
            } catch {
                outcome = .failure(error)
            }
            await app.server.shutdown()
        } catch {
            outcome = .failure(error)
        }
        try await app.asyncShutdown()
        try outcome.get()
    }
}

struct NotStarted: Error, CustomStringConvertible {
    var what: String
    var description: String { "\(what) did not start" }
}

/// A raw HTTP/1.1 exchange with 127.0.0.1:`port` over a socket, for what a client library
/// does not control: the whole request — head and body — goes in one write, and the answer
/// is read until the server closes the connection (`Connection: close`).
///
/// With `Content-Length`, a body that small arrives in the server's first read with its head,
/// and Vapor hands it over whole; with `chunked`, Vapor streams it.
struct RawExchange {
    var status: Int
    var body: String
    var json: JSONValue? { try? JSONText.read(Array(body.utf8)) }

    init(port: Int, post path: String, body: [UInt8], chunked: Bool) throws {
        var request = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\nConnection: close\r\n"
        var bytes: [UInt8]
        if chunked {
            request += "Transfer-Encoding: chunked\r\n\r\n"
            bytes = Array(request.utf8)
            for chunk in stride(from: 0, to: body.count, by: 256).map({ body[$0..<min($0 + 256, body.count)] }) {
                bytes += Array("\(String(chunk.count, radix: 16))\r\n".utf8) + chunk + Array("\r\n".utf8)
            }
            bytes += Array("0\r\n\r\n".utf8)
        } else {
            bytes = Array((request + "Content-Length: \(body.count)\r\n\r\n").utf8) + body
        }
        let answer = String(decoding: try Self.exchange(port: port, bytes), as: UTF8.self)
        let parts = answer.components(separatedBy: "\r\n\r\n")
        let statusLine = parts[0].split(separator: " ")
        guard parts.count >= 2, statusLine.count >= 2, let status = Int(statusLine[1]) else { throw SocketFailure(call: "parse: \(answer)") }
        self.status = status
        self.body = parts.dropFirst().joined(separator: "\r\n\r\n")
    }

    private static func exchange(port: Int, _ bytes: [UInt8]) throws -> [UInt8] {
        #if os(Linux)
            let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let socketFD = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socketFD >= 0 else { throw SocketFailure(call: "socket") }
        defer { close(socketFD) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        guard setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw SocketFailure(call: "setsockopt")
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw SocketFailure(call: "connect") }
        guard send(socketFD, bytes, bytes.count, 0) == bytes.count else { throw SocketFailure(call: "send") }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = recv(socketFD, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            answer += buffer[0..<count]
        }
        return answer
    }
}

struct SocketFailure: Error, CustomStringConvertible {
    var call: String
    var description: String { "\(call) failed (errno \(errno))" }
}
