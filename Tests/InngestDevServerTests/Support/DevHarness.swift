import Foundation
import HTTPTypes
import Inngest
import InngestDevServer
import InngestEngine
import InngestTesting
import Testing
import Tracing

/// `inngest dev` (an engine with a test clock behind a ``DevServer``) and Swift apps served
/// with the SDK's serve handler, all on an ``InProcessNetwork``: apps sync by `PUT`, post
/// their functions to `/fn/register`, send events to `/e/{key}`, and the engine calls them
/// with the wire protocol.
struct DevHarness {
    static let devOrigin = "http://localhost:8288"

    let network = InProcessNetwork()
    let clock: TestClock
    let engine: Engine
    let server: DevServer
    let directory: URL

    /// Now, on a whole millisecond (the engine stores times in milliseconds): the clock starts
    /// at wall-clock time because apps stamp the events they send (`ts`) with theirs.
    static func wallClock() -> TestClock {
        TestClock(now: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1_000).rounded(.down) / 1_000))
    }

    init(
        clock: TestClock = DevHarness.wallClock(), directory: URL? = nil, signingKey: SigningKey? = nil, eventKeys: Set<String> = [],
        maxCallBodyBytes: Int = InngestLimits.maxCallBodyBytes, maxConcurrentCallsPerApp: Int = 256, tracer: (any Tracer)? = nil,
        offersCheckpointing: Bool = true
    ) async throws {
        let directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("inngest-dev-tests-\(UUID().uuidString)")
        self.directory = directory
        self.clock = clock
        var options = Engine.Options(clock: clock, backoff: Backoff(base: .seconds(10), jitter: 0), appTransport: network, signingKey: signingKey)
        options.maxCallBodyBytes = maxCallBodyBytes
        options.maxConcurrentCallsPerApp = maxConcurrentCallsPerApp
        options.tracer = tracer
        options.offersCheckpointing = offersCheckpointing
        engine = try Engine(appID: "inngest-dev", databasePath: directory.appendingPathComponent("dev.sqlite").path, functions: [], options: options)
        try await engine.start()
        server = DevServer(engine: engine, configuration: .init(eventKeys: eventKeys, signingKey: signingKey), transport: network)
        let server = self.server
        network.route(Self.devOrigin) { await server.handle($0) }
    }

    /// Serves `functions` as app `appID` at `http://<appID>.test/api/inngest` and syncs it.
    @discardableResult
    func serve(
        _ appID: String, _ functions: [InngestFunction], environment: [String: String] = [:], tracer: (any Tracer)? = nil
    ) async throws -> InngestServeHandler {
        var environment = environment
        if environment["INNGEST_SIGNING_KEY"] == nil { environment["INNGEST_DEV"] = Self.devOrigin } else { environment["INNGEST_BASE_URL"] = Self.devOrigin }
        let configuration = InngestConfiguration(appID: appID, environment: environment)
        let handler = InngestServeHandler(client: InngestClient(configuration: configuration, transport: network, tracer: tracer), functions: functions)
        network.route("http://\(appID).test") { await handler.handle($0) }
        try await server.syncApp(at: "http://\(appID).test/api/inngest")
        return handler
    }

    /// Sends events through the event API, as an SDK does.
    func send(_ events: [JSONValue], key: String = "test-key", headers: HTTPFields = [:]) async throws -> [String] {
        let response = await server.handle(
            HTTPRequestMessage(
                method: .post, url: "\(Self.devOrigin)/e/\(key)", headerFields: headers,
                body: Array(try JSONText.write(.array(events)).utf8)))
        try #require(response.status == 200, "event API answered \(response.status): \(response.bodyText)")
        let ids = (response.json?["ids"]?.arrayValue ?? []).compactMap { $0.stringValue }
        try #require(ids.count == events.count, "event API answered \(response.bodyText)")
        return ids
    }

    func send(_ name: String, _ data: JSONValue = [:]) async throws -> String {
        try await send([["name": .string(name), "data": data]])[0]
    }

    /// The one run an event started.
    func run(startedBy eventID: String) async throws -> RunDetail {
        await engine.settle()
        let runs = try await engine.runs(startedByEvent: eventID)
        try #require(runs.count == 1, "expected one run, found \(runs.count)")
        return try #require(try await engine.run(id: runs[0].id))
    }

    /// Lets time pass, firing timers in order and settling at each.
    func advance(by duration: Duration) async {
        await engine.letTimePass(duration, on: clock)
    }

    /// Requests the engine made to an app, by `stepId` (`step` for discovery).
    func calls(to appID: String) -> [String] {
        network.requests.filter { $0.url.hasPrefix("http://\(appID).test") && $0.method == .post }.compactMap {
            URLComponents(string: $0.url)?.queryItems?.first { $0.name == "stepId" }?.value
        }
    }
}
