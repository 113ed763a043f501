// The embedded engine with OpenTelemetry: traces and metrics exported over OTLP/HTTP by
// swift-otel, the engine and swift-otel run as services of one ServiceGroup.
//
//     OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 swift run Observability
//
// (any OTLP collector: Jaeger, Grafana Tempo, the OpenTelemetry Collector). Without a
// collector the exports fail and say so; the example still runs. `Scripts/check.sh` runs it
// against a stand-in collector that checks the trace and the metrics it receives.
import Foundation
import Inngest
import InngestEngine
import Logging
import OTel
import ServiceLifecycle
import Tracing

struct OrderPlaced: EventPayload {
    static let eventName = "shop/order.placed"
    var orderID: String
    var amount: Int
}

let fulfil = InngestFunction(.init(id: "fulfil-order", trigger: .event(OrderPlaced.self), retries: 2)) { (ctx: Context<OrderPlaced>) -> String in
    let reserved: Int = try await ctx.step.run("reserve-stock") { ctx.event.data.amount }
    let receipt: String = try await ctx.step.run("charge") { "receipt-\(ctx.event.data.orderID)-\(reserved)" }
    try await ctx.step.sleep("cool-down", "1s")
    return receipt
}

var configuration = OTel.Configuration.default
configuration.serviceName = "inngest-observability-example"
configuration.traces.otlpExporter.protocol = .httpProtobuf
configuration.metrics.otlpExporter.protocol = .httpProtobuf
configuration.metrics.exportInterval = .seconds(5)
configuration.logs.enabled = false
// Bootstraps InstrumentationSystem (tracer, W3C trace context) and MetricsSystem: the engine
// reports to whatever is bootstrapped.
let observability = try OTel.bootstrap(configuration: configuration)

let logger = Logger(label: "observability-example")
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inngest-observability-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
let engine = try Engine(appID: "shop", databasePath: directory.appendingPathComponent("engine.sqlite").path, functions: [fulfil])

/// Sends an order inside a span (as a request handler would) and waits for its run.
struct Shop: Service {
    let engine: Engine
    let logger: Logger

    func run() async throws {
        let eventID = try await withSpan("POST /orders", ofKind: .server) { _ in
            try await engine.send(Event(OrderPlaced(orderID: "o-1", amount: 3)))
        }
        while true {
            try await Task.sleep(for: .milliseconds(100))
            let runs = try await engine.runs(startedByEvent: eventID)
            if let run = runs.first, run.status.isFinal {
                logger.info("run \(run.id) \(run.status): \(run.output.map { "\($0)" } ?? "-")")
                break
            }
        }
        // Let the batch span processor export before the group stops.
        try await Task.sleep(for: .seconds(2))
    }
}

// Services stop in reverse order: the shop first, then the engine, then the exporters.
let group = ServiceGroup(
    configuration: .init(
        services: [
            .init(service: observability), .init(service: engine),
            .init(service: Shop(engine: engine, logger: logger), successTerminationBehavior: .gracefullyShutdownGroup),
        ], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
try await group.run()
try? FileManager.default.removeItem(at: directory)
