"""A stand-in OTLP/HTTP collector: takes the example's trace and metric exports on 127.0.0.1:4318,
answers 200, and on SIGTERM checks what it received. Exits 0 only if the spans form the
trace the example promises: the request span, the run's span as its child, and the run's
step attempts as children of the run's span, with their attributes; and the engine's metrics."""

import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

spans = []
metric_names = set()


class Collector(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/v1/traces":
            request = ExportTraceServiceRequest()
            request.ParseFromString(body)
            for resource in request.resource_spans:
                for scope in resource.scope_spans:
                    spans.extend(scope.spans)
        elif self.path == "/v1/metrics":
            request = ExportMetricsServiceRequest()
            request.ParseFromString(body)
            for resource in request.resource_metrics:
                for scope in resource.scope_metrics:
                    metric_names.update(metric.name for metric in scope.metrics)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *args):
        pass


def attributes(span):
    return {a.key: a.value.string_value or a.value.int_value for a in span.attributes}


def check():
    named = {}
    for span in spans:
        named.setdefault(span.name, []).append(span)
    print("collector: received " + ", ".join(f"{name} x{len(group)}" for name, group in sorted(named.items())))
    request = named["POST /orders"][0]
    run = named["inngest.run fulfil-order"][0]
    assert run.trace_id == request.trace_id, "the run continues the request's trace"
    assert run.parent_span_id == request.span_id, "the run's span is a child of the request's"
    assert attributes(run)["inngest.run.outcome"] == "completed", attributes(run)
    for step in ("reserve-stock", "charge"):
        span = named[f"inngest.step {step}"][0]
        assert span.trace_id == request.trace_id and span.parent_span_id == run.span_id, step
        assert attributes(span)["inngest.step.outcome"] == "completed", attributes(span)
        assert attributes(span)["inngest.function.id"] == "fulfil-order", attributes(span)
    print("collector: one trace from the request through the run to its steps")
    expected = {"inngest.events.received", "inngest.runs.started", "inngest.runs.ended", "inngest.steps", "inngest.step.duration"}
    assert expected <= metric_names, f"metrics missing: {sorted(expected - metric_names)}"
    print(f"collector: {len(metric_names)} metrics, among them {', '.join(sorted(expected))}")


def stop(*_):
    try:
        check()
    except (AssertionError, KeyError, IndexError) as problem:
        print(f"collector: the exported spans are not the promised trace: {problem!r}", file=sys.stderr)
        sys.exit(1)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
server = HTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 4318), Collector)
print("collector: listening", flush=True)
server.serve_forever()
